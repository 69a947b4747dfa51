package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// Dushanbe is a node known to no store of the suite, on the paths of
// records relayed to it.
const Dushanbe = "tj-customs/dushanbe"

// wantHead fails t unless the node's last change sequence number is head.
func wantHead(t *testing.T, s FederationStore, head int64, after string) {
	t.Helper()
	if got := feedHead(t, s); got != head {
		t.Fatalf("head after %s = %d, want %d", after, got, head)
	}
}

// withdrawals returns a page from peer withdrawing the records of headers,
// each for reason.
func withdrawals(peer string, cursor int64, reason string, headers ...crossguard.Header) *crossguard.InboundPage {
	p := newPage(peer, cursor)
	for _, h := range headers {
		p.Withdrawals = append(p.Withdrawals, withdrawal(h, reason))
	}
	return p
}

// wantRemoved fails t unless the audit log holds exactly one
// federation.removed entry per id, in that order, by actor, each with a
// detail.
func wantRemoved(t *testing.T, s FederationStore, actor string, ids ...string) {
	t.Helper()
	got := entries(t, s, crossguard.ActionFedWithdrawn)
	if len(got) != len(ids) {
		t.Fatalf("%d federation.removed audit entries, want %d (%v)", len(got), len(ids), ids)
	}
	for i, id := range ids {
		wantEntry(t, got[i], crossguard.ActionFedWithdrawn, actor, "", id, crossguard.OutcomeOK)
		if got[i].Detail == "" {
			t.Fatalf("federation.removed entry of %s without a reason", id)
		}
	}
}

// testSources checks copies held through several peers: each peer that
// sent the held version is a source, a copy is held while a source
// supports its version, and an offer whose path runs through this node
// counts as its sender withdrawing.
func testSources(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		t.Run("a copy held while a source supports it", testSourcesSwitch(open))
		t.Run("looped offers", testSourcesLooped(open))
		t.Run("a newer version from another peer", testSourcesNewer(open))
		t.Run("tombstones clear sources", testSourcesTombstone(open))
		t.Run("a source's new path", testSourcesNewPath(open))
		t.Run("a removed peer's copies stay", testSourcesRemovedPeer(open))
	}
}

