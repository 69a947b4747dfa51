package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testChangeSeq checks that every create, update and delete takes the next
// change sequence number, starting at 1, and that failed writes take none.
func testChangeSeq(t *testing.T, open Opener) {
	t.Run("strictly increasing and gap-free", func(t *testing.T) {
		s := fresh(t, open)
		var want int64
		next := func(what, id string) {
			t.Helper()
			want++
			if got := changeSeq(t, s, id); got != want {
				t.Fatalf("after %s: ChangeSeq(%s) = %d, want %d", what, id, got, want)
			}
		}
		batch := NewSeizures(0, 3, T0, time.Hour)
		mustCreate(t, s, batch...)
		for _, it := range batch {
			next("create in a batch", it.ID)
		}
		// A refused batch takes no numbers.
		dup := NewSeizures(10, 2, T0, time.Minute)
		dup[1].ID = batch[0].ID
		wantCode(t, s.CreateSeizures(t.Context(), actor, dup, nil), crossguard.ECONFLICT)
		single := NewSeizure(20, T0.Add(-time.Hour))
		mustCreate(t, s, single)
		next("create", single.ID)

		upd := clone(batch[0])
		upd.Version = 2
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		next("update", upd.ID)
		// A refused update takes no number.
		wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), crossguard.EPRECONDITIONFAILED)
		if err := s.DeleteSeizure(t.Context(), actor, batch[1].ID, 0, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		next("delete", batch[1].ID)
		wantCode(t, s.DeleteSeizure(t.Context(), actor, batch[1].ID, 0, T0), crossguard.ENOTFOUND)
		// Audit entries and users are not changes of records.
		if err := s.AppendAudit(t.Context(), &crossguard.AuditEntry{At: T0, Actor: actor, Action: crossguard.ActionSeizureRead, Outcome: crossguard.OutcomeOK}); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		upd.Version = 3
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		next("second update", upd.ID)
		more := NewSeizures(30, 4, T0.Add(-2*time.Hour), time.Second)
		mustCreate(t, s, more...)
		for _, it := range more {
			next("create in a later batch", it.ID)
		}
		// Unchanged records keep their numbers.
		if got := changeSeq(t, s, batch[2].ID); got != 3 {
			t.Fatalf("ChangeSeq of an unchanged record = %d, want 3", got)
		}
	})
	t.Run("unknown id not found", func(t *testing.T) {
		s := fresh(t, open)
		cs, ok := s.(ChangeSeqer)
		if !ok {
			t.Fatalf("%T does not implement storetest.ChangeSeqer", s)
		}
		_, err := cs.ChangeSeq(t.Context(), SeizureID(0, T0))
		wantCode(t, err, crossguard.ENOTFOUND)
	})
}
