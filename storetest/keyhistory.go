package storetest

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"crossguard"
)

// testKey returns a distinct base64 public key of 32 bytes for name.
func testKey(name string) string {
	var b [32]byte
	copy(b[:], name)
	return base64.StdEncoding.EncodeToString(b[:])
}

// newHandover returns a key handover of node from old to new at at, with
// an hour of grace. Stores do not check its signatures.
func newHandover(i int, node, old, new string, at time.Time) *crossguard.KeyHandover {
	at = at.UTC().Truncate(time.Microsecond)
	return &crossguard.KeyHandover{
		Header: crossguard.Header{ID: SeizureID(9000+i, at), Kind: crossguard.KindKeyHandover, Origin: node, Version: 1,
			CreatedAt: at, UpdatedAt: at, Distribution: crossguard.DistNetwork,
			Marking: crossguard.Marking{TLP: crossguard.TLPClear, Handling: crossguard.HandlingH0}},
		OldKey: old, NewKey: new, GraceUntil: at.Add(time.Hour), NewKeySignature: "c2ln",
	}
}

// retiredBy is the retired key a handover makes.
func retiredBy(k *crossguard.KeyHandover) crossguard.RetiredKey {
	return crossguard.RetiredKey{Node: k.Origin, PublicKey: k.OldKey, RetiredAt: k.UpdatedAt, GraceUntil: k.GraceUntil,
		Handover: k.ID, Successor: k.NewKey}
}

// mustRetired returns the store's retired keys of node.
func mustRetired(t *testing.T, s FederationStore, node string) []crossguard.RetiredKey {
	t.Helper()
	all, err := s.RetiredKeys(t.Context())
	if err != nil {
		t.Fatalf("RetiredKeys: %v", err)
	}
	return all[node]
}

