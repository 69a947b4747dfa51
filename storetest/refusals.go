package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// testRefusals checks that a peer's status keeps the last refusal until an
// operator has seen it: neither a clean page nor an idle pull wipes it.
func testRefusals(t *testing.T, open Opener) {
	// shows fails t unless the peer's status, as the API shows it, names
	// the reason.
	shows := func(t *testing.T, s FederationStore, peer, reason string) {
		t.Helper()
		b, err := json.Marshal(mustPeer(t, s, peer).Status)
		if err != nil {
			t.Fatalf("encode the status of %s: %v", peer, err)
		}
		if !strings.Contains(string(b), reason) {
			t.Fatalf("status of %s lost the refusal %q: %s", peer, reason, b)
		}
	}
	// refuseOne applies a page from PeerA whose one version is a replay,
	// and returns the reason of its refusal.
	refuseOne := func(t *testing.T, s FederationStore) string {
		t.Helper()
		v1 := ForeignSeizure(1, T0, OriginC, 1)
		v2 := ForeignSeizure(1, T0, OriginC, 2)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v2)))
		want := refusal(v1.Header, reasonOlder(1, 2))
		wantResult(t, mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v1))), 0, 0, 0, want)
		shows(t, s, PeerA, want.Reason)
		return want.Reason
	}
	t.Run("kept after a clean page", func(t *testing.T) {
		s := fedFresh(t, open)
		reason := refuseOne(t, s)
		wantResult(t, mustApply(t, s, newPage(PeerA, 3, IncomingSeizure(ForeignSeizure(2, T0, PeerA, 1)))), 1, 0, 0)
		shows(t, s, PeerA, reason)
	})
	t.Run("kept after an idle pull", func(t *testing.T) {
		s := fedFresh(t, open)
		reason := refuseOne(t, s)
		at := T0.Add(time.Hour)
		if err := s.NotePeerPulled(t.Context(), PeerA, 12, at); err != nil {
			t.Fatalf("NotePeerPulled: %v", err)
		}
		shows(t, s, PeerA, reason)
	})
}