// testSourcesSwitch checks that an equal version from a second peer
// records a source, that a withdrawal from one of several sources switches
// the copy to the source with the lowest peer id, and that the last
// source's withdrawal removes it.
func testSourcesSwitch(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		target := NewSeizure(0, T0)
		mustCreate(t, s, target)
		x := ForeignSeizure(1, T0, OriginC, 2)
		x.Narrative = "Goods were " + CommonWord + " in a xylophone case."
		note := NewAnnotation(2, refOf(target), OriginC, T0)
		inX, inNote := IncomingSeizure(x), IncomingAnnotation(note)
		wantResult(t, mustApply(t, s, newPage(PeerB, 1, inX, inNote)), 2, 0, 0)
		before, head0 := feedByID(t, s)
		n0 := chainLen(t, s)

		// The same versions from the origin itself and from PeerA: two more
		// sources, nothing else changes.
		wantResult(t, mustApply(t, s, newPage(OriginC, 1, inX, inNote)), 0, 2, 0)
		wantResult(t, mustApply(t, s, newPage(PeerA, 1, inX, inNote)), 0, 2, 0)
		wantHead(t, s, head0, "versions already held")
		after, _ := feedByID(t, s)
		wantEqual(t, "feed after versions already held", after, before)
		wantChange(t, after[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerB)

		// The current source withdraws: the copies stay, now from the
		// source with the lowest peer id (PeerA, af-customs), with its
		// path, at a new change so that the new path is served on.
		wantResult(t, mustApply(t, s, withdrawals(PeerB, 2, "gone", x.Header, note.Header)), 0, 0, 0)
		wantEqual(t, "seizure after one source withdrew", mustGet(t, s, x.ID), x)
		wantRecord(t, s, &crossguard.Record{Header: note.Header, Target: target.ID, Body: inNote.Signed.Record})
		wantIDs(t, "search after one source withdrew", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), []string{x.ID})
		wantIDs(t, "records about the target", recordsAbout(t, s, crossguard.KindAnnotation, target.ID), []string{note.ID})
		wantNewChanges(t, s, head0, x.ID, note.ID)
		feed, head1 := feedByID(t, s)
		wantChange(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerA)
		wantChange(t, feed[note.ID], note.Header, crossguard.StateLive, nil, &inNote.Signed, PeerA)
		wantStatus(t, s, PeerB, pageStatus(withdrawals(PeerB, 2, ""), 2, 0, 0))
		wantRemoved(t, s, PeerB)
		wantChain(t, s, n0+3)

		// Again: PeerA withdraws the seizure, which the origin (ir-customs)
		// still supports.
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 2, "gone", x.Header)), 0, 0, 0)
		wantNewChanges(t, s, head1, x.ID)
		feed, head2 := feedByID(t, s)
		wantChange(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, OriginC)
		wantChange(t, feed[note.ID], note.Header, crossguard.StateLive, nil, &inNote.Signed, PeerA)

		// A source that is not the current one withdraws: nothing changes.
		wantResult(t, mustApply(t, s, withdrawals(OriginC, 2, "gone", note.Header)), 0, 0, 0)
		wantHead(t, s, head2, "the withdrawal of a source that is not the current one")
		wantRecord(t, s, &crossguard.Record{Header: note.Header, Target: target.ID, Body: inNote.Signed.Record})
		wantRemoved(t, s, PeerB)

		// The last sources withdraw: the copies go.
		wantResult(t, mustApply(t, s, withdrawals(OriginC, 3, "TLP raised", x.Header)), 0, 0, 1)
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 3, "narrowed", note.Header)), 0, 0, 1)
		wantNotFound(t, s, x.ID)
		wantNoRecord(t, s, note.ID)
		wantIDs(t, "search after the last source withdrew", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
		wantNewChanges(t, s, head2, x.ID, note.ID)
		feed, head3 := feedByID(t, s)
		wantWithdrawn(t, feed[x.ID], x.Header)
		wantWithdrawn(t, feed[note.ID], note.Header)
		removed := entries(t, s, crossguard.ActionFedWithdrawn)
		if len(removed) != 2 {
			t.Fatalf("%d federation.removed audit entries, want 2", len(removed))
		}
		wantEntry(t, removed[0], crossguard.ActionFedWithdrawn, OriginC, "", x.ID, crossguard.OutcomeOK, "TLP raised")
		wantEntry(t, removed[1], crossguard.ActionFedWithdrawn, PeerA, "", note.ID, crossguard.OutcomeOK, "narrowed")

		// Withdrawals of the withdrawn copies from former sources and from
		// peers that never sent them change nothing and are not refused.
		p := withdrawals(PeerB, 4, "gone", x.Header, note.Header)
		wantResult(t, mustApply(t, s, p), 0, 0, 0)
		wantResult(t, mustApply(t, s, withdrawals(OriginC, 4, "gone", x.Header, note.Header)), 0, 0, 0)
		wantHead(t, s, head3, "withdrawals of withdrawn copies")
		wantStatus(t, s, PeerB, pageStatus(p, 2, 0, 0))
		wantChain(t, s, n0+3+2+1+3+1+1)
	}
}

