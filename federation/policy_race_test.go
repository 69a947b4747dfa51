package federation_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/internal/testnode"
)

// gatedStore is a node's store whose next Changes, once armed, tells the
// test it was entered and waits until the test releases it: the test can
// then change a policy while a page is being built, at a point it chooses.
type gatedStore struct {
	crossguard.Store
	mu      sync.Mutex
	entered chan struct{} // closed when the armed Changes is entered
	release chan struct{} // closed by the test to let it read on
}

// arm makes the next Changes wait, and returns the channels that say it
// was entered and let it go on.
func (g *gatedStore) arm() (entered, release chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.entered, g.release = make(chan struct{}), make(chan struct{})
	return g.entered, g.release
}

// Changes waits, if armed, for the test's release, then reads the feed.
func (g *gatedStore) Changes(ctx context.Context, after int64, limit int) ([]*crossguard.Change, int64, error) {
	g.mu.Lock()
	entered, release := g.entered, g.release
	g.entered, g.release = nil, nil
	g.mu.Unlock()
	if entered != nil {
		close(entered)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
	return g.Store.Changes(ctx, after, limit)
}

// TestPolicyChangeDuringLongPoll reproduces issue 12's first hole: a
// peer's policy narrowed by another process (crossguard peer add) while
// the peer waits in a long-poll. The page being built when the change
// lands must not serve what the old policy allowed: the peer ends without
// the amber record, withdrawn and audited as such. Widening the policy the
// same way must send the amber records the peer may now hold, one created
// while the policy was narrow included.
func TestPolicyChangeDuringLongPoll(t *testing.T) {
	onSharedDatabase(t, testPolicyChangeDuringLongPoll)
}

// onSharedDatabase runs test on SQLite and on PostgreSQL, with an opener
// of headquarters' database that opens the same database at every call
// (as a node and a command line process share it) and an opener of fresh
// databases for the other nodes.
func onSharedDatabase(t *testing.T, test func(t *testing.T, hq, other fedtest.Opener)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, fedtest.SQLiteFile(filepath.Join(t.TempDir(), "hq.db")), fedtest.SQLite)
	})
	t.Run("postgres", func(t *testing.T) {
		testenv.PostgresURL(t)
		b := make([]byte, 6)
		rand.Read(b)
		test(t, fedtest.PostgresSchema("cg_fedtest_"+hex.EncodeToString(b)), fedtest.Postgres)
	})
}

