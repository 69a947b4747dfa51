package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// mustServe records sent and withdrawn as served to peer at at, under the
// peer's current policy version, failing t on error.
func mustServe(t *testing.T, s FederationStore, peer string, sent, withdrawn []crossguard.Share, at time.Time) {
	t.Helper()
	if err := s.RecordServed(t.Context(), peer, mustPeer(t, s, peer).PolicyVersion, sent, withdrawn, at); err != nil {
		t.Fatalf("RecordServed(%s): %v", peer, err)
	}
}

// mustAck acknowledges what peer was served up to cursor, failing t on
// error.
func mustAck(t *testing.T, s FederationStore, peer string, cursor int64) {
	t.Helper()
	if err := s.AckServed(t.Context(), peer, cursor); err != nil {
		t.Fatalf("AckServed(%s, %d): %v", peer, cursor, err)
	}
}

// served returns the shares of versions of ids, all at version.
func served(version int64, ids ...string) []crossguard.Share {
	out := make([]crossguard.Share, len(ids))
	for i, id := range ids {
		out[i] = crossguard.Share{ID: id, Version: version}
	}
	return out
}

// withdrawnAt returns the share of a withdrawal of id served at change seq.
func withdrawnAt(id string, seq int64) crossguard.Share {
	return crossguard.Share{ID: id, Seq: seq}
}

