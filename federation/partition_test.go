package federation_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/federation/fedtls"
)

// cutProxy forwards TCP connections on 127.0.0.1 to a target address
// until the test cuts the link: then it closes every open connection and
// closes each new one at once, until the link is restored.
type cutProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// newCutProxy starts a proxy to target, closed when t ends.
func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// URL is the https URL at which the proxy reaches the target.
func (p *cutProxy) URL() string { return "https://" + p.ln.Addr().String() }

// accept forwards each connection until the listener closes.
func (p *cutProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.forward(c) })
	}
}

// forward copies both ways between c and a new connection to the target.
func (p *cutProxy) forward(c net.Conn) {
	p.mu.Lock()
	cut := p.cut
	p.mu.Unlock()
	if cut {
		c.Close()
		return
	}
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	var copies sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		// Either side ending ends the connection.
		dst.Close()
		src.Close()
	}
	copies.Go(func() { pipe(up, c) })
	copies.Go(func() { pipe(c, up) })
	copies.Wait()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// setCut cuts the link (closing every open connection) or restores it.
func (p *cutProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
	}
}

// close stops the proxy and waits for its goroutines.
func (p *cutProxy) close() {
	p.ln.Close()
	p.setCut(true)
	p.wg.Wait()
}

// runLoops switches n to the service's own pull loops (fedtest's Start)
// and returns the URL it serves at.
func runLoops(t *testing.T, n *fedtest.Node) string {
	t.Helper()
	n.Start()
	return n.Card().URL
}

// addPeerAt makes n know peer under policy fedtest.All, with peer's card
// pointing at url.
func addPeerAt(t *testing.T, n, peer *fedtest.Node, url string) {
	t.Helper()
	card := peer.Card()
	card.URL = url
	rel := crossguard.RelPartner
	if card.Agency == n.Node.Info.Agency {
		rel = crossguard.RelAgency
	}
	_, err := n.Node.PutPeer(t.Context(), "test", &crossguard.Peer{Card: card, Relationship: rel,
		Kinds: fedtest.All.Kinds, MaxTLP: fedtest.All.MaxTLP})
	if err != nil {
		t.Fatalf("%s: add %s: %v", n.ID(), peer.ID(), err)
	}
}

// linkVia peers a and b both ways under policy all, each serving at the
// URL given and each one's card at the other pointing at a proxy to it;
// it returns the proxies to a and to b.
func linkVia(t *testing.T, a *fedtest.Node, aURL string, b *fedtest.Node, bURL string) (toA, toB *cutProxy) {
	t.Helper()
	toA = newCutProxy(t, strings.TrimPrefix(aURL, "https://"))
	toB = newCutProxy(t, strings.TrimPrefix(bURL, "https://"))
	addPeerAt(t, a, b, toB.URL())
	addPeerAt(t, b, a, toA.URL())
	return toA, toB
}

// partitionWriter writes at one node: creates, updates that change the
// sharing (local included, so that copies are withdrawn), and deletes.
type partitionWriter struct {
	n   *fedtest.Node
	r   *rand.Rand
	ids []string // live own records
}

var (
	partitionDists = []string{crossguard.DistLocal, crossguard.DistAgency, crossguard.DistPartners, crossguard.DistNetwork}
	partitionTLPs  = []string{crossguard.TLPClear, crossguard.TLPGreen, crossguard.TLPAmber, crossguard.TLPAmberStrict}
)

// step makes one random write.
func (w *partitionWriter) step(t *testing.T) error {
	ctx := t.Context()
	dist := partitionDists[w.r.IntN(len(partitionDists))]
	tlp := partitionTLPs[w.r.IntN(len(partitionTLPs))]
	switch op := w.r.IntN(10); {
	case op < 6 || len(w.ids) == 0:
		s, err := w.n.Node.CreateSeizure(ctx, "test", sampleSeizure(dist, tlp))
		if err != nil {
			return err
		}
		w.ids = append(w.ids, s.ID)
	case op < 9:
		id := w.ids[w.r.IntN(len(w.ids))]
		s, err := w.n.Store.Seizure(ctx, id)
		if err != nil {
			return err
		}
		s.Distribution, s.Marking.TLP = dist, tlp
		if _, err := w.n.Node.UpdateSeizure(ctx, "test", id, s.Version, s); err != nil {
			return err
		}
	default:
		i := w.r.IntN(len(w.ids))
		if err := w.n.Node.DeleteSeizure(ctx, "test", w.ids[i], 0); err != nil {
			return err
		}
		w.ids = append(w.ids[:i], w.ids[i+1:]...)
	}
	return nil
}