// testPolicyChangeDuringLongPoll runs the test with headquarters' database
// opened twice by hq (one handle for its node, one for the other process)
// and the partner's by other.
func testPolicyChangeDuringLongPoll(t *testing.T, hq, other fedtest.Opener) {
	ctx := t.Context()
	// The other process's handle, opened first so that it closes last.
	cli := hq(t)
	var gate *gatedStore
	a := fedtest.NewNode(t, func(t testing.TB) crossguard.Store {
		gate = &gatedStore{Store: hq(t)}
		return gate
	}, "pk-customs/hq")
	c := fedtest.NewNode(t, other, "cn-customs/kashgar")
	seizures := []string{crossguard.KindSeizure}
	a.AddPeer(c, fedtest.Policy{Kinds: seizures, MaxTLP: crossguard.TLPRed})
	c.AddPeer(a, fedtest.All)
	amber := newSeizures(t, a, 1, 1, crossguard.DistPartners, crossguard.TLPAmber)[0]
	green := newSeizures(t, a, 1, 2, crossguard.DistPartners, crossguard.TLPGreen)[0]
	fedtest.Sync(t, 5, a, c)
	wantHeld(t, c, map[string]bool{amber.ID: true, green.ID: true})

	// crossguard peer add, in another process: a node on the other handle.
	cliNode := testnode.New(a.Node.Info, cli, nil)
	setPolicy := func(tlp string) {
		t.Helper()
		_, err := cliNode.PutPeer(ctx, "cli", &crossguard.Peer{Card: c.Card(), Relationship: crossguard.RelPartner,
			Kinds: seizures, MaxTLP: tlp})
		if err != nil {
			t.Fatalf("narrow the policy for %s to TLP:%s: %v", c.ID(), tlp, err)
		}
	}
	// changeDuringLongPoll has c wait for a's changes in a long-poll and,
	// once a's feed is reading them for the page, changes the policy and
	// lets the feed read on.
	changeDuringLongPoll := func(tlp string) {
		t.Helper()
		entered, release := gate.arm()
		done := make(chan error, 1)
		go func() {
			_, err := c.PullWait(a, 5*time.Second)
			done <- err
		}()
		select {
		case <-entered:
		case err := <-done:
			t.Fatalf("the long-poll ended before reading a's changes: %v", err)
		}
		setPolicy(tlp)
		close(release)
		if err := <-done; err != nil {
			t.Fatalf("%s pulling from %s: %v", c.ID(), a.ID(), err)
		}
		fedtest.Sync(t, 5, a, c)
	}

	changeDuringLongPoll(crossguard.TLPGreen)
	wantHeld(t, c, map[string]bool{green.ID: true})
	if !withdrawalAudited(t, a.Store, c.ID(), amber.ID) {
		t.Errorf("%s's audit log has no %s of %s to %s", a.ID(), crossguard.ActionFedWithdrawSent, amber.ID, c.ID())
	}

	later := newSeizures(t, a, 1, 3, crossguard.DistPartners, crossguard.TLPAmber)[0]
	fedtest.Sync(t, 5, a, c)
	wantHeld(t, c, map[string]bool{green.ID: true})
	changeDuringLongPoll(crossguard.TLPRed)
	wantHeld(t, c, map[string]bool{amber.ID: true, green.ID: true, later.ID: true})
	if p, err := a.Store.Peer(ctx, c.ID()); err != nil || p.Status.LastError != "" {
		t.Errorf("peer %s after the policy changes: %+v, %v; want no error", c.ID(), p, err)
	}
}

