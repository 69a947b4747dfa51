package node_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/risk/decide"
	"crossguard/storetest"
)

// previewDraft returns a draft profile selecting opium alkaloids (HS
// 2939), which declarations 6 and 12 of the store suite declare among
// 1 to 12.
func previewDraft(t *testing.T) *crossguard.Profile {
	t.Helper()
	var p crossguard.Profile
	err := json.Unmarshal([]byte(`{"name": "Opium alkaloids", "channel": "red", "score": 0.8,
		"conditions": [{"field": "hs4", "op": "eq", "value": "2939"}],
		"valid_from": "2027-01-01", "distribution": "agency", "marking": {"tlp": "amber", "handling": "H0"}}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	return &p
}

// mustPreviewNode returns a node holding declarations 1 to 12 of the store
// suite as imported history, received in that order: 6 inspected with a
// seizure, 5 inspected without a find.
func mustPreviewNode(t *testing.T) *testnode.Node {
	t.Helper()
	n := mustNode(t)
	var entries []*crossguard.DeclarationEntry
	for i := 1; i <= 12; i++ {
		at := now.Add(time.Duration(i) * time.Minute)
		e := storetest.NewDeclarationEntry(i, "sost", at)
		switch i {
		case 6:
			e.Inspection = storetest.FileInspection(i, crossguard.Label{Fraud: 1, Critical: 2}, at)
		case 5:
			e.Inspection = storetest.FileInspection(i, crossguard.Label{}, at)
		}
		entries = append(entries, e)
	}
	if err := n.Store.SaveDeclarations(context.Background(), "import", entries, nil); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPreviewProfileCountsRecentSelections(t *testing.T) {
	n := mustPreviewNode(t)
	ctx := context.Background()
	id := func(i int) string { return string(storetest.DeclarationID(i)) }
	for _, c := range []struct {
		name string
		last int
		want node.ProfilePreview
	}{
		{"all twelve", 12, node.ProfilePreview{Considered: 12, Selected: 2, Inspected: 1, Finds: 1, Examples: []string{id(12), id(6)}}},
		{"the default covers all", 0, node.ProfilePreview{Considered: 12, Selected: 2, Inspected: 1, Finds: 1, Examples: []string{id(12), id(6)}}},
		{"the last five", 5, node.ProfilePreview{Considered: 5, Selected: 1, Examples: []string{id(12)}}},
		{"the last seven", 7, node.ProfilePreview{Considered: 7, Selected: 2, Inspected: 1, Finds: 1, Examples: []string{id(12), id(6)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := n.PreviewProfile(ctx, previewDraft(t), c.last)
			if err != nil {
				t.Fatalf("PreviewProfile: %v", err)
			}
			if !reflect.DeepEqual(*got, c.want) {
				t.Errorf("PreviewProfile(last %d) = %+v, want %+v", c.last, *got, c.want)
			}
		})
	}
	t.Run("a find is an irregularity too", func(t *testing.T) {
		draft := previewDraft(t)
		draft.Conditions = []crossguard.Condition{{Field: "declaration_id", Op: crossguard.OpIn, Value: json.RawMessage(`["` + id(5) + `","` + id(6) + `","` + id(7) + `"]`)}}
		got, err := n.PreviewProfile(ctx, draft, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Selected != 3 || got.Inspected != 2 || got.Finds != 1 {
			t.Errorf("preview of 5, 6 and 7 = %+v; want 3 selected, 2 inspected, 1 find", got)
		}
	})
	t.Run("nothing is stored", func(t *testing.T) {
		ps, err := n.Profiles(ctx, "amina")
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 0 {
			t.Errorf("%d profiles after previews, want none", len(ps))
		}
	})
}

func TestPreviewProfileRefusesInvalidDraft(t *testing.T) {
	n := mustPreviewNode(t)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		edit   func(p *crossguard.Profile)
		fields []string
	}{
		{"no name", func(p *crossguard.Profile) { p.Name = "" }, []string{"name"}},
		{"unknown field", func(p *crossguard.Profile) { p.Conditions[0].Field = "colour" }, []string{"conditions[0].field"}},
		{"text for a number", func(p *crossguard.Profile) {
			p.Conditions = append(p.Conditions, crossguard.Condition{Field: "net_mass", Op: crossguard.OpLt, Value: json.RawMessage(`"heavy"`)})
		}, []string{"conditions[1].value"}},
		{"score out of range", func(p *crossguard.Profile) { p.Score = 2 }, []string{"score"}},
		{"no conditions", func(p *crossguard.Profile) { p.Conditions = nil }, []string{"conditions"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := previewDraft(t)
			c.edit(p)
			got, err := n.PreviewProfile(ctx, p, 0)
			if crossguard.ErrorCode(err) != crossguard.EINVALID {
				t.Fatalf("PreviewProfile = %+v, %v; want EINVALID", got, err)
			}
			var fields []string
			for _, f := range crossguard.ErrorFields(err) {
				fields = append(fields, f.Field)
			}
			for _, f := range c.fields {
				if !slices.Contains(fields, f) {
					t.Errorf("error fields %v lack %s", fields, f)
				}
			}
		})
	}
	if _, err := n.PreviewProfile(ctx, previewDraft(t), -1); crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Errorf("PreviewProfile(last -1): %v, want EINVALID", err)
	}
}

// TestPreviewMatchesDecisions checks that the preview selects exactly the
// declarations that the same profile, once saved, sends to its channel.
func TestPreviewMatchesDecisions(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	if err := n.EnableTargeting(ctx, decide.Config{RandomRate: -1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	draft := previewDraft(t)
	draft.ValidFrom = "2026-01-01"
	draft.Conditions = append(draft.Conditions, crossguard.Condition{Field: "value_per_kg", Op: crossguard.OpLt, Value: json.RawMessage(`60`)})
	var ds []*crossguard.Declaration
	for i := 1; i <= 60; i++ {
		ds = append(ds, decl(i))
	}
	if _, err := n.CreateProfile(ctx, "amina", previewDraft(t)); err != nil {
		t.Fatal(err) // a profile in force from 2027 does not take part
	}
	if _, err := n.Decide(ctx, "amina", ds); err != nil {
		t.Fatal(err)
	}
	pv, err := n.PreviewProfile(ctx, draft, 60)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := n.CreateProfile(ctx, "amina", draft)
	if err != nil {
		t.Fatal(err)
	}
	var again []*crossguard.Declaration
	for i := 61; i <= 120; i++ {
		d := decl(i - 60)
		d.DeclarationID = storetest.DeclarationID(i)
		again = append(again, d)
	}
	decs, err := n.Decide(ctx, "amina", again)
	if err != nil {
		t.Fatal(err)
	}
	selected := 0
	for _, d := range decs {
		if slices.Contains(d.Profiles, saved.ID) {
			selected++
		}
	}
	if pv.Selected == 0 || pv.Selected != selected {
		t.Errorf("preview selected %d of 60, the saved profile %d of the same 60", pv.Selected, selected)
	}
}
