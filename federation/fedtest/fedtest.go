// Package fedtest runs crossguard nodes in a test: each with its own store,
// its federation listener on loopback with mutual TLS, and pulls driven by
// the test (Sync) or by the service's own loops (Start). The federation,
// command and benchmark tests share it.
package fedtest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
)

// Opener opens a fresh, migrated store for a node, closed when t ends.
type Opener func(t testing.TB) crossguard.Store

// SQLite opens a fresh SQLite store in a temporary directory.
func SQLite(t testing.TB) crossguard.Store {
	t.Helper()
	return SQLiteFile(filepath.Join(t.TempDir(), "crossguard.db"))(t)
}

// SQLiteFile returns an Opener of the SQLite database at path, migrated.
// Each call of it opens another handle on the same file, as another
// process (a crossguard command run while the node serves) would.
func SQLiteFile(path string) Opener {
	return func(t testing.TB) crossguard.Store {
		t.Helper()
		s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
		if err != nil {
			t.Fatalf("open SQLite: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("migrate SQLite: %v", err)
		}
		return s
	}
}

// Node is a node under test.
type Node struct {
	t      testing.TB
	Node   *testnode.Node
	Store  crossguard.Store
	Key    ed25519.PrivateKey
	Svc    *federation.Service
	ln     *pausable
	cancel context.CancelFunc
	done   chan struct{}

	mu      sync.Mutex
	pullers map[string]*federation.Puller
	ring    *federation.KeyRing // set by RotateKey
}

// NewNode creates node id (AGENCY/NODE) on a store from open, with its
// federation listener bound on 127.0.0.1 and serving (but not pulling)
// until t ends.
func NewNode(t testing.TB, open Opener, id string) *Node {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	agency, name, _ := strings.Cut(id, "/")
	country := "PK"
	if strings.HasPrefix(agency, "cn") {
		country = "CN"
	}
	info := crossguard.NodeInfo{ID: id, Agency: agency, Node: name, Country: country, Name: "Test node " + id,
		PublicKey: base64.StdEncoding.EncodeToString(pub), CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	store := open(t)
	if err := store.InitNode(t.Context(), &info); err != nil {
		t.Fatalf("init node %s: %v", id, err)
	}
	tcp, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tcp.Close() })
	ln := &pausable{TCPListener: tcp}
	n := &Node{t: t, Node: testnode.New(info, store, nil), Store: store, Key: key, ln: ln, pullers: map[string]*federation.Puller{}}
	n.Node.FederationURL = "https://" + ln.Addr().String()
	n.Svc = &federation.Service{Card: n.Node.Card(), Key: key, Ring: n.keyRing, Store: store, ServeOnly: true,
		Wait: time.Second, Reload: 100 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}
	n.serve(n.Svc)
	return n
}

// serve runs svc on the node's listener until the node stops or t ends.
func (n *Node) serve(svc *federation.Service) {
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel, n.done = cancel, make(chan struct{})
	go func() {
		defer close(n.done)
		if err := svc.Run(ctx, n.ln); err != nil && ctx.Err() == nil {
			n.t.Errorf("federation service of %s: %v", n.ID(), err)
		}
	}()
	n.t.Cleanup(n.Stop)
}

// ID returns the node's id.
func (n *Node) ID() string { return n.Node.Info.ID }

// Card returns the node's card.
func (n *Node) Card() crossguard.NodeCard { return n.Node.Card() }

// Stop stops the node's service. Its port stays bound until the test
// ends, so that Start serves on it again; connections made meanwhile wait
// unanswered.
func (n *Node) Stop() {
	if n.cancel != nil {
		n.cancel()
		<-n.done
		n.cancel = nil
	}
}

// Start switches the node from test-driven pulls to the service's own
// pull loops, on the same listening socket.
func (n *Node) Start() {
	n.t.Helper()
	n.Stop()
	ln, err := n.ln.reopen()
	if err != nil {
		n.t.Fatalf("listen again on %s: %v", n.ln.Addr(), err)
	}
	n.ln = ln
	old := n.Svc
	n.Svc = &federation.Service{Card: old.Card, Key: old.Key, Ring: old.Ring, Store: old.Store, Wait: old.Wait,
		Reload: old.Reload, MaxBackoff: old.MaxBackoff, Items: old.Items, Bytes: old.Bytes}
	n.serve(n.Svc)
}

// Policy is the sharing policy one node applies to another.
type Policy struct {
	Kinds      []string
	MaxTLP     string
	OriginOnly bool
}