// wantHeld fails t unless n holds exactly the records of ids.
func wantHeld(t *testing.T, n *fedtest.Node, ids map[string]bool) {
	t.Helper()
	held := n.Holds()
	for id := range ids {
		if _, ok := held[id]; !ok {
			t.Errorf("%s lacks %s", n.ID(), id)
		}
	}
	for id := range held {
		if !ids[id] {
			t.Errorf("%s holds %s, which it may not", n.ID(), id)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// withdrawalAudited reports whether s's audit log has a withdrawal of
// record id served to peer, with the reason it was withdrawn.
func withdrawalAudited(t *testing.T, s federation.Store, peer, id string) bool {
	t.Helper()
	found := false
	err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Action == crossguard.ActionFedWithdrawSent && e.Actor == peer && e.RecordID == id && e.Detail != "" {
			found = true
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk the audit log: %v", err)
	}
	return found
}

// TestPolicyChangeOfADeadProcess checks that a policy change is carried
// out even if the process that saved it (crossguard peer add) died before
// it reconciled what the peer holds: a node reconciles it while it serves,
// and when it starts serving.
func TestPolicyChangeOfADeadProcess(t *testing.T) {
	onSharedDatabase(t, testPolicyChangeOfADeadProcess)
}

// testPolicyChangeOfADeadProcess runs the test with headquarters' database
// opened twice by hq and the partner's by other.
func testPolicyChangeOfADeadProcess(t *testing.T, hq, other fedtest.Opener) {
	ctx := t.Context()
	cli := hq(t)
	a := fedtest.NewNode(t, hq, "pk-customs/hq")
	c := fedtest.NewNode(t, other, "cn-customs/kashgar")
	a.AddPeer(c, fedtest.Policy{Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPRed})
	c.AddPeer(a, fedtest.All)
	amber := newSeizures(t, a, 1, 1, crossguard.DistPartners, crossguard.TLPAmber)[0]
	green := newSeizures(t, a, 1, 2, crossguard.DistPartners, crossguard.TLPGreen)[0]
	fedtest.Sync(t, 5, a, c)
	wantHeld(t, c, map[string]bool{amber.ID: true, green.ID: true})

	// savePolicy saves the policy as the command does, and dies before
	// anything else.
	savePolicy := func(tlp string) {
		t.Helper()
		p, err := cli.Peer(ctx, c.ID())
		if err != nil {
			t.Fatal(err)
		}
		p.MaxTLP = tlp
		if err := cli.PutPeer(ctx, "cli", p, time.Now()); err != nil {
			t.Fatalf("save the policy for %s: %v", c.ID(), err)
		}
	}
	// settle pulls until c holds exactly want, within a bound.
	settle := func(want map[string]bool) {
		t.Helper()
		fedtest.WaitFor(t, 30*time.Second, "the policy change to reach "+c.ID(), func() bool {
			fedtest.Sync(t, 5, a, c)
			held := c.Holds()
			if len(held) != len(want) {
				return false
			}
			for id := range held {
				if !want[id] {
					return false
				}
			}
			return true
		})
	}

	savePolicy(crossguard.TLPGreen)
	settle(map[string]bool{green.ID: true})
	if !withdrawalAudited(t, a.Store, c.ID(), amber.ID) {
		t.Errorf("%s's audit log has no %s of %s to %s", a.ID(), crossguard.ActionFedWithdrawSent, amber.ID, c.ID())
	}

	later := newSeizures(t, a, 1, 3, crossguard.DistPartners, crossguard.TLPAmber)[0]
	fedtest.Sync(t, 5, a, c)
	a.Stop()
	savePolicy(crossguard.TLPRed)
	a.Start()
	settle(map[string]bool{amber.ID: true, green.ID: true, later.ID: true})
}

// TestPeerRemovedAndAddedAgain checks that removing a peer and adding it
// again under a narrower policy withdraws what it still holds and may no
// longer hold, and sends the tombstones of records deleted meanwhile: the
// peer kept its copies and its cursor while it was removed.
func TestPeerRemovedAndAddedAgain(t *testing.T) {
	for _, db := range []struct {
		name string
		open fedtest.Opener
	}{{"sqlite", fedtest.SQLite}, {"postgres", fedtest.Postgres}} {
		t.Run(db.name, func(t *testing.T) {
			if db.name == "postgres" {
				testenv.PostgresURL(t)
			}
			ctx := t.Context()
			a := fedtest.NewNode(t, db.open, "pk-customs/hq")
			c := fedtest.NewNode(t, db.open, "cn-customs/kashgar")
			seizures := []string{crossguard.KindSeizure}
			a.AddPeer(c, fedtest.Policy{Kinds: seizures, MaxTLP: crossguard.TLPRed})
			c.AddPeer(a, fedtest.All)
			amber := newSeizures(t, a, 1, 1, crossguard.DistPartners, crossguard.TLPAmber)[0]
			green := newSeizures(t, a, 1, 2, crossguard.DistPartners, crossguard.TLPGreen)[0]
			gone := newSeizures(t, a, 1, 3, crossguard.DistPartners, crossguard.TLPGreen)[0]
			fedtest.Sync(t, 5, a, c)
			wantHeld(t, c, map[string]bool{amber.ID: true, green.ID: true, gone.ID: true})

			if err := a.Node.RemovePeer(ctx, "admin", c.ID()); err != nil {
				t.Fatalf("remove %s: %v", c.ID(), err)
			}
			if err := a.Node.DeleteSeizure(ctx, "test", gone.ID, 0); err != nil {
				t.Fatalf("delete %s: %v", gone.ID, err)
			}
			a.AddPeer(c, fedtest.Policy{Kinds: seizures, MaxTLP: crossguard.TLPGreen})
			fedtest.Sync(t, 5, a, c)
			wantHeld(t, c, map[string]bool{green.ID: true})
			if !withdrawalAudited(t, a.Store, c.ID(), amber.ID) {
				t.Errorf("%s's audit log has no %s of %s to %s", a.ID(), crossguard.ActionFedWithdrawSent, amber.ID, c.ID())
			}
		})
	}
}