// expectedHoldings returns what each of a and b should hold once they
// converge: its own live records, and the other's that are not local.
func expectedHoldings(t *testing.T, a, b *fedtest.Node) (forA, forB map[string]fedtest.Holding) {
	t.Helper()
	own := func(n *fedtest.Node) (all, shared map[string]fedtest.Holding) {
		all, shared = map[string]fedtest.Holding{}, map[string]fedtest.Holding{}
		for id, h := range n.Holds() {
			if h.Origin != n.ID() {
				continue
			}
			all[id] = h
			if s, err := n.Store.Seizure(t.Context(), id); err != nil {
				t.Fatal(err)
			} else if s.Distribution != crossguard.DistLocal {
				shared[id] = h
			}
		}
		return all, shared
	}
	aAll, aShared := own(a)
	bAll, bShared := own(b)
	for id, h := range bShared {
		aAll[id] = h
	}
	for id, h := range aShared {
		bAll[id] = h
	}
	return aAll, bAll
}

// sameHoldings reports whether got and want are equal.
func sameHoldings(got, want map[string]fedtest.Holding) bool {
	if len(got) != len(want) {
		return false
	}
	for id, h := range want {
		if got[id] != h {
			return false
		}
	}
	return true
}

// TestPartition runs a border post and its headquarters on their own pull
// loops, through a proxy that cuts the link and restores it repeatedly
// while both sides write; once the link stays up they converge to exactly
// the records each should hold, and the peer status says in words while
// the link is down and clears when it is back.
func TestPartition(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	post := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	hq := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	toPost, toHQ := linkVia(t, post, runLoops(t, post), hq, runLoops(t, hq))
	setCut := func(cut bool) {
		toPost.setCut(cut)
		toHQ.setCut(cut)
	}

	writers := []*partitionWriter{
		{n: post, r: rand.New(rand.NewPCG(seed, 2))},
		{n: hq, r: rand.New(rand.NewPCG(seed, 3))},
	}
	// The sleeps of the writers and of the cuts below are kept: they are
	// the random timing of writes and partitions under test, not waits for
	// an event. What must follow from them is waited for with WaitFor.
	var wg sync.WaitGroup
	errs := make(chan error, len(writers))
	for _, w := range writers {
		wg.Go(func() {
			for range 120 {
				if err := w.step(t); err != nil {
					errs <- errors.New(w.n.ID() + ": " + err.Error())
					return
				}
				time.Sleep(time.Duration(w.r.IntN(40)) * time.Millisecond)
			}
		})
	}
	// Cut and restore while the writers write, and note the errors the
	// statuses show meanwhile.
	seen := map[string]bool{}
	note := func() {
		for _, pair := range [][2]*fedtest.Node{{post, hq}, {hq, post}} {
			p, err := pair[0].Store.Peer(t.Context(), pair[1].ID())
			if err != nil {
				t.Fatal(err)
			}
			if p.Status.LastError != "" {
				seen[p.Status.LastError] = true
			}
		}
	}
	for range 12 {
		time.Sleep(time.Duration(50+r.IntN(250)) * time.Millisecond)
		setCut(true)
		for range 1 + r.IntN(20) {
			time.Sleep(20 * time.Millisecond)
			note()
		}
		setCut(false)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// A last cut long enough to be seen: each side says in words that it
	// cannot reach the other.
	setCut(true)
	for _, pair := range [][2]*fedtest.Node{{post, hq}, {hq, post}} {
		n, peer := pair[0], pair[1]
		fedtest.WaitFor(t, 60*time.Second, n.ID()+" to report the cut link to "+peer.ID(), func() bool {
			p, err := n.Store.Peer(t.Context(), peer.ID())
			return err == nil && strings.Contains(p.Status.LastError, "cannot reach "+peer.ID())
		})
	}
	// Both sides keep writing locally while cut.
	for _, w := range writers {
		for range 5 {
			if err := w.step(t); err != nil {
				t.Fatal(err)
			}
		}
	}
	setCut(false)

	forPost, forHQ := expectedHoldings(t, post, hq)
	fedtest.WaitFor(t, 60*time.Second, "the post and HQ to converge", func() bool {
		return sameHoldings(post.Holds(), forPost) && sameHoldings(hq.Holds(), forHQ)
	})
	for _, pair := range [][2]*fedtest.Node{{post, hq}, {hq, post}} {
		n, peer := pair[0], pair[1]
		fedtest.WaitFor(t, 60*time.Second, n.ID()+" to clear its error about "+peer.ID(), func() bool {
			p, err := n.Store.Peer(t.Context(), peer.ID())
			return err == nil && p.Status.LastError == "" && p.Status.LastExchange != nil
		})
	}
	for msg := range seen {
		if !strings.Contains(msg, "pk-customs/") {
			t.Errorf("a status said %q, which names no peer", msg)
		}
	}
	t.Logf("%d distinct errors shown in the statuses during the cuts", len(seen))
	// Two honest nodes refuse nothing of each other's, however often the
	// link breaks; a page cut off in the middle is reported as unreadable.
	for _, n := range []*fedtest.Node{post, hq} {
		cutOff := 0
		for _, e := range auditSince(t, n, 0, crossguard.ActionFedRefuse) {
			if strings.Contains(e.Detail, "page refused: read page") {
				cutOff++
				continue
			}
			t.Errorf("%s refused %s from %s: %s", n.ID(), e.RecordID, e.Actor, e.Detail)
		}
		if cutOff > 0 {
			t.Logf("%s: %d pages cut off while being read", n.ID(), cutOff)
		}
	}
	if len(forPost) == 0 || len(forHQ) == 0 {
		t.Fatal("nothing was written")
	}
}

// TestPartitionLostPage loses a whole page on the way: the headquarters
// serves the post a page (a withdrawal, a tombstone and a new record) that
// never arrives, as when the link drops during the answer. The post asks
// again from the same cursor and must get all of it.
func TestPartitionLostPage(t *testing.T) {
	post := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	hq := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	fedtest.Link(post, hq, fedtest.All)
	narrowed := createSeizure(t, hq, crossguard.DistPartners, crossguard.TLPGreen)
	deleted := createSeizure(t, hq, crossguard.DistAgency, crossguard.TLPAmber)
	fedtest.Sync(t, 5, post, hq)
	reshare(t, hq, narrowed.ID, crossguard.DistLocal, crossguard.TLPGreen)
	if err := hq.Node.DeleteSeizure(t.Context(), "test", deleted.ID, 0); err != nil {
		t.Fatal(err)
	}
	added := createSeizure(t, hq, crossguard.DistAgency, crossguard.TLPGreen)

	// The post's request reaches HQ, HQ serves the page, the answer is lost.
	peer, err := post.Store.Peer(t.Context(), hq.ID())
	if err != nil {
		t.Fatal(err)
	}
	cert, err := fedtls.Certificate(post.Key, post.ID())
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: fedtls.ClientConfig(cert, publicKey(hq)), ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: time.Minute}).Get(
		fmt.Sprintf("%s%s?after=%d", hq.Card().URL, federation.ChangesPath, peer.Status.Cursor))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s, %v", resp.Status, body, err)
	}
	lost, err := federation.ParsePage(body)
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]string{}
	for _, it := range lost.Items {
		if it.Withdrawal != nil {
			served[it.Withdrawal.ID] = it.Type
		} else {
			var h crossguard.Header
			if err := json.Unmarshal(it.Signed.Record, &h); err != nil {
				t.Fatal(err)
			}
			served[h.ID] = it.Type
		}
	}
	if served[narrowed.ID] != federation.ItemWithdrawal || served[deleted.ID] != federation.ItemRecord || served[added.ID] != federation.ItemRecord {
		t.Fatalf("the lost page held %v", served)
	}

	fedtest.Sync(t, 5, post, hq)
	held := post.Holds()
	if _, ok := held[narrowed.ID]; ok {
		t.Error("the post still holds the record narrowed to local: the withdrawal was lost with the page")
	}
	mustBeGone(t, post, deleted.ID)
	if _, err := post.Store.Tombstone(t.Context(), deleted.ID); err != nil {
		t.Errorf("the post has no tombstone of the deleted record: %v", err)
	}
	if h := held[added.ID]; h.Version != 1 {
		t.Errorf("the post holds %+v of the new record", h)
	}
}
