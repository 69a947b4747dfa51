package storetest

import (
	"fmt"
	"testing"
	"time"

	"crossguard"
)

// testStoredDecisions checks StoredDecisions, the bulk look-up of
// declarations that deciding and importing use.
func testStoredDecisions(t *testing.T, open Opener) {
	t.Run("stored ids with their decisions", func(t *testing.T) {
		s := riskFresh(t, open)
		profiled := NewDeclarationEntry(1, "torkham", riskT0)
		profiled.Decision = NewDecision(1, crossguard.ChannelRed, crossguard.SelectedProfile, 0.93, "torkham", riskT0, "p-zulu", "p-alpha")
		// Read after the decision with profiles: its own must not leak in.
		modelled := NewDeclarationEntry(2, "chaman", riskT0)
		modelled.Decision = NewDecision(2, crossguard.ChannelYellow, crossguard.SelectedModel, 0.41, "chaman", riskT0.Add(time.Second))
		labelled := NewDeclarationEntry(3, "", riskT0)
		labelled.Inspection = FileInspection(3, crossguard.Label{Fraud: 1, Critical: 2}, riskT0)
		bare := NewDeclarationEntry(4, "sost", riskT0)
		inspected := NewDeclarationEntry(5, "sost", riskT0)
		inspected.Decision = NewDecision(5, crossguard.ChannelGreen, crossguard.SelectedNone, 0.02, "sost", riskT0, "p-alpha")
		inspected.Inspection = NewInspection(5, crossguard.ResultNoFinding, 0, riskT0.Add(time.Hour))
		mustSaveDeclarations(t, s, profiled, modelled, labelled, bare, inspected)

		id := func(n int) string { return string(DeclarationID(n)) }
		// Unknown ids, a repeated id and the empty id among the stored.
		got, err := s.StoredDecisions(t.Context(), []string{id(99), id(5), id(1), id(2), id(3), id(1), "", id(4), id(98)})
		if err != nil {
			t.Fatalf("StoredDecisions: %v", err)
		}
		want := map[string]*crossguard.Decision{
			id(1): profiled.Decision, id(2): modelled.Decision, id(3): nil, id(4): nil, id(5): inspected.Decision,
		}
		wantEqual(t, "stored decisions", got, want)
		for n := 1; n <= 5; n++ {
			wantEqual(t, "decision of "+id(n)+" beside DeclarationEntry's", got[id(n)], mustEntry(t, s, DeclarationID(n)).Decision)
		}
	})
	t.Run("no ids and no stored ids give an empty map", func(t *testing.T) {
		s := riskFresh(t, open)
		for _, ids := range [][]string{nil, {}, {string(DeclarationID(1)), string(DeclarationID(2))}} {
			got, err := s.StoredDecisions(t.Context(), ids)
			if err != nil || got == nil || len(got) != 0 {
				t.Fatalf("StoredDecisions(%q) on an empty store = %v, %v; want an empty map", ids, got, err)
			}
		}
	})
	t.Run("more ids than one query takes", func(t *testing.T) {
		s := riskFresh(t, open)
		// 1,500 stored declarations, every third with a decision naming
		// its number as a profile, asked for among 3,000 ids with the
		// unknown ones in between, so that a chunk of an even number of ids
		// ends with a stored one: several chunks of any size up to
		// 1,000 ids, each with stored and unknown ids.
		const stored = 1500
		entries := make([]*crossguard.DeclarationEntry, stored)
		for i := range entries {
			entries[i] = NewDeclarationEntry(i, Crossings[i%len(Crossings)], riskT0)
			if i%3 == 0 {
				entries[i].Decision = NewDecision(i, crossguard.ChannelRed, crossguard.SelectedProfile, 0.5, entries[i].Declaration.Crossing, riskT0, fmt.Sprintf("p-%d", i))
			}
		}
		mustSaveDeclarations(t, s, entries...)
		ids := make([]string, 0, 2*stored)
		for i := range stored {
			ids = append(ids, string(DeclarationID(100000+i)), string(DeclarationID(i)))
		}
		got, err := s.StoredDecisions(t.Context(), ids)
		if err != nil {
			t.Fatalf("StoredDecisions(%d ids): %v", len(ids), err)
		}
		if len(got) != stored {
			t.Fatalf("StoredDecisions(%d ids) found %d, want the %d stored", len(ids), len(got), stored)
		}
		for i, e := range entries {
			d, ok := got[string(DeclarationID(i))]
			if !ok {
				t.Fatalf("stored declaration %s missing from StoredDecisions", DeclarationID(i))
			}
			wantEqual(t, "decision of "+string(DeclarationID(i)), d, e.Decision)
		}
	})
}
