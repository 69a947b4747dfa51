package federation_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
)

// TestKeyRotation rotates a node's key between two syncs on SQLite.
func TestKeyRotation(t *testing.T) {
	runKeyRotation(t, fedtest.SQLite, fedtest.SQLite)
}

// TestKeyRotationPostgres rotates the key of a node on PostgreSQL whose
// direct peer is on SQLite and whose origin-only peer is on PostgreSQL.
func TestKeyRotationPostgres(t *testing.T) {
	testenv.PostgresURL(t)
	runKeyRotation(t, fedtest.Postgres, fedtest.SQLite)
}

// runKeyRotation: A rotates its key; B (a direct peer) and C (which knows
// A only as an origin, and gets A's records through B) accept the
// handover, keep their cursors (nothing is pulled again from 0), still
// verify A's records signed by the old key, and verify a record made
// after the rotation with the new key. Every step is audited.
func runKeyRotation(t *testing.T, openAC, openB fedtest.Opener) {
	a := fedtest.NewNode(t, openAC, "pk-customs/hq")
	b := fedtest.NewNode(t, openB, "cn-customs/tashkurgan")
	c := fedtest.NewNode(t, openAC, "kz-customs/khorgos")
	fedtest.Link(a, b, fedtest.All)
	fedtest.Link(b, c, fedtest.All)
	c.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})

	oldKey := a.Key
	oldPub := base64.StdEncoding.EncodeToString(oldKey.Public().(ed25519.PublicKey))
	// B is given only seizures: the handover reaches it whatever its kinds.
	b.AddPeer(a, fedtest.Policy{Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPGreen})
	before := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
	fedtest.Sync(t, 5, a, b, c)
	if _, ok := c.Holds()[before.ID]; !ok {
		t.Fatalf("C does not hold A's record relayed by B before the rotation")
	}
	bAt, cAt := peerOf(t, b, a.ID()), peerOf(t, c, b.ID())
	auditA, auditB, auditC := auditHead(t, a), auditHead(t, b), auditHead(t, c)

	k := a.RotateKey(time.Hour)
	if k.OldKey != oldPub || k.NewKey == oldPub {
		t.Fatalf("handover from %s to %s, want from the old key %s", k.OldKey, k.NewKey, oldPub)
	}
	after := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
	// During the grace period A still presents its old key's certificate:
	// B pulls the handover over a link pinned to the old key.
	fedtest.Sync(t, 5, a, b, c)

	for _, n := range []*fedtest.Node{b, c} {
		p := peerOf(t, n, a.ID())
		if p.Card.PublicKey != k.NewKey {
			t.Errorf("%s holds key %s for A, want the new key %s", n.ID(), p.Card.PublicKey, k.NewKey)
		}
		retired, err := n.Store.RetiredKeys(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if rs := retired[a.ID()]; len(rs) != 1 || rs[0].PublicKey != oldPub || rs[0].Handover != k.ID || !rs[0].RetiredAt.Equal(k.UpdatedAt) {
			t.Errorf("%s's key history of A = %+v, want the old key retired by %s at %s", n.ID(), rs, k.ID, k.UpdatedAt)
		}
		holds := n.Holds()
		for _, id := range []string{before.ID, after.ID, k.ID} {
			if _, ok := holds[id]; !ok {
				t.Errorf("%s does not hold %s after the rotation", n.ID(), id)
			}
		}
	}
	peers, err := b.Node.Peers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range peers {
		if p.Card.ID == a.ID() && (len(p.RetiredKeys) != 1 || p.RetiredKeys[0].PublicKey != oldPub) {
			t.Errorf("B's peer list shows A's key history %+v, want the old key", p.RetiredKeys)
		}
	}
	// The cursors moved on from where they were: only the handover and
	// the new record were received, nothing again from 0.
	if p := peerOf(t, b, a.ID()); p.Status.Cursor <= bAt.Status.Cursor || p.Status.Received != bAt.Status.Received+2 || p.Status.LastError != "" {
		t.Errorf("B's status of A: cursor %d→%d, received %d→%d (want +2), last error %q", bAt.Status.Cursor, p.Status.Cursor,
			bAt.Status.Received, p.Status.Received, p.Status.LastError)
	}
	if p := peerOf(t, c, b.ID()); p.Status.Cursor <= cAt.Status.Cursor || p.Status.Received != cAt.Status.Received+2 || p.Status.LastError != "" {
		t.Errorf("C's status of B: cursor %d→%d, received %d→%d (want +2), last error %q", cAt.Status.Cursor, p.Status.Cursor,
			cAt.Status.Received, p.Status.Received, p.Status.LastError)
	}

	// C's copy of the old record is signed by the old key, and verifies
	// with what C knows now (the new key and the old one as retired); the
	// new record verifies with the new key only.
	newPub := a.Key.Public().(ed25519.PublicKey)
	retiredAtC := func(origin string) []crossguard.RetiredKey {
		rs, err := c.Store.RetiredKeys(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return rs[origin]
	}
	old := changeOf(t, c, before.ID).Signed
	if _, err := federation.Open(old, onlyKey(a.ID(), newPub)); err == nil {
		t.Errorf("the old record verifies with the new key alone: it was not signed by the old key")
	}
	if _, err := federation.OpenWithHistory(old, onlyKey(a.ID(), newPub), retiredAtC); err != nil {
		t.Errorf("C cannot verify A's record signed before the rotation: %v", err)
	}
	if _, err := federation.Open(changeOf(t, c, after.ID).Signed, onlyKey(a.ID(), newPub)); err != nil {
		t.Errorf("A's record made after the rotation does not verify with the new key: %v", err)
	}

	// The audit logs: the rotation at A, the acceptance at B and C.
	if es := auditSince(t, a, auditA, crossguard.ActionKeyRotate); len(es) != 1 || es[0].RecordID != k.ID {
		t.Errorf("A's audit has %d key rotations, want 1 of %s", len(es), k.ID)
	}
	for _, x := range []struct {
		n   *fedtest.Node
		seq int64
		via string
	}{{b, auditB, a.ID()}, {c, auditC, b.ID()}} {
		es := auditSince(t, x.n, x.seq, crossguard.ActionKeyHandover)
		if len(es) != 1 || es[0].RecordID != k.ID || es[0].Actor != x.via || !strings.Contains(es[0].Detail, k.NewKey) {
			t.Errorf("%s's audit has key handovers %+v, want one of %s from %s", x.n.ID(), es, k.ID, x.via)
		}
	}

	// A second rotation, and a node that learns A's card only now: it
	// receives everything of A signed with the key it holds.
	a.RotateKey(time.Hour)
	third := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
	d := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/kashgar")
	fedtest.Link(a, d, fedtest.All)
	fedtest.Sync(t, 5, a, b, c, d)
	for _, n := range []*fedtest.Node{b, c, d} {
		holds := n.Holds()
		for _, id := range []string{before.ID, after.ID, third.ID} {
			if _, ok := holds[id]; !ok {
				t.Errorf("%s does not hold %s after the second rotation", n.ID(), id)
			}
		}
		if p := peerOf(t, n, a.ID()); p.Card.PublicKey != a.Node.Info.PublicKey || p.Status.Refused != 0 && n != c {
			t.Errorf("%s holds key %s for A (want %s), refused %d", n.ID(), p.Card.PublicKey, a.Node.Info.PublicKey, p.Status.Refused)
		}
	}
	// D was never served A's first handover (it holds a newer key); a
	// change of D's policy does not move that handover in A's feed, where
	// it must stay ahead of the versions signed by the key it brings.
	seq := changeOf(t, a, k.ID).Seq
	a.AddPeer(d, fedtest.Policy{Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPClear})
	if got := changeOf(t, a, k.ID).Seq; got != seq {
		t.Errorf("a policy change moved the handover in A's feed from %d to %d", seq, got)
	}
}

// peerOf returns n's record of peer id.
func peerOf(t *testing.T, n *fedtest.Node, id string) *crossguard.Peer {
	t.Helper()
	p, err := n.Store.Peer(t.Context(), id)
	if err != nil {
		t.Fatalf("%s: peer %s: %v", n.ID(), id, err)
	}
	return p
}

// TestKeyHandoverRefusals sends, from a hostile partner, key handovers
// and records that must be refused: a handover signed by another key, a
// replay of an older handover, and a new version signed by a retired key.
// A genuine handover relayed by the same partner is accepted.
func TestKeyHandoverRefusals(t *testing.T) {
	w := newHostileWorld(t, false)
	v, o, evil := w.victim, w.third, w.evil
	// The third agency's node, which the victim knows only as an origin,
	// rotates twice; the victim still holds its first key.
	k1 := o.Key
	h1 := o.RotateKey(time.Hour)
	k2 := o.Key
	h2 := o.RotateKey(time.Hour)
	signed := func(key ed25519.PrivateKey, id string) *crossguard.SignedRecord {
		t.Helper()
		sr, err := federation.Sign(key, changeOf(t, o, id).Body)
		if err != nil {
			t.Fatal(err)
		}
		return sr
	}
	forged := crossguard.NewKeyHandover(h1.ID, o.ID(), k1, evil.key, h1.UpdatedAt, h1.GraceUntil)
	stale, _ := craft(t, o.ID(), k1, nil)
	cases := []struct {
		name   string
		item   federation.Item
		reason string // "" when the item is accepted
	}{
		{"a handover signed by a key that is not the origin's", recordItem(signJSON(t, evil.key, forged)), "signed by a key that is not the origin's"},
		{"the first handover, relayed", recordItem(signed(k1, h1.ID)), ""},
		{"the second handover, relayed", recordItem(signed(k2, h2.ID)), ""},
		{"a replay of the first handover", recordItem(signed(k1, h1.ID)), "a replay of an older key handover"},
		{"a new version signed by the first key", recordItem(signJSON(t, k1, stale)), "previous key"},
	}
	for _, tc := range cases {
		seq := auditHead(t, v)
		evil.serveItems(tc.item)
		res, err := w.pull(t)
		if err != nil {
			t.Fatalf("%s: pull: %v", tc.name, err)
		}
		refusals := auditSince(t, v, seq, crossguard.ActionFedRefuse)
		switch {
		case tc.reason == "" && (res.Refused != 0 || res.Applied != 1):
			t.Errorf("%s: applied %d, refused %d (%v), want it accepted", tc.name, res.Applied, res.Refused, refusals)
		case tc.reason != "" && (res.Refused != 1 || len(refusals) != 1 || !strings.Contains(refusals[0].Detail, tc.reason)):
			t.Errorf("%s: refused %d with %v, want one refusal saying %q", tc.name, res.Refused, refusals, tc.reason)
		}
	}
	if p := peerOf(t, v, o.ID()); p.Card.PublicKey != h2.NewKey {
		t.Errorf("the victim holds key %s for %s, want the key of the second handover %s", p.Card.PublicKey, o.ID(), h2.NewKey)
	}
	if es := auditSince(t, v, 0, crossguard.ActionKeyHandover); len(es) != 2 {
		t.Errorf("the victim's audit has %d key handovers accepted, want 2", len(es))
	}
}

// TestFeedWaitsForRotatedKeys: a feed whose keys lag the store (another
// process rotated the key a moment ago) serves nothing rather than sign
// with the retired key.
func TestFeedWaitsForRotatedKeys(t *testing.T) {
	a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	b := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/tashkurgan")
	fedtest.Link(a, b, fedtest.All)
	createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
	old := a.Key
	a.RotateKey(time.Hour)
	stale := &federation.Feed{Self: a.ID(), Store: a.Store, Clock: crossguard.SystemClock{},
		Ring: func() *federation.KeyRing { return &federation.KeyRing{Current: old} }}
	if _, err := stale.Page(t.Context(), b.ID(), federation.PageRequest{}); err == nil || !strings.Contains(err.Error(), "rotated") {
		t.Fatalf("a feed with a stale key ring served a page (err %v)", err)
	}
	fresh := &federation.Feed{Self: a.ID(), Store: a.Store, Clock: crossguard.SystemClock{},
		Ring: func() *federation.KeyRing {
			return &federation.KeyRing{Current: a.Key, Retired: []federation.RetiredSigner{{Key: old, RetiredAt: time.Now(), GraceUntil: time.Now()}}}
		}}
	if _, err := fresh.Page(t.Context(), b.ID(), federation.PageRequest{}); err != nil {
		t.Fatalf("a feed with the current keys: %v", err)
	}
}
