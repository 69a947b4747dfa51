package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testPolicyVersion checks the version of each peer's policy: PutPeer
// raises it and leaves the peer's reconcile pending until MarkReconciled,
// and RecordServed records a page only if it was built with the peer's
// current version.
func testPolicyVersion(t *testing.T, open Opener) {
	t.Run("a change leaves the reconcile pending until marked", func(t *testing.T) {
		s := fedFresh(t, open)
		p := mustPeer(t, s, PeerA)
		if p.PolicyVersion != 1 || p.ReconciledVersion != 1 || p.ReconcilePending() {
			t.Fatalf("a new peer: policy version %d, reconciled %d; want 1 and 1", p.PolicyVersion, p.ReconciledVersion)
		}
		narrow := NewPeer(PeerA, crossguard.RelPartner, T0)
		narrow.MaxTLP = crossguard.TLPGreen
		mustPutPeer(t, s, narrow)
		mustPutPeer(t, s, narrow) // the same policy again counts as a change
		p = mustPeer(t, s, PeerA)
		if p.PolicyVersion != 3 || p.ReconciledVersion != 1 || !p.ReconcilePending() {
			t.Fatalf("after two changes: policy version %d, reconciled %d; want 3 and 1, pending", p.PolicyVersion, p.ReconciledVersion)
		}
		if b := mustPeer(t, s, PeerB); b.PolicyVersion != 1 || b.ReconcilePending() {
			t.Fatalf("the other peer: policy version %d, reconciled %d; want 1 and 1", b.PolicyVersion, b.ReconciledVersion)
		}
		mustMarkReconciled(t, s, PeerA, 2)
		if p = mustPeer(t, s, PeerA); p.ReconciledVersion != 2 || !p.ReconcilePending() {
			t.Fatalf("reconciled up to 2 of 3: reconciled %d, pending %v; want 2, pending", p.ReconciledVersion, p.ReconcilePending())
		}
		mustMarkReconciled(t, s, PeerA, 3)
		mustMarkReconciled(t, s, PeerA, 2) // a slower reconcile of an older version ends later
		if p = mustPeer(t, s, PeerA); p.ReconciledVersion != 3 || p.ReconcilePending() {
			t.Fatalf("reconciled up to 3, then 2: reconciled %d, pending %v; want 3, not pending", p.ReconciledVersion, p.ReconcilePending())
		}
		wantCode(t, s.MarkReconciled(t.Context(), "xx-customs/nowhere", 1), crossguard.ENOTFOUND)
	})
	t.Run("a page built with an old policy records nothing", func(t *testing.T) {
		s := fedFresh(t, open)
		at := T0.Add(time.Minute).Truncate(time.Microsecond)
		x, y := SeizureID(1, T0), SeizureID(2, T0)
		if err := s.RecordServed(t.Context(), PeerA, 1, served(1, x, y), nil, at); err != nil {
			t.Fatalf("RecordServed with the current policy: %v", err)
		}
		narrow := NewPeer(PeerA, crossguard.RelPartner, T0)
		narrow.MaxTLP = crossguard.TLPGreen
		mustPutPeer(t, s, narrow)
		before := mustPeer(t, s, PeerA)
		n := chainLen(t, s)
		for name, page := range map[string][2][]crossguard.Share{
			"versions":    {served(2, x), nil},
			"withdrawals": {nil, {withdrawnAt(y, 9)}},
			"nothing":     {nil, nil}, // a page that only moves the cursor
		} {
			err := s.RecordServed(t.Context(), PeerA, 1, page[0], page[1], at)
			if crossguard.ErrorCode(err) != crossguard.ECONFLICT {
				t.Fatalf("RecordServed of %s with policy version 1 of 2: %v, want %s", name, err, crossguard.ECONFLICT)
			}
		}
		wantEqual(t, "shares after pages with an old policy", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 1, y: 1})
		wantEqual(t, "peer after pages with an old policy", mustPeer(t, s, PeerA), before)
		wantChain(t, s, n)

		if err := s.RecordServed(t.Context(), PeerA, 2, nil, nil, at); err != nil {
			t.Fatalf("RecordServed of nothing with the current policy: %v", err)
		}
		wantChain(t, s, n)
		if err := s.RecordServed(t.Context(), PeerA, 2, nil, []crossguard.Share{withdrawnAt(y, 9)}, at); err != nil {
			t.Fatalf("RecordServed of a withdrawal with the current policy: %v", err)
		}
		wantEqual(t, "shares after a page with the current policy", sharedWith(t, s, PeerA, x, y), map[string]int64{x: 1, y: 0})
		wantChain(t, s, n+1)
		wantCode(t, s.RecordServed(t.Context(), "xx-customs/nowhere", 1, nil, nil, at), crossguard.ENOTFOUND)
	})
}

// mustMarkReconciled marks peer reconciled up to policy version v,
// failing t on error.
func mustMarkReconciled(t *testing.T, s FederationStore, peer string, v int64) {
	t.Helper()
	if err := s.MarkReconciled(t.Context(), peer, v); err != nil {
		t.Fatalf("MarkReconciled(%s, %d): %v", peer, v, err)
	}
}
