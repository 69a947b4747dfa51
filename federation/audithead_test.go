package federation_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/node"
)

// anchorOf returns the signer of n's audit heads on clock.
func anchorOf(n *fedtest.Node, clock crossguard.Clock) *federation.Anchor {
	return &federation.Anchor{Self: n.ID(), Key: n.Key, Store: n.Store, Clock: clock, NewID: node.NewUUIDv7, Interval: time.Minute}
}

// audit appends k entries to n's audit log.
func audit(t *testing.T, n *fedtest.Node, k int) {
	t.Helper()
	for i := range k {
		e := &crossguard.AuditEntry{At: time.Now(), Actor: "officer.khan", Action: crossguard.ActionSeizureRead,
			Outcome: crossguard.OutcomeOK, Detail: fmt.Sprint(i)}
		if err := n.Store.AppendAudit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// headIDs returns the ids of the heads of origin that n holds.
func headIDs(t *testing.T, n *fedtest.Node, origin string) []string {
	t.Helper()
	held, err := n.Store.AuditHeadsOf(t.Context(), origin, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, h := range held {
		ids = append(ids, h.Head.ID)
	}
	return ids
}

// auditSeq returns the last entry of n's audit log.
func auditSeq(t *testing.T, n *fedtest.Node) int64 {
	t.Helper()
	seq, _, err := n.Store.AuditHead(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func TestAuditHeadsTravel(t *testing.T) {
	for _, db := range []struct {
		name string
		open fedtest.Opener
	}{{"sqlite", fedtest.SQLite}, {"postgres", fedtest.Postgres}} {
		t.Run(db.name, func(t *testing.T) { testAuditHeadsTravel(t, db.open) })
	}
}

// testAuditHeadsTravel: A gives its heads to its narrow partner B, which
// keeps every one and relays none to C; an origin-only peer D gets none.
func testAuditHeadsTravel(t *testing.T, open fedtest.Opener) {
	a := fedtest.NewNode(t, open, "pk-customs/hq")
	b := fedtest.NewNode(t, open, "cn-customs/kashgar")
	c := fedtest.NewNode(t, open, "kz-customs/khorgos")
	d := fedtest.NewNode(t, open, "af-customs/torkham")
	narrow := fedtest.Policy{Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPClear}
	fedtest.Link(a, b, narrow)
	fedtest.Link(b, c, fedtest.All)
	a.AddPeer(d, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	d.AddPeer(a, fedtest.All)
	c.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})

	clock := crossguard.FixedClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	audit(t, a, 3)
	first, err := anchorOf(a, clock).SignPending(t.Context())
	if err != nil || len(first) != 1 {
		t.Fatalf("A signs %d heads (%v); want 1", len(first), err)
	}
	// More than MaxHeadEntries entries make several heads.
	audit(t, a, crossguard.MaxHeadEntries+5)
	more, err := anchorOf(a, clock).SignPending(t.Context())
	if err != nil || len(more) != 2 || more[0].Head.FirstSeq != first[0].Head.Seq+1 || more[1].Head.Seq != auditSeq(t, a) {
		t.Fatalf("A signs %d heads (%v); want 2 covering the rest", len(more), err)
	}
	audit(t, b, 2)
	if _, err := anchorOf(b, clock).SignPending(t.Context()); err != nil {
		t.Fatal(err)
	}
	aBefore, bBefore := auditSeq(t, a), auditSeq(t, b)
	fedtest.Sync(t, 10, a, b, c)

	want := headIDs(t, a, a.ID())
	if got := headIDs(t, b, a.ID()); strings.Join(got, ",") != strings.Join(want, ",") || len(want) != 3 {
		t.Fatalf("B holds A's heads %v; want every one of %v", got, want)
	}
	if got := headIDs(t, c, a.ID()); len(got) != 0 {
		t.Fatalf("C holds A's heads %v, relayed by B", got)
	}
	if got := headIDs(t, c, b.ID()); len(got) != 1 {
		t.Fatalf("C holds %d of B's heads; want B's own head", len(got))
	}
	// Heads are not records of the policy: B's narrow policy holds none.
	if _, held := b.Holds()[want[0]]; held {
		t.Fatalf("B stores A's head %s as a record it would relay", want[0])
	}
	// Giving and receiving heads alone writes no audit entry on either
	// side, so that anchoring does not feed itself.
	if a2, b2 := auditSeq(t, a), auditSeq(t, b); a2 != aBefore || b2 != bBefore {
		t.Fatalf("audit logs grew from exchanging heads: A %d to %d, B %d to %d", aBefore, a2, bBefore, b2)
	}
	if _, err := d.Pull(a); err == nil {
		t.Fatal("D, origin-only for A, pulled from A")
	}
	if got := headIDs(t, d, a.ID()); len(got) != 0 {
		t.Fatalf("origin-only D holds A's heads %v", got)
	}

	// B answers A's request for the heads B holds of A, and only those.
	peerB, err := a.Store.Peer(t.Context(), b.ID())
	if err != nil {
		t.Fatal(err)
	}
	pl, err := a.Svc.NewPuller(t.Context(), peerB)
	if err != nil {
		t.Fatal(err)
	}
	held, err := pl.AuditHeads(t.Context(), peerB)
	if err != nil || len(held) != 3 {
		t.Fatalf("A fetches %d of its heads from B (%v); want 3", len(held), err)
	}
	for _, h := range held {
		if _, err := federation.OpenAuditHead(&h.Signed, a.ID(), publicKey(a), nil); err != nil {
			t.Fatalf("head from B does not verify with A's key: %v", err)
		}
	}
}

func TestForgedAndRelayedHeadsRefused(t *testing.T) {
	a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	b := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/kashgar")
	c := fedtest.NewNode(t, fedtest.SQLite, "kz-customs/khorgos")
	fedtest.Link(a, b, fedtest.All)
	fedtest.Link(b, c, fedtest.All)
	c.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	clock := crossguard.FixedClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	audit(t, a, 2)
	genuine, err := anchorOf(a, clock).SignPending(t.Context())
	if err != nil || len(genuine) != 1 {
		t.Fatal(err)
	}
	// A head of A's signed by another key, as a hostile A (or a thief of
	// its database without its key) might serve it.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	forged := *genuine[0].Head
	forged.ID = node.NewUUIDv7()
	forged.Hash = strings.Repeat("ab", 32)
	forged.Digests = forged.Digests[:len(forged.Digests)-16] + forged.Hash[:16]
	body, _ := json.Marshal(&forged)
	badSig, err := federation.Sign(other, body)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		receiver *fedtest.Node
		sender   *fedtest.Node
		signed   *crossguard.SignedRecord
		path     []string
		reason   string
	}{
		{"forged by another key", b, a, badSig, []string{a.ID()}, "signed by a key that is not the origin's"},
		{"relayed by a peer", c, b, &genuine[0].Signed, []string{a.ID(), b.ID()}, "audit heads are never relayed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			peer, err := tc.receiver.Store.Peer(t.Context(), tc.sender.ID())
			if err != nil {
				t.Fatal(err)
			}
			pl, err := tc.receiver.Svc.NewPuller(t.Context(), peer)
			if err != nil {
				t.Fatal(err)
			}
			page := &federation.Page{Protocol: crossguard.ProtocolVersion, From: tc.sender.ID(), NextCursor: 1, Head: 1,
				Items: []federation.Item{{Seq: 1, Type: federation.ItemRecord, Signed: tc.signed, Path: tc.path}}}
			res, err := pl.Apply(t.Context(), peer, peer.Status.Cursor, page)
			if err != nil || res.Refused != 1 {
				t.Fatalf("apply: %+v, %v; want the head refused", res, err)
			}
			if got := headIDs(t, tc.receiver, a.ID()); len(got) != 0 {
				t.Fatalf("%s keeps heads %v", tc.receiver.ID(), got)
			}
			after, err := tc.receiver.Store.Peer(t.Context(), tc.sender.ID())
			if err != nil || !strings.Contains(after.Status.LastError, tc.reason) {
				t.Fatalf("peer status %q; want the reason %q", after.Status.LastError, tc.reason)
			}
			page2, err := tc.receiver.Store.ListAudit(t.Context(), crossguard.AuditFilter{Action: crossguard.ActionFedRefuse})
			if err != nil || len(page2.Items) != 1 || !strings.Contains(page2.Items[0].Detail, tc.reason) {
				t.Fatalf("audit of the refusal: %v %+v", err, page2)
			}
		})
	}
}

// manualClock is a clock the test moves: every node of a test may read it.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock on by d.
func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestAnchorSignsOnIntervalWhenMovedAndOnShutdown(t *testing.T) {
	a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	clock := &manualClock{now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	an := anchorOf(a, clock)
	tick := func(want int, what string) {
		t.Helper()
		heads, err := an.Tick(t.Context())
		if err != nil || len(heads) != want {
			t.Fatalf("%s: Tick signed %d heads (%v); want %d", what, len(heads), err, want)
		}
	}
	audit(t, a, 2)
	tick(1, "first tick")
	audit(t, a, 1)
	clock.advance(time.Minute - time.Second)
	tick(0, "before the interval")
	clock.advance(time.Second)
	tick(1, "at the interval, the log moved")
	clock.advance(time.Minute)
	tick(0, "at the interval, the log did not move")
	heads := headIDs(t, a, a.ID())
	if len(heads) != 2 {
		t.Fatalf("A holds %d own heads; want 2", len(heads))
	}

	// Run signs what is pending when it stops, whatever the interval.
	audit(t, a, 1)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		an.Run(ctx, make(chan time.Time))
	}()
	cancel()
	<-done
	last, err := a.Store.LastOwnAuditHead(t.Context())
	if err != nil || last == nil || last.Head.Seq != auditSeq(t, a) {
		t.Fatalf("after shutdown the last head is %+v (%v); want it at entry %d", last, err, auditSeq(t, a))
	}
}
