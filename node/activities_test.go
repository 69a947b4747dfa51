package node_test

import (
	"context"
	"testing"

	"crossguard"
)

// exerciseInput returns a joint exercise as a client sends it.
func exerciseInput(agreement, commitment string) *crossguard.Activity {
	return &crossguard.Activity{
		Type: crossguard.ActivityExercise, Agreement: agreement, Commitment: commitment,
		Title: "Joint border exercise", StartsOn: "2026-11-10", EndsOn: "2026-11-12", Place: "Sost dry port",
		Agencies: []string{"pk-customs", "af-customs"}, Units: []string{"Mobile team 3"},
		Headcounts: map[string]int{"pk-customs": 40, "af-customs": 25}, Status: crossguard.StatusDone, Outcome: "Drill completed.",
	}
}

func TestCreateActivity(t *testing.T) {
	ctx := context.Background()
	n := mustNode(t)
	ag, err := n.CreateAgreement(ctx, "amina", agreementInput())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(a *crossguard.Activity)
		field string
	}{
		{"unknown agreement", func(a *crossguard.Activity) { a.Agreement = "0193a6f4-5b1e-7c4e-9a51-000000000000" }, "agreement"},
		{"unknown commitment", func(a *crossguard.Activity) { a.Commitment = "zz-1" }, "commitment"},
		{"commitment of another type", func(a *crossguard.Activity) { a.Commitment = "tr-1" }, "type"},
		{"agency not a party", func(a *crossguard.Activity) {
			a.Agencies = append(a.Agencies, "ir-customs")
		}, "agencies[2]"},
		{"no marking without an agreement", func(a *crossguard.Activity) { a.Agreement, a.Commitment = "", "" }, "marking.tlp"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := exerciseInput(ag.ID, "ex-1")
			tc.edit(a)
			_, err := n.CreateActivity(ctx, "amina", a)
			found := false
			for _, f := range crossguard.ErrorFields(err) {
				found = found || f.Field == tc.field
			}
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !found {
				t.Fatalf("error %v %v, want one for %s", err, crossguard.ErrorFields(err), tc.field)
			}
		})
	}

	a, err := n.CreateActivity(ctx, "amina", exerciseInput(ag.ID, "ex-1"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Origin != n.Info.ID || a.Distribution != crossguard.DistNetwork || len(a.Recipients) != 2 || a.Marking != ag.Scope.DefaultMarking {
		t.Fatalf("activity %+v", a)
	}
	loose := exerciseInput("", "")
	loose.Agencies, loose.Headcounts, loose.StartsOn = []string{"pk-customs", "cn-customs"}, nil, "2026-10-01"
	loose.Marking = crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}
	b, err := n.CreateActivity(ctx, "amina", loose)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Recipients) != 2 || b.Recipients[1] != "cn-customs" {
		t.Fatalf("recipients of an activity of no agreement: %v", b.Recipients)
	}
	all, err := n.Activities(ctx, "amina", "")
	if err != nil || len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID {
		t.Fatalf("activities by start date: %v", err)
	}
	of, err := n.Activities(ctx, "amina", ag.ID)
	if err != nil || len(of) != 1 || of[0].ID != a.ID {
		t.Fatalf("activities of the agreement: %v", err)
	}
	if got, err := n.Activity(ctx, "amina", a.ID); err != nil || got.Title != a.Title {
		t.Fatalf("activity: %+v, %v", got, err)
	}
	if _, err := n.Activity(ctx, "amina", ag.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("an agreement read as an activity: %v", err)
	}
}