// testRefusalStatus checks what a peer's status keeps of its refusals: the
// last one with the count since the last acknowledgement, the counts by
// class, the withdrawals counted both ways, and the acknowledgement that
// alone clears the last refusal.
func testRefusalStatus(t *testing.T, open Opener) {
	t.Run("last refusal, counts and acknowledgement", func(t *testing.T) {
		s := fedFresh(t, open)
		v1, v2 := ForeignSeizure(1, T0, OriginC, 1), ForeignSeizure(1, T0, OriginC, 2)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v2)))
		// One refusal of the federation layer, one of the store (the last).
		p := newPage(PeerA, 2, IncomingSeizure(v1))
		p.Refused = []crossguard.Refusal{{ID: SeizureID(9, T0), Kind: crossguard.KindSeizure, Origin: PeerA,
			Reason: "signed by a key that is not the origin's"}}
		replay := refusal(v1.Header, reasonOlder(1, 2))
		wantResult(t, mustApply(t, s, p), 0, 0, 0, replay)
		want := &crossguard.PeerRefusal{Reason: replay.Reason, Class: crossguard.RefusalReplay, At: p.At,
			Kind: crossguard.KindSeizure, ID: v1.ID, Origin: OriginC, Unacknowledged: 2}
		st := mustPeer(t, s, PeerA).Status
		wantEqual(t, "last refusal", st.LastRefusal, want)
		wantEqual(t, "refused by class", st.RefusedByClass, crossguard.RefusalCounts{Signature: 1, Replay: 1})
		if st.Refused != 2 {
			t.Fatalf("refused %d, want 2", st.Refused)
		}
		// A page refused by the federation layer alone: the newest wins,
		// the count since the acknowledgement grows.
		p = newPage(PeerA, 3)
		p.Refused = []crossguard.Refusal{{Reason: "malformed record header: unexpected end of JSON input"}}
		mustApply(t, s, p)
		want = &crossguard.PeerRefusal{Reason: p.Refused[0].Reason, Class: crossguard.RefusalMalformed, At: p.At, Unacknowledged: 3}
		// Clean pages and idle pulls keep it.
		mustApply(t, s, newPage(PeerA, 4, IncomingSeizure(ForeignSeizure(2, T0, PeerA, 1))))
		if err := s.NotePeerPulled(t.Context(), PeerA, 20, T0.Add(time.Hour)); err != nil {
			t.Fatalf("NotePeerPulled: %v", err)
		}
		st = mustPeer(t, s, PeerA).Status
		wantEqual(t, "last refusal after a clean page and an idle pull", st.LastRefusal, want)
		wantEqual(t, "refused by class", st.RefusedByClass, crossguard.RefusalCounts{Signature: 1, Replay: 1, Malformed: 1})
		if st.LastError != "" {
			t.Fatalf("last error %q after a clean page, want none", st.LastError)
		}
		if got := mustPeer(t, s, PeerB).Status.LastRefusal; got != nil {
			t.Fatalf("peer B shows A's refusal: %+v", got)
		}

		n := chainLen(t, s)
		ackAt := T0.Add(2 * time.Hour).Truncate(time.Microsecond)
		acked, err := s.AckPeerRefusals(t.Context(), admin, PeerA, ackAt)
		if err != nil {
			t.Fatalf("AckPeerRefusals: %v", err)
		}
		wantEqual(t, "acknowledged", acked, want)
		st = mustPeer(t, s, PeerA).Status
		if st.LastRefusal != nil || st.Refused != 3 || st.RefusedByClass.Of(crossguard.RefusalReplay) != 1 {
			t.Fatalf("after the acknowledgement: last refusal %+v, refused %d, by class %+v; want none, 3 and the same classes",
				st.LastRefusal, st.Refused, st.RefusedByClass)
		}
		acks := entries(t, s, crossguard.ActionPeerAck)
		if len(acks) != 1 {
			t.Fatalf("%d peer.ack audit entries, want 1", len(acks))
		}
		wantEntry(t, acks[0], crossguard.ActionPeerAck, admin, "peer", PeerA, crossguard.OutcomeOK)
		if !acks[0].At.Equal(ackAt) || !strings.Contains(acks[0].Detail, `unacknowledged="3"`) || !strings.Contains(acks[0].Detail, want.Reason) {
			t.Fatalf("peer.ack entry at %v with detail %q, want at %v naming 3 refusals and %q", acks[0].At, acks[0].Detail, ackAt, want.Reason)
		}
		wantChain(t, s, n+1)

		// Nothing left to acknowledge: nil, still audited.
		acked, err = s.AckPeerRefusals(t.Context(), admin, PeerA, ackAt)
		if err != nil || acked != nil {
			t.Fatalf("second AckPeerRefusals = %+v, %v; want nil, nil", acked, err)
		}
		wantChain(t, s, n+2)
		// A new refusal starts the count again.
		p = newPage(PeerA, 5, IncomingSeizure(v1))
		mustApply(t, s, p)
		if got := mustPeer(t, s, PeerA).Status.LastRefusal; got == nil || got.Unacknowledged != 1 || got.Reason != replay.Reason {
			t.Fatalf("last refusal after a new one: %+v, want the replay, 1 unacknowledged", got)
		}
	})
	t.Run("acknowledging an unknown peer", func(t *testing.T) {
		s := fedFresh(t, open)
		_, err := s.AckPeerRefusals(t.Context(), admin, "tj-customs/nowhere", T0)
		wantCode(t, err, crossguard.ENOTFOUND)
		wantCode(t, s.NotePeerRefusal(t.Context(), "tj-customs/nowhere", crossguard.Refusal{Reason: "page refused: malformed page"}, T0),
			crossguard.ENOTFOUND)
	})
	t.Run("a page refused whole", func(t *testing.T) {
		s := fedFresh(t, open)
		n := chainLen(t, s)
		at := T0.Add(time.Minute).Truncate(time.Microsecond)
		why := crossguard.Refusal{Reason: "page refused: malformed page (from af-customs/islam-qala, after cursor 0; nothing of it was stored)"}
		if err := s.NotePeerRefusal(t.Context(), PeerA, why, at); err != nil {
			t.Fatalf("NotePeerRefusal: %v", err)
		}
		mustApply(t, s, newPage(PeerA, 1))
		if err := s.NotePeerPulled(t.Context(), PeerA, 1, at.Add(time.Minute)); err != nil {
			t.Fatalf("NotePeerPulled: %v", err)
		}
		st := mustPeer(t, s, PeerA).Status
		wantEqual(t, "last refusal", st.LastRefusal, &crossguard.PeerRefusal{Reason: why.Reason, Class: crossguard.RefusalMalformed, At: at, Unacknowledged: 1})
		if st.Refused != 1 || st.RefusedByClass != (crossguard.RefusalCounts{Malformed: 1}) {
			t.Fatalf("refused %d, by class %+v; want 1 malformed", st.Refused, st.RefusedByClass)
		}
		wantChain(t, s, n+1) // the page applied; the refusal is audited by its caller
	})
	t.Run("withdrawals counted both ways", func(t *testing.T) {
		s := fedFresh(t, open)
		mine, other := ForeignSeizure(1, T0, PeerA, 1), ForeignSeizure(2, T0, OriginC, 1)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(mine)))
		mustApply(t, s, newPage(PeerB, 1, IncomingSeizure(other)))
		p := newPage(PeerA, 2)
		// The first is A's to withdraw and counts; the second (B's copy)
		// is refused; the third names nothing held and changes nothing.
		p.Withdrawals = []crossguard.Withdrawal{withdrawal(mine.Header, "narrowed"), withdrawal(other.Header, "narrowed"),
			{ID: SeizureID(77, T0), Kind: crossguard.KindSeizure, Origin: PeerA, Reason: "never held"}}
		res := mustApply(t, s, p)
		if len(res.Refused) != 1 || res.Withdrawn != 1 {
			t.Fatalf("result %+v, want 1 withdrawn and 1 refused", res)
		}
		mustApply(t, s, p) // again: no withdrawal to count, the refusal again
		x, y := SeizureID(3, T0), SeizureID(4, T0)
		mustServe(t, s, PeerA, served(1, x, y), nil, T0)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 5), withdrawnAt(y, 6)}, T0)
		st := mustPeer(t, s, PeerA).Status
		if st.WithdrawalsReceived != 1 || st.WithdrawalsSent != 2 || st.Sent != 4 {
			t.Fatalf("withdrawals received %d, sent %d, sent in all %d; want 1, 2, 4", st.WithdrawalsReceived, st.WithdrawalsSent, st.Sent)
		}
		if st.RefusedByClass != (crossguard.RefusalCounts{Conflict: 2}) {
			t.Fatalf("refused by class %+v, want two conflicts", st.RefusedByClass)
		}
	})
	t.Run("forgotten with the peer", func(t *testing.T) {
		s := fedFresh(t, open)
		v1, v2 := ForeignSeizure(1, T0, OriginC, 1), ForeignSeizure(1, T0, OriginC, 2)
		mustApply(t, s, newPage(PeerA, 1, IncomingSeizure(v2)))
		mustApply(t, s, newPage(PeerA, 2, IncomingSeizure(v1)))
		if err := s.RemovePeer(t.Context(), admin, PeerA, T0); err != nil {
			t.Fatalf("RemovePeer: %v", err)
		}
		mustPutPeer(t, s, NewPeer(PeerA, crossguard.RelPartner, T0))
		st := mustPeer(t, s, PeerA).Status
		if st.LastRefusal != nil || st.RefusedByClass != (crossguard.RefusalCounts{}) {
			t.Fatalf("a peer added again shows %+v and %+v, want no refusals", st.LastRefusal, st.RefusedByClass)
		}
	})
}
