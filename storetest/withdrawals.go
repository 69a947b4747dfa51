package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// wantWithdrawn fails t unless the feed gives the record with header h as
// a withdrawn copy: its name and version, no content, no signed version.
func wantWithdrawn(t *testing.T, c *crossguard.Change, h crossguard.Header) {
	t.Helper()
	if c == nil {
		t.Fatalf("withdrawn record %s is not in the feed", h.ID)
	}
	wantEqual(t, "header of withdrawn "+h.ID, c.Header, withdrawnHeader(h))
	if c.State != crossguard.StateWithdrawn || c.Body != nil || c.Signed != nil || len(c.Path) != 0 {
		t.Fatalf("change of withdrawn %s: state %q, body %s, signed %v, path %q; want withdrawn with none", h.ID, c.State, c.Body, c.Signed, c.Path)
	}
}

// testWithdrawals checks which withdrawals remove a copy and which are
// refused: only a source of a live copy may withdraw it, even the
// record's origin may not withdraw a copy it did not send.
func testWithdrawals(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		own := NewSeizure(0, T0)
		mustCreate(t, s, own)
		direct := ForeignSeizure(1, T0.Add(-time.Hour), PeerA, 2)
		direct.Narrative = "Hidden in a xylophone case."
		relayed := ForeignSeizure(2, T0.Add(-2*time.Hour), OriginC, 1)
		note := NewAnnotation(3, refOf(own), PeerA, T0)
		deleted := ForeignSeizure(4, T0, PeerA, 1).Header
		deleted.Version = 2
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(direct), IncomingSeizure(relayed), IncomingAnnotation(note), IncomingTombstone(deleted)))
		viaB := ForeignSeizure(5, T0.Add(-3*time.Hour), OriginC, 1)
		fromAViaB := ForeignSeizure(6, T0.Add(-4*time.Hour), PeerA, 1)
		mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(viaB), IncomingSeizure(fromAViaB)))
		n0, head0 := chainLen(t, s), feedHead(t, s)

		p := newPage(PeerA, 2)
		p.Withdrawals = []crossguard.Withdrawal{
			withdrawal(direct.Header, "TLP:AMBER+STRICT keeps the record within af-customs"),
			withdrawal(relayed.Header, "this node no longer holds it"),
			withdrawal(note.Header, "annotation records are not shared with pk-customs/sost"),
			withdrawal(viaB.Header, "this node no longer holds it"),
			withdrawal(own.Header, "the peer is the record's origin"),
			{ID: SeizureID(77, T0), Kind: crossguard.KindSeizure, Origin: PeerA, Reason: "never held"},
			withdrawal(deleted, "this node no longer holds it"),
			withdrawal(fromAViaB.Header, "distribution agency keeps the record within af-customs"),
		}
		refused := []crossguard.Refusal{
			{ID: viaB.ID, Kind: crossguard.KindSeizure, Origin: OriginC, Reason: reasonVia(PeerA, PeerB)},
			{ID: own.ID, Kind: crossguard.KindSeizure, Origin: Origin, Reason: reasonOwnWithdraw},
			{ID: fromAViaB.ID, Kind: crossguard.KindSeizure, Origin: PeerA, Reason: reasonVia(PeerA, PeerB)},
		}
		wantResult(t, mustApply(t, s, p), 0, 0, 3, refused...)
		for _, id := range []string{direct.ID, relayed.ID} {
			wantNotFound(t, s, id)
		}
		wantNoRecord(t, s, note.ID)
		wantTombstone(t, s, deleted)
		wantEqual(t, "copy received from B", mustGet(t, s, viaB.ID), viaB)
		wantEqual(t, "copy of A's record received from B", mustGet(t, s, fromAViaB.ID), fromAViaB)
		wantEqual(t, "own seizure", mustGet(t, s, own.ID), own)
		wantIDs(t, "list after withdrawals", listAll(t, s, crossguard.SeizureFilter{}), idsSorted(own, viaB, fromAViaB))
		wantIDs(t, "search after withdrawals", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
		wantIDs(t, "country after withdrawals", listAll(t, s, crossguard.SeizureFilter{Country: direct.Country}), nil)
		if ids := recordsAbout(t, s, crossguard.KindAnnotation, own.ID); len(ids) != 0 {
			t.Fatalf("RecordsAbout lists a withdrawn annotation: %v", ids)
		}
		wantNewChanges(t, s, head0, direct.ID, relayed.ID, note.ID)
		feed, head1 := feedByID(t, s)
		wantWithdrawn(t, feed[direct.ID], direct.Header)
		wantWithdrawn(t, feed[relayed.ID], relayed.Header)
		wantWithdrawn(t, feed[note.ID], note.Header)
		st := pageStatus(p, 4, 0, 3)
		st.LastError, st.LastErrorAt = crossguard.RefusalSummary(PeerA, refused), &p.At
		wantStatus(t, s, PeerA, st)
		removed := entries(t, s, crossguard.ActionFedWithdrawn)
		if len(removed) != 3 {
			t.Fatalf("%d federation.removed audit entries, want 3", len(removed))
		}
		for i, w := range p.Withdrawals[:3] {
			e := removed[i]
			wantEntry(t, e, crossguard.ActionFedWithdrawn, PeerA, "", w.ID, crossguard.OutcomeOK)
			if e.Detail != w.Reason {
				t.Fatalf("withdrawal of %s audited with detail %q, want the reason %q", w.ID, e.Detail, w.Reason)
			}
		}
		if n := len(entries(t, s, crossguard.ActionFedRefuse)); n != 3 {
			t.Fatalf("%d federation.refuse audit entries, want 3", n)
		}

		// Withdrawing again changes nothing, and neither does a withdrawal
		// of a withdrawn or deleted copy from a peer that never sent it.
		again := newPage(PeerA, 3)
		again.Withdrawals = p.Withdrawals[:3]
		wantResult(t, mustApply(t, s, again), 0, 0, 0)
		notSent := newPage(PeerB, 2)
		notSent.Withdrawals = []crossguard.Withdrawal{withdrawal(direct.Header, "gone"), withdrawal(note.Header, "gone"), withdrawal(deleted, "gone")}
		wantResult(t, mustApply(t, s, notSent), 0, 0, 0)
		if head := feedHead(t, s); head != head1 {
			t.Fatalf("head after withdrawing withdrawn copies = %d, want %d", head, head1)
		}
		// The peer a copy came from may withdraw it.
		fromB := newPage(PeerB, 3)
		fromB.Withdrawals = []crossguard.Withdrawal{withdrawal(viaB.Header, "this node no longer holds it"), withdrawal(fromAViaB.Header, "gone")}
		wantResult(t, mustApply(t, s, fromB), 0, 0, 2)
		wantNotFound(t, s, viaB.ID)
		wantNotFound(t, s, fromAViaB.ID)
		wantNewChanges(t, s, head1, viaB.ID, fromAViaB.ID)
		wantChain(t, s, n0+1+3+3+1+1+1+2)
	}
}

