package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"crossguard"
)

// testInspections checks RecordInspection and LabelledDeclarations.
func testInspections(t *testing.T, open Opener) {
	t.Run("recorded, replaced and audited", func(t *testing.T) {
		s := riskFresh(t, open)
		plain := NewDeclarationEntry(1, "torkham", riskT0)
		plain.Decision = NewDecision(1, crossguard.ChannelRed, crossguard.SelectedModel, 0.8, "torkham", riskT0)
		fromFile := NewDeclarationEntry(2, "torkham", riskT0)
		fromFile.Inspection = FileInspection(2, crossguard.Label{Fraud: 1, Critical: 2}, riskT0)
		mustSaveDeclarations(t, s, plain, fromFile)

		in := NewInspection(1, crossguard.ResultSeizure, 2500.75, riskT0.Add(time.Hour))
		if err := s.RecordInspection(t.Context(), actor, in); err != nil {
			t.Fatalf("RecordInspection: %v", err)
		}
		want := *plain
		want.Inspection = in
		wantEqual(t, "entry after its inspection", mustEntry(t, s, plain.Declaration.DeclarationID), &want)

		again := NewInspection(2, crossguard.ResultNoFinding, 0, riskT0.Add(2*time.Hour))
		if err := s.RecordInspection(t.Context(), actor, again); err != nil {
			t.Fatalf("RecordInspection replacing one from a file: %v", err)
		}
		want = *fromFile
		want.Inspection = again
		wantEqual(t, "entry after its inspection was replaced", mustEntry(t, s, fromFile.Declaration.DeclarationID), &want)

		unknown := NewInspection(99, crossguard.ResultIrregularity, 10, riskT0)
		wantCode(t, s.RecordInspection(t.Context(), actor, unknown), crossguard.ENOTFOUND)
		wantNoDeclaration(t, s, DeclarationID(99))

		wantAudit(t, s, string(DeclarationID(1)), crossguard.ActionInspection)
		wantAudit(t, s, string(DeclarationID(2)), crossguard.ActionInspection)
		wantAudit(t, s, string(DeclarationID(99)))
		wantChain(t, s, 3)
	})
	t.Run("labels in received order, ties by id", func(t *testing.T) {
		s := riskFresh(t, open)
		at := func(h int) time.Time { return riskT0.Add(time.Duration(h) * time.Hour) }
		late := NewDeclarationEntry(10, "torkham", at(3))
		late.Inspection = FileInspection(10, crossguard.Label{Fraud: 1, Critical: 2}, at(3))
		tieB := NewDeclarationEntry(30, "torkham", at(1))
		tieB.Inspection = FileInspection(30, crossguard.Label{}, at(1))
		tieA := NewDeclarationEntry(20, "chaman", at(1))
		tieA.Inspection = FileInspection(20, crossguard.Label{Fraud: 1, Critical: 1}, at(1))
		uninspected := NewDeclarationEntry(5, "sost", at(0))
		decided := NewDeclarationEntry(40, "sost", at(2))
		decided.Decision = NewDecision(40, crossguard.ChannelRed, crossguard.SelectedRandom, 0.2, "sost", at(2))
		mustSaveDeclarations(t, s, late, tieB)
		mustSaveDeclarations(t, s, tieA, uninspected, decided)
		if err := s.RecordInspection(t.Context(), actor, NewInspection(40, crossguard.ResultIrregularity, 75, at(4))); err != nil {
			t.Fatalf("RecordInspection: %v", err)
		}
		type labelled struct {
			ID    crossguard.Code
			Label crossguard.Label
		}
		var got []labelled
		err := s.LabelledDeclarations(t.Context(), func(d *crossguard.Declaration, l crossguard.Label) error {
			for _, e := range []*crossguard.DeclarationEntry{late, tieA, tieB, decided} {
				if e.Declaration.DeclarationID == d.DeclarationID {
					wantEqual(t, "labelled declaration "+string(d.DeclarationID), d, e.Declaration)
				}
			}
			got = append(got, labelled{d.DeclarationID, l})
			return nil
		})
		if err != nil {
			t.Fatalf("LabelledDeclarations: %v", err)
		}
		wantEqual(t, "labelled declarations", got, []labelled{
			{DeclarationID(20), crossguard.Label{Fraud: 1, Critical: 1}},
			{DeclarationID(30), crossguard.Label{}},
			{DeclarationID(40), crossguard.Label{Fraud: 1, Critical: 1}},
			{DeclarationID(10), crossguard.Label{Fraud: 1, Critical: 2}},
		})
	})
	t.Run("labels of many declarations, stopped by the callback", func(t *testing.T) {
		s := riskFresh(t, open)
		const n = 2345
		var all []*crossguard.DeclarationEntry
		for i := range n {
			e := NewDeclarationEntry(i, Crossings[i%3], riskT0.Add(time.Duration(i%400)*time.Second))
			e.Inspection = FileInspection(i, crossguard.Label{Fraud: i % 2, Critical: i % 3 * (i % 2)}, riskT0)
			all = append(all, e)
		}
		for chunk := range slices.Chunk(all, 1000) {
			mustSaveDeclarations(t, s, chunk...)
		}
		var ids []string
		err := s.LabelledDeclarations(t.Context(), func(d *crossguard.Declaration, l crossguard.Label) error {
			ids = append(ids, fmt.Sprintf("%s %s", all[0].ReceivedAt.Add(time.Duration(idNumber(d)%400)*time.Second).Format(time.RFC3339), d.DeclarationID))
			if want := (crossguard.Label{Fraud: idNumber(d) % 2, Critical: idNumber(d) % 3 * (idNumber(d) % 2)}); l != want {
				return fmt.Errorf("label of %s is %+v, want %+v", d.DeclarationID, l, want)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("LabelledDeclarations: %v", err)
		}
		if len(ids) != n || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != n {
			t.Fatalf("LabelledDeclarations gave %d declarations, sorted %v; want %d once each in received order", len(ids), slices.IsSorted(ids), n)
		}
		stop := errors.New("enough")
		calls := 0
		err = s.LabelledDeclarations(t.Context(), func(*crossguard.Declaration, crossguard.Label) error {
			calls++
			if calls == 1500 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || calls != 1500 {
			t.Fatalf("LabelledDeclarations with a callback failing at call 1500 = %v after %d calls; want that error after 1500", err, calls)
		}
	})
	t.Run("no labels in an empty store", func(t *testing.T) {
		s := riskFresh(t, open)
		err := s.LabelledDeclarations(t.Context(), func(d *crossguard.Declaration, _ crossguard.Label) error {
			return fmt.Errorf("called for %s", d.DeclarationID)
		})
		if err != nil {
			t.Fatalf("LabelledDeclarations on an empty store: %v", err)
		}
	})
}

// idNumber returns n of a declaration made by NewDeclaration(n, ...).
func idNumber(d *crossguard.Declaration) int {
	var n int
	fmt.Sscan(string(d.DeclarationID), &n)
	return n - 10000000
}

// testRecentScores checks RecentScores.
func testRecentScores(t *testing.T, open Opener) {
	t.Run("newest first per crossing, at most n", func(t *testing.T) {
		s := riskFresh(t, open)
		decisions := []struct {
			n        int
			crossing string
			score    float64
			minute   int
		}{
			{1, "torkham", 0.125, 1}, {2, "torkham", 0.25, 2}, {3, "chaman", 0.875, 3}, {4, "torkham", 0.375, 4},
			{5, "torkham", 0.5, 6}, {6, "chaman", 0.625, 5},
		}
		var entries []*crossguard.DeclarationEntry
		for _, d := range decisions {
			e := NewDeclarationEntry(d.n, d.crossing, riskT0)
			e.Decision = NewDecision(d.n, crossguard.ChannelGreen, crossguard.SelectedModel, d.score, d.crossing, riskT0.Add(time.Duration(d.minute)*time.Minute))
			entries = append(entries, e)
		}
		undecided := NewDeclarationEntry(7, "torkham", riskT0.Add(time.Hour))
		mustSaveDeclarations(t, s, entries[:3]...)
		mustSaveDeclarations(t, s, append(entries[3:], undecided)...)
		for _, c := range []struct {
			crossing string
			n        int
			want     []float64
		}{
			{"torkham", 2, []float64{0.5, 0.375}},
			{"torkham", 10, []float64{0.5, 0.375, 0.25, 0.125}},
			{"chaman", 1, []float64{0.625}},
			{"", 3, []float64{0.5, 0.625, 0.375}},
			{"", 100, []float64{0.5, 0.625, 0.375, 0.875, 0.25, 0.125}},
			{"sost", 5, nil},
			{"torkham", 0, nil},
		} {
			got, err := s.RecentScores(t.Context(), c.crossing, c.n)
			if err != nil {
				t.Fatalf("RecentScores(%q, %d): %v", c.crossing, c.n, err)
			}
			if len(got) != 0 || len(c.want) != 0 {
				wantEqual(t, fmt.Sprintf("RecentScores(%q, %d)", c.crossing, c.n), got, c.want)
			}
		}
	})
}