// All shares every kind up to TLP:RED.
var All = Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed}

// AddPeer makes n know peer under policy p (one direction).
func (n *Node) AddPeer(peer *Node, p Policy) {
	n.t.Helper()
	rel := crossguard.RelPartner
	if peer.Node.Info.Agency == n.Node.Info.Agency {
		rel = crossguard.RelAgency
	}
	_, err := n.Node.PutPeer(n.t.Context(), "test", &crossguard.Peer{Card: peer.Card(), Relationship: rel,
		Kinds: p.Kinds, MaxTLP: p.MaxTLP, OriginOnly: p.OriginOnly})
	if err != nil {
		n.t.Fatalf("%s: add peer %s: %v", n.ID(), peer.ID(), err)
	}
}

// Link peers a and b both ways under the same policy.
func Link(a, b *Node, p Policy) {
	a.AddPeer(b, p)
	b.AddPeer(a, p)
}

// Pull pulls one page from peer into n, without waiting.
func (n *Node) Pull(peer *Node) (*federation.PullResult, error) {
	n.t.Helper()
	return n.puller(peer).PullOnce(n.t.Context(), 0)
}

// puller returns n's test-driven puller of peer, made at first use.
func (n *Node) puller(peer *Node) *federation.Puller {
	n.t.Helper()
	n.mu.Lock()
	pl := n.pullers[peer.ID()]
	n.mu.Unlock()
	if pl == nil {
		p, err := n.Store.Peer(n.t.Context(), peer.ID())
		if err != nil {
			n.t.Fatalf("%s: peer %s: %v", n.ID(), peer.ID(), err)
		}
		if pl, err = n.Svc.NewPuller(n.t.Context(), p); err != nil {
			n.t.Fatalf("%s: puller of %s: %v", n.ID(), peer.ID(), err)
		}
		n.mu.Lock()
		n.pullers[peer.ID()] = pl
		n.mu.Unlock()
	}
	return pl
}

// PullWait pulls one page from peer into n, asking peer to wait up to
// wait for a change when there is none: a long-poll, as the service's
// own loops make once caught up.
func (n *Node) PullWait(peer *Node, wait time.Duration) (*federation.PullResult, error) {
	n.t.Helper()
	pl := n.puller(peer)
	return pl.PullOnce(n.t.Context(), wait)
}

// Sync pulls along every direct link among nodes (both ways where both
// sides peered) until a whole round moves nothing, failing t on a pull
// error or if it does not settle within rounds rounds.
func Sync(t testing.TB, rounds int, nodes ...*Node) {
	t.Helper()
	for range rounds {
		moved := false
		for _, a := range nodes {
			for _, b := range nodes {
				if a == b || !a.pulls(b) {
					continue
				}
				for range 10000 {
					res, err := a.Pull(b)
					if err != nil {
						t.Fatalf("%s pulling from %s: %v", a.ID(), b.ID(), err)
					}
					if res.Items > 0 {
						moved = true
					}
					if res.CaughtUp() {
						break
					}
				}
			}
		}
		if !moved {
			return
		}
	}
	t.Fatalf("the nodes did not settle in %d rounds", rounds)
}

// pulls reports whether n pulls from peer: both know each other and
// neither is origin-only for the other.
func (n *Node) pulls(peer *Node) bool {
	mine, err := n.Store.Peer(n.t.Context(), peer.ID())
	if err != nil || mine.OriginOnly {
		return false
	}
	theirs, err := peer.Store.Peer(n.t.Context(), n.ID())
	return err == nil && !theirs.OriginOnly
}

// Holding is a record a node holds live: its version and origin.
type Holding struct {
	Version int64
	Origin  string
}

// Holds returns every live record n holds, own and received, by id.
func (n *Node) Holds() map[string]Holding {
	n.t.Helper()
	out := map[string]Holding{}
	var after int64
	for {
		changes, _, err := n.Store.Changes(n.t.Context(), after, 1000)
		if err != nil {
			n.t.Fatalf("%s: changes: %v", n.ID(), err)
		}
		if len(changes) == 0 {
			return out
		}
		for _, c := range changes {
			if c.State == crossguard.StateLive {
				out[c.Header.ID] = Holding{c.Header.Version, c.Header.Origin}
			}
		}
		after = changes[len(changes)-1].Seq
	}
}

// WaitFor polls cond every 20 ms until it holds, failing t after limit:
// a bound on a loop, not a speed target.
func WaitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