// testSourcesLooped checks offers whose path runs through this node: they
// remove their sender as a source, quietly.
func testSourcesLooped(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		target := NewSeizure(0, T0)
		mustCreate(t, s, target)
		x := ForeignSeizure(1, T0, OriginC, 2)
		y := ForeignSeizure(2, T0, OriginC, 1)
		y.Narrative = "Goods were " + CommonWord + " in a xylophone case."
		note := NewAnnotation(3, refOf(target), OriginC, T0)
		never := ForeignSeizure(4, T0, OriginC, 1)
		inX, inY, inNote := IncomingSeizure(x), IncomingSeizure(y), IncomingAnnotation(note)
		mustApply(t, s, newPage(PeerA, 1, inX, inY, inNote))
		mustApply(t, s, newPage(PeerB, 1, inX))
		n0, head0 := chainLen(t, s), feedHead(t, s)

		// PeerA's copies now depend on this node's: x stays (PeerB
		// supports it), y and the annotation go, never is not stored.
		p := newPage(PeerA, 2,
			withPath(inX, OriginC, Origin, PeerA),
			withPath(inY, OriginC, PeerB, Origin, Dushanbe, PeerA),
			withPath(inNote, OriginC, Origin, PeerA),
			withPath(IncomingSeizure(never), OriginC, Origin, PeerA))
		wantApplied(t, mustApply(t, s, p), crossguard.ApplyResult{Withdrawn: 2, Looped: 4})
		wantEqual(t, "copy with another source", mustGet(t, s, x.ID), x)
		wantNotFound(t, s, y.ID)
		wantNoRecord(t, s, note.ID)
		wantNotFound(t, s, never.ID)
		wantIDs(t, "search after looped offers", listAll(t, s, crossguard.SeizureFilter{Query: "xylophone"}), nil)
		wantIDs(t, "list after looped offers", listAll(t, s, crossguard.SeizureFilter{}), idsSorted(target, x))
		wantNewChanges(t, s, head0, x.ID, y.ID, note.ID)
		feed, head1 := feedByID(t, s)
		wantChange(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerB)
		wantWithdrawn(t, feed[y.ID], y.Header)
		wantWithdrawn(t, feed[note.ID], note.Header)
		if feed[never.ID] != nil {
			t.Fatalf("a looped offer of a record never held is in the feed: %+v", feed[never.ID])
		}
		wantStatus(t, s, PeerA, pageStatus(p, 3, 0, 0))
		wantRemoved(t, s, PeerA, y.ID, note.ID)
		if n := len(entries(t, s, crossguard.ActionFedRefuse)); n != 0 {
			t.Fatalf("%d federation.refuse audit entries after looped offers, want none", n)
		}
		wantChain(t, s, n0+1+2)

		// The same offers again: PeerA is no source any more, nothing
		// changes. An older version in a loop is not refused either.
		older := ForeignSeizure(1, T0, OriginC, 1)
		p = newPage(PeerA, 3, withPath(inX, OriginC, Origin, PeerA), withPath(inY, OriginC, Origin, PeerA),
			withPath(IncomingSeizure(older), OriginC, Origin, PeerA))
		wantApplied(t, mustApply(t, s, p), crossguard.ApplyResult{Looped: 3})
		wantHead(t, s, head1, "looped offers from a peer that is no source")
		wantStatus(t, s, PeerA, pageStatus(p, 3, 0, 0))

		// The last source's copy loops: the copy goes.
		p = newPage(PeerB, 2, withPath(inX, OriginC, PeerA, Origin, PeerB))
		wantApplied(t, mustApply(t, s, p), crossguard.ApplyResult{Withdrawn: 1, Looped: 1})
		wantNotFound(t, s, x.ID)
		wantNewChanges(t, s, head1, x.ID)
		feed, head2 := feedByID(t, s)
		wantWithdrawn(t, feed[x.ID], x.Header)
		removed := entries(t, s, crossguard.ActionFedWithdrawn)
		if len(removed) != 3 {
			t.Fatalf("%d federation.removed audit entries, want 3", len(removed))
		}
		wantEntry(t, removed[2], crossguard.ActionFedWithdrawn, PeerB, "", x.ID, crossguard.OutcomeOK)

		// A clean offer brings it back; a looped one from a peer that is
		// not a source leaves it.
		wantResult(t, mustApply(t, s, newPage(PeerA, 4, inX)), 1, 0, 0)
		p = newPage(PeerB, 3, withPath(inX, OriginC, Origin, PeerB))
		wantApplied(t, mustApply(t, s, p), crossguard.ApplyResult{Looped: 1})
		wantEqual(t, "copy received again", mustGet(t, s, x.ID), x)
		wantNewChanges(t, s, head2, x.ID)
		feed, _ = feedByID(t, s)
		wantChange(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerA)
		wantChain(t, s, n0+1+2+1+1+1+1+1)
	}
}