// testShares checks what peers may hold: the versions and withdrawals
// served to them, and the withdrawals they acknowledge by pulling past
// them.
func testShares(t *testing.T, open Opener) {
	t.Run("versions and withdrawals served and audited", func(t *testing.T) {
		s := fedFresh(t, open)
		x, y, z, w := SeizureID(1, T0), SeizureID(2, T0), SeizureID(3, T0), SeizureID(4, T0)
		at1 := T0.Add(time.Minute).Truncate(time.Microsecond)
		mustServe(t, s, PeerA, []crossguard.Share{{ID: x, Version: 1}, {ID: y, Version: 2}}, nil, at1)
		wantEqual(t, "shared with A", sharedWith(t, s, PeerA, x, y, z), map[string]int64{x: 1, y: 2})
		wantEqual(t, "shared with B", sharedWith(t, s, PeerB, x, y, z), map[string]int64{})
		wantEqual(t, "shared with A, no ids", sharedWith(t, s, PeerA), map[string]int64{})
		wantEqual(t, "ids shared with A", sharedIDs(t, s, PeerA), sorted(x, y))
		if ids := sharedIDs(t, s, PeerB); len(ids) != 0 {
			t.Fatalf("ids shared with B: %v, want none", ids)
		}
		st := mustPeer(t, s, PeerA).Status
		if st.Sent != 2 || st.LastServed == nil || !st.LastServed.Equal(at1) {
			t.Fatalf("status after serving 2: %+v, want 2 sent, last served at %v", st, at1)
		}
		// A served withdrawal keeps the share, at version 0 (whatever the
		// Version given), until the peer acknowledges it.
		at2 := at1.Add(time.Minute)
		const why = "TLP:AMBER is above the TLP:GREEN ceiling for " + PeerA
		mustServe(t, s, PeerA, []crossguard.Share{{ID: x, Version: 3}, {ID: z, Version: 1}},
			[]crossguard.Share{{ID: y, Version: 2, Seq: 7, Reason: why}}, at2)
		wantEqual(t, "shared with A after withdrawing y", sharedWith(t, s, PeerA, x, y, z), map[string]int64{x: 3, y: 0, z: 1})
		wantEqual(t, "ids shared with A after withdrawing y", sharedIDs(t, s, PeerA), sorted(x, y, z))
		// w was never served to A: its withdrawal gives A no share of it.
		at3 := at2.Add(time.Minute)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 9), withdrawnAt(w, 10)}, at3)
		wantEqual(t, "shared with A after withdrawing x and w", sharedWith(t, s, PeerA, x, y, z, w), map[string]int64{x: 0, y: 0, z: 1})
		wantEqual(t, "ids shared with A after withdrawing x and w", sharedIDs(t, s, PeerA), sorted(x, y, z))
		wantEqual(t, "shared with B at the end", sharedWith(t, s, PeerB, x, y, z, w), map[string]int64{})
		st = mustPeer(t, s, PeerA).Status
		if st.Sent != 7 || st.LastServed == nil || !st.LastServed.Equal(at3) {
			t.Fatalf("status after serving 7: %+v, want 7 sent, last served at %v", st, at3)
		}
		shares := entries(t, s, crossguard.ActionFedShare)
		if len(shares) != 2 {
			t.Fatalf("%d federation.share audit entries, want 2 (one per page with versions)", len(shares))
		}
		wantEntry(t, shares[0], crossguard.ActionFedShare, PeerA, "", "", crossguard.OutcomeOK, x, y)
		wantEntry(t, shares[1], crossguard.ActionFedShare, PeerA, "", "", crossguard.OutcomeOK, x, z)
		sent := entries(t, s, crossguard.ActionFedWithdrawSent)
		if len(sent) != 3 {
			t.Fatalf("%d federation.withdraw audit entries, want 3 (one per withdrawal)", len(sent))
		}
		for i, id := range []string{y, x, w} {
			wantEntry(t, sent[i], crossguard.ActionFedWithdrawSent, PeerA, "", id, crossguard.OutcomeOK)
		}
		if sent[0].Detail != why {
			t.Errorf("the withdrawal of y is audited with detail %q, want the reason %q", sent[0].Detail, why)
		}
		n := chainLen(t, s)
		err := s.RecordServed(t.Context(), "xx-customs/nowhere", 1, served(1, x), []crossguard.Share{withdrawnAt(z, 11)}, at3)
		wantCode(t, err, crossguard.ENOTFOUND)
		wantChain(t, s, n)
		wantChain(t, s, 3+2+3)
	})
	t.Run("acknowledged withdrawals are forgotten", func(t *testing.T) {
		s := fedFresh(t, open)
		x, y, z := SeizureID(1, T0), SeizureID(2, T0), SeizureID(3, T0)
		mustServe(t, s, PeerA, served(1, x, y, z), nil, T0)
		mustServe(t, s, PeerB, served(1, x), nil, T0)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 5), withdrawnAt(y, 8)}, T0)
		mustServe(t, s, PeerB, nil, []crossguard.Share{withdrawnAt(x, 5)}, T0)
		n, status := chainLen(t, s), mustPeer(t, s, PeerA).Status
		for _, c := range []struct {
			cursor int64
			want   map[string]int64
		}{
			{0, map[string]int64{x: 0, y: 0, z: 1}},
			{4, map[string]int64{x: 0, y: 0, z: 1}},
			{5, map[string]int64{y: 0, z: 1}},
			{7, map[string]int64{y: 0, z: 1}},
			{8, map[string]int64{z: 1}},
			{100, map[string]int64{z: 1}}, // a share still held stays
			{3, map[string]int64{z: 1}},   // an older cursor brings nothing back
		} {
			mustAck(t, s, PeerA, c.cursor)
			wantEqual(t, "shared with A after acknowledging "+itoa(c.cursor), sharedWith(t, s, PeerA, x, y, z), c.want)
		}
		wantEqual(t, "ids shared with A", sharedIDs(t, s, PeerA), []string{z})
		wantEqual(t, "shared with B after A acknowledged", sharedWith(t, s, PeerB, x, y, z), map[string]int64{x: 0})
		mustAck(t, s, PeerB, 4)
		wantEqual(t, "ids shared with B before its withdrawal", sharedIDs(t, s, PeerB), []string{x})
		mustAck(t, s, PeerB, 5)
		if ids := sharedIDs(t, s, PeerB); len(ids) != 0 {
			t.Fatalf("ids shared with B after acknowledging its withdrawal: %v, want none", ids)
		}
		mustAck(t, s, "xx-customs/nowhere", 100)
		// Acknowledging is no audited event and changes no status.
		wantChain(t, s, n)
		wantEqual(t, "status of A", mustPeer(t, s, PeerA).Status, status)
	})
	t.Run("a version served again clears the pending withdrawal", func(t *testing.T) {
		s := fedFresh(t, open)
		x, y := SeizureID(1, T0), SeizureID(2, T0)
		mustServe(t, s, PeerA, served(1, x, y), nil, T0)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 5), withdrawnAt(y, 6)}, T0)
		mustServe(t, s, PeerA, served(2, x), nil, T0)
		wantEqual(t, "shared with A after serving x again", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 2, y: 0})
		mustAck(t, s, PeerA, 100)
		wantEqual(t, "shared with A after acknowledging", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 2})
		// Withdrawn again, the share is pending at the new change only.
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 120)}, T0)
		mustAck(t, s, PeerA, 119)
		wantEqual(t, "shared with A before the new withdrawal is acknowledged", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 0})
		mustAck(t, s, PeerA, 120)
		wantEqual(t, "shared with A at the end", sharedWith(t, s, PeerA, x, y), map[string]int64{})
	})
	t.Run("a withdrawal served again is pending at its latest change", func(t *testing.T) {
		s := fedFresh(t, open)
		x := SeizureID(1, T0)
		mustServe(t, s, PeerA, served(1, x), nil, T0)
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 5)}, T0)
		// The record changed again before the peer pulled past 5: its
		// withdrawal is served at its new place in the feed.
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 9)}, T0)
		mustAck(t, s, PeerA, 5)
		wantEqual(t, "shared with A after acknowledging 5", sharedWith(t, s, PeerA, x), map[string]int64{x: 0})
		// A page built from an older read of the feed, recorded last (two
		// pulls of the peer racing), does not move the mark back.
		mustServe(t, s, PeerA, nil, []crossguard.Share{withdrawnAt(x, 7)}, T0)
		mustAck(t, s, PeerA, 8)
		wantEqual(t, "shared with A after acknowledging 8", sharedWith(t, s, PeerA, x), map[string]int64{x: 0})
		mustAck(t, s, PeerA, 9)
		wantEqual(t, "shared with A after acknowledging 9", sharedWith(t, s, PeerA, x), map[string]int64{})
		if st := mustPeer(t, s, PeerA).Status; st.Sent != 4 {
			t.Fatalf("status %+v, want 4 sent", st)
		}
	})
}
