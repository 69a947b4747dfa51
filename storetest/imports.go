package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testImports checks the saved progress of CSV imports.
func testImports(t *testing.T, open Opener) {
	started := T0.Truncate(time.Microsecond)
	t.Run("save, read, update and forget", func(t *testing.T) {
		s := fresh(t, open)
		got, err := s.ImportProgress(t.Context(), "unknown")
		if err != nil || got != nil {
			t.Fatalf("ImportProgress of an unknown file = %+v, %v; want nil, nil", got, err)
		}
		p := &crossguard.ImportProgress{FileHash: hash(1), FileName: "seizures 2025.csv", LinesDone: 1, StartedAt: started}
		if err := s.SaveImportProgress(t.Context(), p); err != nil {
			t.Fatalf("SaveImportProgress: %v", err)
		}
		got, err = s.ImportProgress(t.Context(), p.FileHash)
		if err != nil {
			t.Fatalf("ImportProgress: %v", err)
		}
		wantEqual(t, "progress", got, p)

		finished := started.Add(90 * time.Second)
		p2 := &crossguard.ImportProgress{FileHash: hash(1), FileName: "seizures 2025.csv", LinesDone: 1001, Imported: 990, Rejected: 10, StartedAt: started, FinishedAt: &finished, From: 1}
		if err := s.SaveImportProgress(t.Context(), p2); err != nil {
			t.Fatalf("SaveImportProgress again: %v", err)
		}
		p2.From = 0 // not stored
		got, err = s.ImportProgress(t.Context(), p.FileHash)
		if err != nil {
			t.Fatalf("ImportProgress: %v", err)
		}
		wantEqual(t, "updated progress", got, p2)

		other := &crossguard.ImportProgress{FileHash: hash(2), FileName: "other.csv", StartedAt: started}
		if err := s.SaveImportProgress(t.Context(), other); err != nil {
			t.Fatalf("SaveImportProgress: %v", err)
		}
		if err := s.ForgetImport(t.Context(), p.FileHash); err != nil {
			t.Fatalf("ForgetImport: %v", err)
		}
		got, err = s.ImportProgress(t.Context(), p.FileHash)
		if err != nil || got != nil {
			t.Fatalf("ImportProgress after ForgetImport = %+v, %v; want nil, nil", got, err)
		}
		if err := s.ForgetImport(t.Context(), p.FileHash); err != nil {
			t.Fatalf("ForgetImport of a forgotten file: %v", err)
		}
		got, err = s.ImportProgress(t.Context(), other.FileHash)
		if err != nil {
			t.Fatalf("ImportProgress: %v", err)
		}
		wantEqual(t, "other progress", got, other)
	})
	t.Run("saved with a batch", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 4, T0, time.Hour)
		p := &crossguard.ImportProgress{FileHash: hash(7), FileName: "a.csv", LinesDone: 5, Imported: 4, StartedAt: started}
		if err := s.CreateSeizures(t.Context(), "import", items, p); err != nil {
			t.Fatalf("CreateSeizures: %v", err)
		}
		got, err := s.ImportProgress(t.Context(), p.FileHash)
		if err != nil {
			t.Fatalf("ImportProgress: %v", err)
		}
		wantEqual(t, "progress saved with the batch", got, p)

		more := NewSeizures(10, 3, T0, time.Hour)
		p2 := &crossguard.ImportProgress{FileHash: hash(7), FileName: "a.csv", LinesDone: 8, Imported: 7, StartedAt: started, From: 5}
		if err := s.CreateSeizures(t.Context(), "import", more, p2); err != nil {
			t.Fatalf("CreateSeizures: %v", err)
		}
		p2.From = 0 // not stored
		got, err = s.ImportProgress(t.Context(), p.FileHash)
		if err != nil {
			t.Fatalf("ImportProgress: %v", err)
		}
		wantEqual(t, "progress after the second batch", got, p2)
	})
	t.Run("not saved when the batch fails", func(t *testing.T) {
		s := fresh(t, open)
		stored := NewSeizure(0, T0)
		mustCreate(t, s, stored)
		p := &crossguard.ImportProgress{FileHash: hash(8), FileName: "b.csv", LinesDone: 3, Imported: 2, StartedAt: started}
		batch := []*crossguard.Seizure{NewSeizure(1, T0), clone(stored)}
		wantCode(t, s.CreateSeizures(t.Context(), "import", batch, p), crossguard.ECONFLICT)
		got, err := s.ImportProgress(t.Context(), p.FileHash)
		if err != nil || got != nil {
			t.Fatalf("ImportProgress after a failed batch = %+v, %v; want nil, nil", got, err)
		}
	})
	t.Run("refused when another import moved on", func(t *testing.T) {
		s := fresh(t, open)
		first := &crossguard.ImportProgress{FileHash: hash(9), FileName: "c.csv", LinesDone: 1, StartedAt: started}
		if err := s.SaveImportProgress(t.Context(), first); err != nil {
			t.Fatalf("SaveImportProgress: %v", err)
		}
		// Two imports of the same file both start from line 1; the first
		// stores its batch, the second's batch of the same rows is refused.
		a := &crossguard.ImportProgress{FileHash: hash(9), FileName: "c.csv", LinesDone: 3, Imported: 2, StartedAt: started, From: 1}
		if err := s.CreateSeizures(t.Context(), "import", NewSeizures(0, 2, T0, time.Hour), a); err != nil {
			t.Fatalf("CreateSeizures: %v", err)
		}
		b := &crossguard.ImportProgress{FileHash: hash(9), FileName: "c.csv", LinesDone: 2, Imported: 1, StartedAt: started, From: 1}
		dup := NewSeizures(100, 1, T0, time.Hour)
		wantCode(t, s.CreateSeizures(t.Context(), "import", dup, b), crossguard.ECONFLICT)
		if _, err := s.Seizure(t.Context(), dup[0].ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
			t.Fatalf("a refused batch stored its seizure: %v", err)
		}
		wantCode(t, s.SaveImportProgress(t.Context(), b), crossguard.ECONFLICT)
		// A fresh start (From 0) over saved progress is refused too.
		wantCode(t, s.SaveImportProgress(t.Context(), first), crossguard.ECONFLICT)
		got, err := s.ImportProgress(t.Context(), a.FileHash)
		if err != nil || got.LinesDone != 3 || got.Imported != 2 {
			t.Fatalf("progress = %+v, %v; want the first import's", got, err)
		}
	})
}