// testSourcesNewer checks a newer version from another peer: it replaces
// the copy, the older sources stay without supporting it, and a withdrawn
// copy is received again.
func testSourcesNewer(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		v1 := ForeignSeizure(1, T0, OriginC, 1)
		v1.Narrative = "The xylophone crates hid the goods."
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v1)))
		head0 := feedHead(t, s)
		v2 := ForeignSeizure(1, T0, OriginC, 2)
		v2.Narrative = "A zeppelin replica hid the goods."
		in2 := IncomingSeizure(v2)
		wantResult(t, mustApply(t, s, newPage(PeerB, 1, in2)), 1, 0, 0)
		wantEqual(t, "seizure at version 2", mustGet(t, s, v1.ID), v2)
		wantNewChanges(t, s, head0, v1.ID)
		feed, head1 := feedByID(t, s)
		wantChange(t, feed[v1.ID], v2.Header, crossguard.StateLive, nil, &in2.Signed, PeerB)

		// PeerA, still a source of version 1, withdraws: allowed, and the
		// copy stays with PeerB.
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 2, "gone", v1.Header)), 0, 0, 0)
		wantHead(t, s, head1, "the withdrawal of an older source")
		wantEqual(t, "seizure after the older source withdrew", mustGet(t, s, v1.ID), v2)

		// Version 1 from PeerA again, then PeerB withdraws: no source
		// supports version 2, so the copy goes.
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingSeizure(v1))), 0, 0, 0, refusal(v1.Header, reasonOlder(1, 2)))
		wantResult(t, mustApply(t, s, withdrawals(PeerB, 2, "gone", v2.Header)), 0, 0, 1)
		wantNotFound(t, s, v1.ID)
		wantIDs(t, "search after the withdrawal", listAll(t, s, crossguard.SeizureFilter{Query: "zeppelin"}), nil)
		wantNewChanges(t, s, head1, v1.ID)
		feed, head2 := feedByID(t, s)
		wantWithdrawn(t, feed[v1.ID], v2.Header)

		// Version 2 from PeerA: received again, from PeerA; PeerB, no
		// longer a source, may not withdraw it.
		wantResult(t, mustApply(t, s, newPage(PeerA, 4, in2)), 1, 0, 0)
		wantEqual(t, "seizure received again", mustGet(t, s, v1.ID), v2)
		wantIDs(t, "search after receiving again", listAll(t, s, crossguard.SeizureFilter{Query: "zeppelin"}), []string{v1.ID})
		wantNewChanges(t, s, head2, v1.ID)
		feed, head3 := feedByID(t, s)
		wantChange(t, feed[v1.ID], v2.Header, crossguard.StateLive, nil, &in2.Signed, PeerA)
		wantResult(t, mustApply(t, s, withdrawals(PeerB, 3, "gone", v2.Header)), 0, 0, 0,
			refusal(v2.Header, reasonVia(PeerB, PeerA)))
		wantEqual(t, "seizure after a withdrawal from a peer that is no source", mustGet(t, s, v1.ID), v2)
		wantHead(t, s, head3, "a refused withdrawal")
	}
}

