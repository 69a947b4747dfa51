package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// fedState is everything of a store that applying a page may change.
type fedState struct {
	Feed   []*crossguard.Change
	Head   int64
	Peers  []*crossguard.Peer
	List   []string
	Search []string
	Audit  int64
}

// stateOf reads the state of s.
func stateOf(t *testing.T, s FederationStore) *fedState {
	t.Helper()
	st := &fedState{}
	st.Feed, st.Head = changesAfter(t, s, 0)
	var err error
	if st.Peers, err = s.Peers(t.Context()); err != nil {
		t.Fatalf("Peers: %v", err)
	}
	st.List = listAll(t, s, crossguard.SeizureFilter{})
	st.Search = listAll(t, s, crossguard.SeizureFilter{Query: CommonWord})
	st.Audit = chainLen(t, s)
	return st
}

// pagesSetup stores an own seizure and two copies received from PeerA, and
// returns them.
func pagesSetup(t *testing.T, s FederationStore) (own, held, other *crossguard.Seizure) {
	t.Helper()
	own = NewSeizure(0, T0)
	mustCreate(t, s, own)
	held = ForeignSeizure(1, T0.Add(-time.Hour), PeerA, 1)
	other = ForeignSeizure(2, T0.Add(-2*time.Hour), OriginC, 1)
	mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(held), IncomingSeizure(other)))
	return own, held, other
}

// testPages checks whole pages: applied twice, failing, refused whole, and
// from an unknown peer.
func testPages(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		t.Run("a page applied twice changes nothing the second time", func(t *testing.T) {
			s := fedFresh(t, open)
			own, held, other := pagesSetup(t, s)
			fresh := ForeignSeizure(3, T0, PeerA, 2)
			fresh.Narrative = "Goods were " + CommonWord + " in a cooler."
			relayed := ForeignSeizure(4, T0, OriginC, 1)
			note := NewAnnotation(5, refOf(own), PeerA, T0)
			neverHeld := ForeignSeizure(6, T0, PeerA, 1).Header
			neverHeld.Version = 2
			tomb := held.Header
			tomb.Version, tomb.UpdatedAt = 2, T0.Add(time.Hour)
			p := newPage(PeerA, 20, IncomingSeizure(fresh), IncomingSeizure(relayed), IncomingAnnotation(note),
				IncomingTombstone(neverHeld), IncomingTombstone(tomb))
			p.Withdrawals = []crossguard.Withdrawal{withdrawal(other.Header, "gone")}
			wantResult(t, mustApply(t, s, p), 5, 0, 1)
			first := stateOf(t, s)
			wantResult(t, mustApply(t, s, p), 0, 5, 0)
			second := stateOf(t, s)
			if second.Audit != first.Audit+1 || len(entries(t, s, crossguard.ActionFedReceive)) != 3 {
				t.Fatalf("applying a page again appended %d audit entries, want 1 (federation.receive)", second.Audit-first.Audit)
			}
			second.Audit = first.Audit
			wantEqual(t, "state after applying a page twice", second, first)
		})
		t.Run("a page that fails leaves nothing", func(t *testing.T) {
			s := fedFresh(t, open)
			own, held, other := pagesSetup(t, s)
			before := stateOf(t, s)
			fresh := ForeignSeizure(3, T0, PeerA, 1)
			fresh.Narrative = "Goods were " + CommonWord + " in a cooler."
			note := NewAnnotation(4, refOf(own), PeerA, T0)
			tomb := held.Header
			tomb.Version = 2
			broken := ForeignSeizure(5, T0, PeerA, 1)
			mine := clone(own) // refused: this node's own record
			mine.Version = 2
			bad := IncomingSeizure(broken)
			bad.Seizure = nil // a live seizure without its record: the store cannot index it
			p := newPage(PeerA, 20, IncomingSeizure(fresh), IncomingAnnotation(note), IncomingTombstone(tomb), IncomingSeizure(mine), bad)
			p.Withdrawals = []crossguard.Withdrawal{withdrawal(other.Header, "gone")}
			p.Refused = []crossguard.Refusal{{Reason: "malformed record: unexpected end of JSON input"}}
			if _, err := s.ApplyPage(t.Context(), p); err == nil {
				t.Fatalf("ApplyPage of a live seizure without its record succeeded, want an error")
			}
			wantEqual(t, "state after a failed page", stateOf(t, s), before)
			wantNoRecord(t, s, note.ID)
			wantNotFound(t, s, fresh.ID)

			p.Records = p.Records[:len(p.Records)-1]
			p.Peer = "xx-customs/nowhere"
			_, err := s.ApplyPage(t.Context(), p)
			wantCode(t, err, crossguard.ENOTFOUND)
			wantEqual(t, "state after a page from an unknown peer", stateOf(t, s), before)
		})
		t.Run("a page refused whole", func(t *testing.T) {
			s := fedFresh(t, open)
			pagesSetup(t, s)
			before := stateOf(t, s)
			peer := mustPeer(t, s, PeerA)
			at := T0.Add(time.Hour).Truncate(time.Microsecond)
			why := []crossguard.Refusal{{Reason: "page refused: the page says it is from cn-customs/khunjerab"}}
			p := &crossguard.InboundPage{Peer: PeerA, Cursor: peer.Status.Cursor, RemoteHead: peer.Status.RemoteHead, At: at, Refused: why}
			wantResult(t, mustApply(t, s, p), 0, 0, 0)
			st := peer.Status
			st.LastExchange, st.Refused = &at, 1
			st.LastError, st.LastErrorAt = crossguard.RefusalSummary(PeerA, why), &at
			wantStatus(t, s, PeerA, st)
			refusals := entries(t, s, crossguard.ActionFedRefuse)
			if len(refusals) != 1 || refusals[0].Detail != why[0].Reason || refusals[0].Actor != PeerA || refusals[0].Outcome != crossguard.OutcomeDenied {
				t.Fatalf("federation.refuse audit entries %+v, want one by %s with the reason", refusals, PeerA)
			}
			after := stateOf(t, s)
			if after.Audit != before.Audit+2 {
				t.Fatalf("a page refused whole appended %d audit entries, want 2", after.Audit-before.Audit)
			}
			after.Audit, after.Peers, before.Peers = before.Audit, nil, nil
			wantEqual(t, "state after a page refused whole", after, before)
		})
	}
}
