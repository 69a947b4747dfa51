package crossguard_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"crossguard"
)

// progAgreementID is the id of the agreement of these tests.
const progAgreementID = "0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f"

// progT0 is the time of the first progress report of these tests.
var progT0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

// progAgreement returns a valid agreement between pk-customs and
// af-customs written by pk-customs/sost, with commitments owned by each.
func progAgreement() *crossguard.Agreement {
	return &crossguard.Agreement{
		Header: crossguard.Header{ID: progAgreementID, Kind: crossguard.KindAgreement, Origin: "pk-customs/sost", Version: 1,
			CreatedAt: progT0, UpdatedAt: progT0, Distribution: crossguard.DistNetwork,
			Recipients: []string{"pk-customs", "af-customs"}, Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Title:    "Counter-narcotics and anti-smuggling cooperation",
		Parties:  []string{"pk-customs", "af-customs"},
		SignedOn: "2026-06-01",
		Scope: crossguard.AgreementScope{Kinds: []string{"seizure", "warning"},
			DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}, RetentionDays: 730},
		Commitments: []crossguard.Commitment{
			{ID: "ex-1", Type: crossguard.CommitmentExercise, Title: "Joint exercise in the border region", Owner: "pk-customs", Due: "2026-11-30"},
			{ID: "tr-1", Type: crossguard.CommitmentTraining, Title: "Training at the partner's academy", Owner: "af-customs", Due: "2027-03-31"},
			{ID: "vi-1", Type: crossguard.CommitmentVisit, Title: "Delegation visit", Owner: "af-customs", Due: "2026-09-30"},
			{ID: "ix-1", Type: crossguard.CommitmentIntelligenceExchange, Title: "Monthly exchange", Owner: "pk-customs", Due: "2026-12-31"},
		},
	}
}

// progReport returns report i by origin on commitment c, reported at
// progT0 plus minutes.
func progReport(i int, origin, c, status string, minutes int) *crossguard.Progress {
	at := progT0.Add(time.Duration(minutes) * time.Minute)
	return &crossguard.Progress{
		Header: crossguard.Header{ID: fmt.Sprintf("0193a6f4-0000-7000-8000-%012d", i), Kind: crossguard.KindProgress, Origin: origin,
			Version: 1, CreatedAt: at, UpdatedAt: at, Distribution: crossguard.DistNetwork,
			Recipients: []string{"pk-customs", "af-customs"}, Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Agreement: progAgreementID, Commitment: c, Status: status, ReportedAt: at,
	}
}

// statuses returns the merged status by commitment id, and the order.
func statuses(cs []crossguard.CommitmentState) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	for _, c := range cs {
		m[c.ID] = c.Status
		order = append(order, c.ID)
	}
	return m, order
}

// permutations calls f with every permutation of xs.
func permutations[T any](xs []T, f func([]T)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(xs) {
			f(xs)
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}

// TestMergeCommitmentStatusAnyOrder checks that reports from both
// parties, some late (reported before others that arrived earlier), some
// by the wrong party, give the same statuses in every arrival order.
func TestMergeCommitmentStatusAnyOrder(t *testing.T) {
	a := progAgreement()
	tie1 := progReport(7, "af-customs/islam-qala", "tr-1", crossguard.StatusCancelled, 90)
	tie2 := progReport(8, "af-customs/kabul-hq", "tr-1", crossguard.StatusInProgress, 90) // same time, greater id: wins
	reports := []*crossguard.Progress{
		progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusInProgress, 10),
		progReport(2, "pk-customs/islamabad-hq", "ex-1", crossguard.StatusDone, 60),     // another node of the owner
		progReport(3, "af-customs/islam-qala", "ex-1", crossguard.StatusCancelled, 120), // not the owner: ignored
		progReport(4, "af-customs/islam-qala", "vi-1", crossguard.StatusInProgress, 5),
		progReport(5, "af-customs/islam-qala", "vi-1", crossguard.StatusPlanned, 1), // late: an older report arriving last
		progReport(6, "pk-customs/sost", "vi-1", crossguard.StatusDone, 200),        // not the owner: ignored
		tie1, tie2,
	}
	want := map[string]string{"ex-1": crossguard.StatusDone, "tr-1": crossguard.StatusInProgress,
		"vi-1": crossguard.StatusOverdue, "ix-1": crossguard.StatusPlanned}
	wantOrder := []string{"vi-1", "ex-1", "tr-1", "ix-1"}
	first := crossguard.MergeCommitmentStatus(a, reports, "2026-12-01")
	n := 0
	permutations(reports, func(rs []*crossguard.Progress) {
		n++
		got := crossguard.MergeCommitmentStatus(a, rs, "2026-12-01")
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("order %d gives %+v, the first order %+v", n, got, first)
		}
	})
	if n != 40320 {
		t.Fatalf("%d permutations", n)
	}
	m, order := statuses(first)
	if !reflect.DeepEqual(m, want) || !reflect.DeepEqual(order, wantOrder) {
		t.Fatalf("statuses %v in order %v, want %v in order %v", m, order, want, wantOrder)
	}
	for _, c := range first {
		switch c.ID {
		case "ex-1":
			if c.Reports != 2 || c.ProgressID != "0193a6f4-0000-7000-8000-000000000002" {
				t.Errorf("ex-1: %d reports, latest %s", c.Reports, c.ProgressID)
			}
		case "vi-1":
			if c.Reported != crossguard.StatusInProgress || c.Reports != 2 {
				t.Errorf("vi-1: reported %s (%d reports), want in_progress of 2", c.Reported, c.Reports)
			}
		case "tr-1":
			if c.ProgressID != tie2.ID {
				t.Errorf("tr-1: latest report %s, want %s (the tie goes to the greater id)", c.ProgressID, tie2.ID)
			}
		case "ix-1":
			if c.Reports != 0 || c.ReportedAt != nil {
				t.Errorf("ix-1 has reports: %+v", c)
			}
		}
	}
}