// testSourcesTombstone checks that a tombstone leaves a record without
// sources.
func testSourcesTombstone(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		x := ForeignSeizure(1, T0, OriginC, 1)
		inX := IncomingSeizure(x)
		mustApply(t, s, newPage(PeerA, 1, inX))
		mustApply(t, s, newPage(PeerB, 1, inX))
		tomb := x.Header
		tomb.Version, tomb.UpdatedAt = 2, T0.Add(time.Hour)
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, IncomingTombstone(tomb))), 1, 0, 0)
		wantResult(t, mustApply(t, s, newPage(PeerB, 2, IncomingTombstone(tomb))), 0, 1, 0)
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 3, "gone", tomb)), 0, 0, 0)
		wantTombstone(t, s, tomb)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[x.ID], tomb, crossguard.StateDeleted, nil, &IncomingTombstone(tomb).Signed, PeerA)

		// A later live version (which no origin should make) from PeerA:
		// PeerB, whose source the tombstone cleared, may not withdraw it.
		v3 := ForeignSeizure(1, T0, OriginC, 3)
		in3 := IncomingSeizure(v3)
		wantResult(t, mustApply(t, s, newPage(PeerA, 4, in3)), 1, 0, 0)
		wantResult(t, mustApply(t, s, withdrawals(PeerB, 4, "gone", v3.Header)), 0, 0, 0,
			refusal(v3.Header, reasonVia(PeerB, PeerA)))
		wantEqual(t, "live version after the tombstone", mustGet(t, s, x.ID), v3)
		feed, _ = feedByID(t, s)
		wantChange(t, feed[x.ID], v3.Header, crossguard.StateLive, nil, &in3.Signed, PeerA)
	}
}

// testSourcesNewPath checks that an equal version whose path changed
// updates its source's path, and the copy's (served on at a new change)
// when it is the current source.
func testSourcesNewPath(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		x := ForeignSeizure(1, T0, OriginC, 1)
		inX := IncomingSeizure(x)
		mustApply(t, s, newPage(PeerA, 1, inX))
		mustApply(t, s, newPage(PeerB, 1, inX))
		head0 := feedHead(t, s)
		// PeerB's copy now comes through Dushanbe: its source changes,
		// the copy (from PeerA) does not.
		wantResult(t, mustApply(t, s, newPage(PeerB, 2, withPath(inX, OriginC, Dushanbe, PeerB))), 0, 1, 0)
		wantHead(t, s, head0, "a new path of a source that is not the current one")
		// PeerA's copy now comes through Dushanbe too: the copy's path
		// changes, at a new change.
		fromA := []string{OriginC, Dushanbe, PeerA}
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, withPath(inX, fromA...))), 0, 1, 0)
		wantNewChanges(t, s, head0, x.ID)
		feed, head1 := feedByID(t, s)
		wantChangePath(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerA, fromA)
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, withPath(inX, fromA...))), 0, 1, 0)
		wantHead(t, s, head1, "the same path again")
		// PeerA withdraws: the copy switches to PeerB's latest path.
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 4, "gone", x.Header)), 0, 0, 0)
		wantNewChanges(t, s, head1, x.ID)
		feed, _ = feedByID(t, s)
		wantChangePath(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerB, []string{OriginC, Dushanbe, PeerB})
		wantEqual(t, "seizure after the switch", mustGet(t, s, x.ID), x)
	}
}

// testSourcesRemovedPeer checks that removing a peer leaves the copies it
// sent, supported by its last offers.
func testSourcesRemovedPeer(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := fedFresh(t, open)
		x := ForeignSeizure(1, T0, OriginC, 1)
		inX := IncomingSeizure(x)
		mustApply(t, s, newPage(PeerA, 1, inX))
		if err := s.RemovePeer(t.Context(), admin, PeerA, T0); err != nil {
			t.Fatalf("RemovePeer: %v", err)
		}
		wantEqual(t, "copy of a removed peer", mustGet(t, s, x.ID), x)
		feed, _ := feedByID(t, s)
		wantChange(t, feed[x.ID], x.Header, crossguard.StateLive, nil, &inX.Signed, PeerA)
		mustPutPeer(t, s, NewPeer(PeerA, crossguard.RelPartner, T0))
		wantResult(t, mustApply(t, s, withdrawals(PeerA, 2, "gone", x.Header)), 0, 0, 1)
		wantNotFound(t, s, x.ID)
	}
}