// testKeyHistory checks the KeyStore: this node's own key rotations and
// its peers' key handovers, with the key history of each node.
func testKeyHistory(t *testing.T, open Opener) {
	t.Run("own rotation: new key, history, handover in the feed, audited", func(t *testing.T) {
		s := fedBare(t, open)
		old := NewNodeInfo(T0).PublicKey
		k1 := newHandover(1, Origin, old, testKey("second"), T0.Add(time.Hour))
		body, _ := json.Marshal(k1)
		if err := s.RotateNodeKey(t.Context(), admin, k1, body); err != nil {
			t.Fatalf("RotateNodeKey: %v", err)
		}
		k2 := newHandover(2, Origin, k1.NewKey, testKey("third"), T0.Add(2*time.Hour))
		body2, _ := json.Marshal(k2)
		if err := s.RotateNodeKey(t.Context(), admin, k2, body2); err != nil {
			t.Fatalf("RotateNodeKey again: %v", err)
		}
		// A handover from a key the node no longer holds changes nothing.
		stale := newHandover(3, Origin, old, testKey("fourth"), T0.Add(3*time.Hour))
		wantCode(t, s.RotateNodeKey(t.Context(), admin, stale, body), crossguard.ECONFLICT)
		n, err := s.Node(t.Context())
		if err != nil || n.PublicKey != k2.NewKey {
			t.Fatalf("node key after two rotations = %v, %v; want %s", n, err, k2.NewKey)
		}
		wantEqual(t, "retired keys", mustRetired(t, s, Origin), []crossguard.RetiredKey{retiredBy(k2), retiredBy(k1)})
		changes, _, err := s.Changes(t.Context(), 0, 10)
		if err != nil || len(changes) != 2 {
			t.Fatalf("Changes = %d, %v; want the two handovers", len(changes), err)
		}
		for i, k := range []*crossguard.KeyHandover{k1, k2} {
			c := changes[i]
			if c.Header.ID != k.ID || c.Header.Kind != crossguard.KindKeyHandover || c.State != crossguard.StateLive || c.Via != "" || c.Signed != nil {
				t.Fatalf("change %d = %+v, want own live handover %s", i, c, k.ID)
			}
		}
		if string(changes[0].Body) != string(body) {
			t.Fatalf("handover body = %s, want %s", changes[0].Body, body)
		}
		rot := entries(t, s, crossguard.ActionKeyRotate)
		if len(rot) != 2 {
			t.Fatalf("%d key rotation audit entries, want 2", len(rot))
		}
		wantEntry(t, rot[0], crossguard.ActionKeyRotate, admin, crossguard.KindKeyHandover, k1.ID, crossguard.OutcomeOK, k1.NewKey)
		wantChain(t, s, 2)
	})
	t.Run("peer handover: new key, history, cursor and status kept, audited once", func(t *testing.T) {
		s := fedFresh(t, open)
		mustApply(t, s, newPage(PeerA, 40))
		before := mustPeer(t, s, PeerA)
		at := T0.Add(time.Hour).Truncate(time.Microsecond)
		k := newHandover(1, PeerA, before.Card.PublicKey, testKey("peer-a-2"), at)
		for i, want := range []bool{true, false} {
			changed, err := s.AcceptKeyHandover(t.Context(), k, PeerB, at)
			if err != nil || changed != want {
				t.Fatalf("AcceptKeyHandover #%d = %v, %v; want %v", i+1, changed, err, want)
			}
		}
		after := mustPeer(t, s, PeerA)
		want := *before
		want.Card.PublicKey = k.NewKey
		wantEqual(t, "peer after the handover", after, &want)
		wantEqual(t, "retired keys", mustRetired(t, s, PeerA), []crossguard.RetiredKey{retiredBy(k)})
		// A replay of an older handover, or one from a key never held.
		_, err := s.AcceptKeyHandover(t.Context(), newHandover(2, PeerA, before.Card.PublicKey, testKey("x"), at), PeerB, at)
		wantCode(t, err, crossguard.ECONFLICT)
		_, err = s.AcceptKeyHandover(t.Context(), newHandover(3, "zz-customs/nowhere", "a", "b", at), PeerB, at)
		wantCode(t, err, crossguard.ENOTFOUND)
		acc := entries(t, s, crossguard.ActionKeyHandover)
		if len(acc) != 1 {
			t.Fatalf("%d key handover audit entries, want 1", len(acc))
		}
		wantEntry(t, acc[0], crossguard.ActionKeyHandover, PeerB, crossguard.KindKeyHandover, k.ID, crossguard.OutcomeOK, PeerA, k.NewKey)
	})
	t.Run("origin-only peer, and a card already holding the new key", func(t *testing.T) {
		s := fedFresh(t, open)
		c := mustPeer(t, s, OriginC)
		at := T0.Add(time.Hour).Truncate(time.Microsecond)
		k := newHandover(1, OriginC, c.Card.PublicKey, testKey("c-2"), at)
		if changed, err := s.AcceptKeyHandover(t.Context(), k, PeerA, at); err != nil || !changed {
			t.Fatalf("AcceptKeyHandover of an origin-only peer = %v, %v", changed, err)
		}
		if got := mustPeer(t, s, OriginC); got.Card.PublicKey != k.NewKey || !got.OriginOnly {
			t.Fatalf("origin-only peer after the handover = %+v", got)
		}
		// PeerB's card already carries the new key: only the history grows.
		b := mustPeer(t, s, PeerB)
		kb := newHandover(2, PeerB, testKey("b-0"), b.Card.PublicKey, at)
		if changed, err := s.AcceptKeyHandover(t.Context(), kb, PeerA, at); err != nil || !changed {
			t.Fatalf("AcceptKeyHandover of a key already held = %v, %v", changed, err)
		}
		wantEqual(t, "peer B", mustPeer(t, s, PeerB), b)
		wantEqual(t, "retired keys of B", mustRetired(t, s, PeerB), []crossguard.RetiredKey{retiredBy(kb)})
	})
}