// TestMergeCommitmentStatus checks the merge rules one by one.
func TestMergeCommitmentStatus(t *testing.T) {
	other := progReport(9, "pk-customs/sost", "ex-1", crossguard.StatusDone, 30)
	other.Agreement = "0193a6f4-5b1e-7c4e-9a51-000000000000"
	v2 := progReport(10, "pk-customs/sost", "ex-1", crossguard.StatusCancelled, 30)
	v2.Version = 2
	cases := []struct {
		name    string
		today   string
		reports []*crossguard.Progress
		want    string // status of ex-1, due 2026-11-30
	}{
		{"no report", "2026-11-01", nil, crossguard.StatusPlanned},
		{"no report, due today", "2026-11-30", nil, crossguard.StatusPlanned},
		{"no report, past due", "2026-12-01", nil, crossguard.StatusOverdue},
		{"in progress, past due", "2026-12-01", []*crossguard.Progress{progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusInProgress, 0)}, crossguard.StatusOverdue},
		{"done, past due", "2027-01-01", []*crossguard.Progress{progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusDone, 0)}, crossguard.StatusDone},
		{"cancelled, past due", "2027-01-01", []*crossguard.Progress{progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusCancelled, 0)}, crossguard.StatusCancelled},
		{"in progress", "2026-11-01", []*crossguard.Progress{progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusInProgress, 0)}, crossguard.StatusInProgress},
		{"a later report reopens", "2026-11-01", []*crossguard.Progress{
			progReport(2, "pk-customs/sost", "ex-1", crossguard.StatusInProgress, 20),
			progReport(1, "pk-customs/sost", "ex-1", crossguard.StatusDone, 10)}, crossguard.StatusInProgress},
		{"non-owner ignored", "2026-11-01", []*crossguard.Progress{progReport(1, "af-customs/islam-qala", "ex-1", crossguard.StatusDone, 0)}, crossguard.StatusPlanned},
		{"other agreement ignored", "2026-11-01", []*crossguard.Progress{other}, crossguard.StatusPlanned},
		{"unknown commitment ignored", "2026-11-01", []*crossguard.Progress{progReport(1, "pk-customs/sost", "zz-9", crossguard.StatusDone, 0)}, crossguard.StatusPlanned},
		{"tie by time goes to the higher version", "2026-11-01", []*crossguard.Progress{
			v2, progReport(11, "pk-customs/sost", "ex-1", crossguard.StatusDone, 30)}, crossguard.StatusCancelled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := statuses(crossguard.MergeCommitmentStatus(progAgreement(), tc.reports, tc.today))
			if m["ex-1"] != tc.want {
				t.Fatalf("ex-1 is %s, want %s", m["ex-1"], tc.want)
			}
		})
	}
}
