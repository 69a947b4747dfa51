package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testLocalWrites checks local writes next to received records: own
// records keep working, withdrawn copies are missing records, and ids of
// received records cannot be created again.
func testLocalWrites(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizures(0, 2, T0, time.Hour)
		mustCreate(t, s, own...)
		theirs := ForeignSeizure(1000, T0, PeerA, 1)
		gone := ForeignSeizure(1001, T0, PeerA, 3)
		deleted := ForeignSeizure(1002, T0, PeerA, 1).Header
		deleted.Version = 2
		note := NewAnnotation(1003, refOf(own[0]), PeerA, T0)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(theirs), IncomingSeizure(gone), IncomingTombstone(deleted), IncomingAnnotation(note)))
		p := newPage(PeerA, 2)
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(gone.Header, "gone"), withdrawal(note.Header, "gone")}
		wantResult(t, mustApply(t, s, p), 0, 0, 2)
		n0, head0 := chainLen(t, s), feedHead(t, s)

		// Withdrawn copies are missing records.
		upd := clone(gone)
		upd.Version = 4
		wantCode(t, s.UpdateSeizure(t.Context(), actor, upd), crossguard.ENOTFOUND)
		wantCode(t, s.DeleteSeizure(t.Context(), actor, gone.ID, 0, T0), crossguard.ENOTFOUND)
		wantCode(t, s.DeleteSeizure(t.Context(), actor, gone.ID, 3, T0), crossguard.ENOTFOUND)
		// Ids of received records, live, deleted or withdrawn, are taken.
		for _, id := range []string{theirs.ID, gone.ID, deleted.ID} {
			dup := NewSeizure(5, T0)
			dup.ID = id
			wantCode(t, s.CreateSeizures(t.Context(), actor, []*crossguard.Seizure{NewSeizure(6, T0), dup}, nil), crossguard.ECONFLICT)
		}
		wantNotFound(t, s, NewSeizure(6, T0).ID)
		dupNote := NewAnnotation(1004, refOf(own[0]), Origin, T0)
		dupNote.ID = note.ID
		wantCode(t, s.CreateRecord(t.Context(), actor, RecordOf(dupNote)), crossguard.ECONFLICT)
		if head := feedHead(t, s); head != head0 {
			t.Fatalf("head after refused local writes = %d, want %d", head, head0)
		}
		wantChain(t, s, n0)

		// Own records keep working.
		u := clone(own[0])
		u.Version, u.Narrative = 2, "Updated after the exchange."
		if err := s.UpdateSeizure(t.Context(), actor, u); err != nil {
			t.Fatalf("UpdateSeizure of an own record: %v", err)
		}
		at := T0.Add(2 * time.Hour)
		if err := s.DeleteSeizure(t.Context(), actor, own[1].ID, 1, at); err != nil {
			t.Fatalf("DeleteSeizure of an own record: %v", err)
		}
		more := NewSeizure(7, T0)
		mustCreate(t, s, more)
		wantEqual(t, "updated own seizure", mustGet(t, s, u.ID), u)
		tomb := own[1].Header
		tomb.Version, tomb.UpdatedAt = 2, at
		wantTombstone(t, s, tomb)
		wantNewChanges(t, s, head0, u.ID, own[1].ID, more.ID)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[u.ID], u.Header, crossguard.StateLive, mustJSON(t, u), nil, "")
		wantChange(t, feed[own[1].ID], tomb, crossguard.StateDeleted, nil, nil, "")
		wantIDs(t, "list", listAll(t, s, crossguard.SeizureFilter{}), idsSorted(u, more, theirs))
		wantChain(t, s, n0+3)
	}
}