// testWithdrawnCopies checks what a withdrawn copy still guards against
// and that a copy may be received again.
func testWithdrawnCopies(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		target := NewSeizure(0, T0)
		mustCreate(t, s, target)
		sz := ForeignSeizure(1, T0, OriginC, 2)
		sz.Narrative = "Hidden in a xylophone case."
		note := NewAnnotation(2, refOf(target), OriginC, T0)
		note.Version = 2
		gone := ForeignSeizure(3, T0, OriginC, 1)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(sz), IncomingAnnotation(note), IncomingSeizure(gone)))
		p := newPage(PeerA, 2)
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(sz.Header, "gone"), withdrawal(note.Header, "gone"), withdrawal(gone.Header, "gone")}
		wantResult(t, mustApply(t, s, p), 0, 0, 3)
		n0, head0 := chainLen(t, s), feedHead(t, s)

		older := ForeignSeizure(1, T0, OriginC, 1)
		olderNote := *note
		olderNote.Version = 1
		wantResult(t, mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(older), IncomingAnnotation(&olderNote))), 0, 0, 0,
			refusal(older.Header, reasonOlder(1, 2)), refusal(olderNote.Header, reasonOlder(1, 2)))
		wantNotFound(t, s, sz.ID)
		if head := feedHead(t, s); head != head0 {
			t.Fatalf("head after refused versions = %d, want %d", head, head0)
		}

		// The same version comes back through another peer.
		inSz, inNote := IncomingSeizure(sz), IncomingAnnotation(note)
		tomb := gone.Header
		tomb.Version, tomb.UpdatedAt = 2, T0.Add(3*time.Hour)
		inTomb := IncomingTombstone(tomb)
		wantResult(t, mustApply(t, s, newPage(PeerB, 2, inSz, inNote, inTomb)), 3, 0, 0)
		wantEqual(t, "seizure received again", mustGet(t, s, sz.ID), sz)
		wantRecord(t, s, &crossguard.Record{Header: note.Header, Target: target.ID, Body: inNote.Signed.Record})
		wantTombstone(t, s, tomb)
		wantIDs(t, "search after receiving again", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), []string{sz.ID})
		wantIDs(t, "records about the target", recordsAbout(t, s, crossguard.KindAnnotation, target.ID), []string{note.ID})
		wantNewChanges(t, s, head0, sz.ID, note.ID, gone.ID)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[sz.ID], sz.Header, crossguard.StateLive, nil, &inSz.Signed, PeerB)
		wantChange(t, feed[note.ID], note.Header, crossguard.StateLive, nil, &inNote.Signed, PeerB)
		wantChange(t, feed[gone.ID], tomb, crossguard.StateDeleted, nil, &inTomb.Signed, PeerB)
		wantChain(t, s, n0+1+2+1)
	}
}
