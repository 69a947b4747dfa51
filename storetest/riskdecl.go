package storetest

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// testDeclarations checks SaveDeclarations and DeclarationEntry.
func testDeclarations(t *testing.T, open Opener) {
	t.Run("round trip with decision and inspection", func(t *testing.T) {
		s := riskFresh(t, open)
		full := NewDeclarationEntry(1, "torkham", riskT0)
		full.Decision = NewDecision(1, crossguard.ChannelRed, crossguard.SelectedProfile, 0.93, "torkham", riskT0.Add(time.Millisecond), "p-zulu", "p-alpha")
		full.Decision.ModelVersion = 3
		full.Decision.Reasons = append(full.Decision.Reasons,
			crossguard.Reason{Type: crossguard.ReasonWatchlist, ID: "w-1", Name: "container MSCU0000001", Channel: crossguard.ChannelRed, Text: "on the watch list"},
			crossguard.Reason{Type: crossguard.ReasonModel, Feature: "importer_id", Value: "IMP0001", Contribution: -0.375, Text: "importer rarely at fault"})
		full.Inspection = NewInspection(1, crossguard.ResultSeizure, 1234.5, riskT0.Add(time.Hour))
		modelled := NewDeclarationEntry(2, "chaman", riskT0.Add(time.Second))
		modelled.Decision = NewDecision(2, crossguard.ChannelYellow, crossguard.SelectedModel, 0.41, "chaman", riskT0.Add(2*time.Second))
		labelled := NewDeclarationEntry(3, "", riskT0.Add(time.Second))
		labelled.Declaration.Identifiers = nil
		labelled.Inspection = FileInspection(3, crossguard.Label{Fraud: 1, Critical: 1}, riskT0)
		bare := NewDeclarationEntry(4, "sost", riskT0.Add(3*time.Second))
		entries := []*crossguard.DeclarationEntry{full, modelled, labelled, bare}
		mustSaveDeclarations(t, s, entries...)
		for _, want := range entries {
			got := mustEntry(t, s, want.Declaration.DeclarationID)
			wantEqual(t, "entry "+string(want.Declaration.DeclarationID), got, want)
		}
		if got := mustEntry(t, s, full.Declaration.DeclarationID); got.Decision.Profiles[0] != "p-zulu" {
			t.Fatalf("profiles of the decision read back as %v, not in their order", got.Decision.Profiles)
		}
		wantNoDeclaration(t, s, "99999999")
		saves := auditActions(t, s, crossguard.ActionDeclarationSave)
		if len(saves) != 1 {
			t.Fatalf("%d audit entries for one call of SaveDeclarations, want 1", len(saves))
		}
		wantDetail(t, saves[0], `count="4"`, `first="`+string(DeclarationID(1))+`"`, `last="`+string(DeclarationID(4))+`"`)
		wantChain(t, s, 1)
	})
	t.Run("empty call stores and audits nothing", func(t *testing.T) {
		s := riskFresh(t, open)
		if err := s.SaveDeclarations(t.Context(), actor, nil, nil); err != nil {
			t.Fatalf("SaveDeclarations(nothing): %v", err)
		}
		wantChain(t, s, 0)
	})
	t.Run("stored id conflicts and nothing of the call is kept", func(t *testing.T) {
		s := riskFresh(t, open)
		stored := NewDeclarationEntry(180, "torkham", riskT0)
		mustSaveDeclarations(t, s, stored)
		// A batch of 250 spans several multi-row statements; the stored
		// id comes in the middle, after rows already written.
		var batch []*crossguard.DeclarationEntry
		for i := range 250 {
			e := NewDeclarationEntry(1000+i, "chaman", riskT0.Add(time.Minute))
			e.Decision = NewDecision(1000+i, crossguard.ChannelGreen, crossguard.SelectedNone, 0.01, "chaman", riskT0.Add(time.Minute), "p-1")
			e.Inspection = NewInspection(1000+i, crossguard.ResultNoFinding, 0, riskT0.Add(time.Hour))
			batch = append(batch, e)
		}
		dup := NewDeclarationEntry(180, "sost", riskT0.Add(time.Hour))
		dup.Decision = NewDecision(180, crossguard.ChannelRed, crossguard.SelectedModel, 0.99, "sost", riskT0.Add(time.Hour))
		batch[180] = dup
		p := &crossguard.ImportProgress{FileHash: hash(31), FileName: "declarations.csv", LinesDone: 251, Imported: 250, StartedAt: riskT0}
		err := s.SaveDeclarations(t.Context(), actor, batch, p)
		wantCode(t, err, crossguard.ECONFLICT)
		wantMessage(t, err, string(stored.Declaration.DeclarationID))
		for _, i := range []int{0, 179, 181, 249} {
			wantNoDeclaration(t, s, batch[i].Declaration.DeclarationID)
		}
		wantEqual(t, "the stored declaration", mustEntry(t, s, stored.Declaration.DeclarationID), stored)
		if got, err := s.ImportProgress(t.Context(), p.FileHash); err != nil || got != nil {
			t.Fatalf("ImportProgress after a refused batch = %+v, %v; want nil, nil", got, err)
		}
		if n := len(auditActions(t, s, crossguard.ActionDeclarationSave)); n != 1 {
			t.Fatalf("%d declaration.save audit entries, want only the first call's", n)
		}
		wantChain(t, s, 1)
	})
	t.Run("id twice in a call conflicts", func(t *testing.T) {
		s := riskFresh(t, open)
		a, b := NewDeclarationEntry(7, "torkham", riskT0), NewDeclarationEntry(8, "torkham", riskT0)
		again := NewDeclarationEntry(7, "sost", riskT0.Add(time.Second))
		err := s.SaveDeclarations(t.Context(), actor, []*crossguard.DeclarationEntry{a, b, again}, nil)
		wantCode(t, err, crossguard.ECONFLICT)
		wantMessage(t, err, string(a.Declaration.DeclarationID))
		wantNoDeclaration(t, s, a.Declaration.DeclarationID)
		wantNoDeclaration(t, s, b.Declaration.DeclarationID)
		wantChain(t, s, 0)
	})
	t.Run("progress saved with the batch under the rule of From", func(t *testing.T) {
		s := riskFresh(t, open)
		p1 := &crossguard.ImportProgress{FileHash: hash(32), FileName: "train.csv", LinesDone: 3, Imported: 2, StartedAt: riskT0}
		if err := s.SaveDeclarations(t.Context(), "import", []*crossguard.DeclarationEntry{NewDeclarationEntry(1, "", riskT0), NewDeclarationEntry(2, "", riskT0)}, p1); err != nil {
			t.Fatalf("SaveDeclarations with progress: %v", err)
		}
		wantProgress(t, s, p1)
		p2 := &crossguard.ImportProgress{FileHash: hash(32), FileName: "train.csv", LinesDone: 5, Imported: 4, StartedAt: riskT0, From: 3}
		if err := s.SaveDeclarations(t.Context(), "import", []*crossguard.DeclarationEntry{NewDeclarationEntry(3, "", riskT0), NewDeclarationEntry(4, "", riskT0)}, p2); err != nil {
			t.Fatalf("SaveDeclarations with progress from 3: %v", err)
		}
		wantProgress(t, s, p2)
		// Another import of the file that also started at line 3 is
		// refused, and its declaration is not stored.
		stale := &crossguard.ImportProgress{FileHash: hash(32), FileName: "train.csv", LinesDone: 4, Imported: 3, StartedAt: riskT0, From: 3}
		err := s.SaveDeclarations(t.Context(), "import", []*crossguard.DeclarationEntry{NewDeclarationEntry(5, "", riskT0)}, stale)
		wantCode(t, err, crossguard.ECONFLICT)
		wantNoDeclaration(t, s, DeclarationID(5))
		wantProgress(t, s, p2)
		// Progress alone (a batch of rejected rows) is saved, unaudited.
		done := riskT0.Add(time.Minute)
		p3 := &crossguard.ImportProgress{FileHash: hash(32), FileName: "train.csv", LinesDone: 7, Imported: 4, Rejected: 2, StartedAt: riskT0, FinishedAt: &done, From: 5}
		if err := s.SaveDeclarations(t.Context(), "import", nil, p3); err != nil {
			t.Fatalf("SaveDeclarations of progress alone: %v", err)
		}
		wantProgress(t, s, p3)
		wantChain(t, s, 2)
	})
}

// wantProgress fails t unless the saved progress of p's file is p (From
// aside, which is not stored).
func wantProgress(t *testing.T, s crossguard.Store, p *crossguard.ImportProgress) {
	t.Helper()
	got, err := s.ImportProgress(t.Context(), p.FileHash)
	if err != nil {
		t.Fatalf("ImportProgress: %v", err)
	}
	want := *p
	want.From = 0
	wantEqual(t, "saved progress", got, &want)
}

// wantDetail fails t unless e's detail holds every one of parts.
func wantDetail(t *testing.T, e *crossguard.AuditEntry, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(e.Detail, p) {
			t.Fatalf("audit entry %d (%s) has detail %q, without %s", e.Seq, e.Action, e.Detail, p)
		}
	}
}
