package storetest

import (
	"testing"

	"crossguard"
)

// testCounters checks the running totals of decisions by channel and of
// import rows: they grow with what is written and keep what is deleted.
func testCounters(t *testing.T, open Opener) {
	t.Run("grow with writes and keep what is deleted", func(t *testing.T) { testCountersGrow(t, open) })
}

// testCountersGrow counts decisions and import rows.
func testCountersGrow(t *testing.T, open Opener) {
	s := riskFresh(t, open)
	counter := func(name string) map[string]int64 {
		t.Helper()
		m, err := s.Counters(t.Context(), name)
		if err != nil {
			t.Fatalf("Counters(%s): %v", name, err)
		}
		return m
	}
	wantEqual(t, "decisions of a new node", len(counter(crossguard.CounterDecisions)), 0)
	wantEqual(t, "import rows of a new node", counter(crossguard.CounterImportRows), map[string]int64{"imported": 0, "rejected": 0})
	var entries []*crossguard.DeclarationEntry
	for i, ch := range []string{crossguard.ChannelRed, crossguard.ChannelGreen, crossguard.ChannelGreen} {
		e := NewDeclarationEntry(i+1, "PKSST", T0)
		e.Decision = NewDecision(i+1, ch, crossguard.SelectedProfile, 0.5, "PKSST", T0)
		entries = append(entries, e)
	}
	entries = append(entries, NewDeclarationEntry(4, "PKSST", T0)) // imported history: no decision
	mustSaveDeclarations(t, s, entries...)
	wantEqual(t, "decisions", counter(crossguard.CounterDecisions), map[string]int64{crossguard.ChannelRed: 1, crossguard.ChannelGreen: 2})

	p := &crossguard.ImportProgress{FileHash: "f1", FileName: "a.csv", LinesDone: 11, Imported: 8, Rejected: 2, StartedAt: T0}
	if err := s.SaveImportProgress(t.Context(), p); err != nil {
		t.Fatalf("SaveImportProgress: %v", err)
	}
	p.From, p.LinesDone, p.Imported, p.Rejected = 11, 21, 17, 3
	if err := s.SaveImportProgress(t.Context(), p); err != nil {
		t.Fatalf("SaveImportProgress: %v", err)
	}
	if err := s.ForgetImport(t.Context(), "f1"); err != nil {
		t.Fatalf("ForgetImport: %v", err)
	}
	wantEqual(t, "import rows", counter(crossguard.CounterImportRows), map[string]int64{"imported": 17, "rejected": 3})
}
