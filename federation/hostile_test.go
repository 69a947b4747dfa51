package federation_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/federation/fedtls"
	"crossguard/node"
)

// hostilePeer is a peer that answers pulls with whatever the test crafts:
// a real mutual-TLS federation listener on loopback with its own node key,
// accepting only the victim's key.
type hostilePeer struct {
	id   string
	key  ed25519.PrivateKey
	card crossguard.NodeCard

	mu     sync.Mutex
	answer func(w http.ResponseWriter, after int64, maxBytes int)
	asked  atomic.Int64
}

// newHostilePeer starts a hostile peer that lets victim connect.
func newHostilePeer(t *testing.T, id string, victim *fedtest.Node) *hostilePeer {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := fedtls.Certificate(key, id)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	agency := crossguard.Agency(id)
	h := &hostilePeer{id: id, key: key, card: crossguard.NodeCard{ID: id, Agency: agency, Country: "CN", Name: "Hostile node " + id,
		URL: "https://" + ln.Addr().String(), PublicKey: base64.StdEncoding.EncodeToString(pub), Protocol: crossguard.ProtocolVersion}}
	victimKey := publicKey(victim)
	known := func(k ed25519.PublicKey) (string, bool) { return victim.ID(), k.Equal(victimKey) }
	srv := &http.Server{Handler: fedtls.RequirePeer(known, http.HandlerFunc(h.serveHTTP)),
		TLSConfig: fedtls.ServerConfig(cert, known), ErrorLog: log.New(io.Discard, "", 0)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeTLS(ln, "", "")
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return h
}

// serveHTTP answers a pull with the current answer.
func (h *hostilePeer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != federation.ChangesPath {
		http.NotFound(w, r)
		return
	}
	h.asked.Add(1)
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	maxBytes, _ := strconv.Atoi(q.Get("max_bytes"))
	h.mu.Lock()
	answer := h.answer
	h.mu.Unlock()
	if answer == nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	answer(w, after, maxBytes)
}

// serve sets the answer to every pull.
func (h *hostilePeer) serve(answer func(w http.ResponseWriter, after int64, maxBytes int)) {
	h.mu.Lock()
	h.answer = answer
	h.mu.Unlock()
}

// serveBytes answers every pull with the body page(after, maxBytes).
func (h *hostilePeer) serveBytes(page func(after int64, maxBytes int) []byte) {
	h.serve(func(w http.ResponseWriter, after int64, maxBytes int) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(page(after, maxBytes))
	})
}

// serveItems answers every pull with a well-formed page of items after
// the cursor asked.
func (h *hostilePeer) serveItems(items ...federation.Item) {
	h.serveBytes(func(after int64, _ int) []byte { return h.page(after, items...) })
}

// page encodes a well-formed page of items, numbered after the cursor.
func (h *hostilePeer) page(after int64, items ...federation.Item) []byte {
	p := federation.Page{Protocol: crossguard.ProtocolVersion, From: h.id, Items: make([]federation.Item, len(items))}
	for i, it := range items {
		it.Seq = after + int64(i) + 1
		p.Items[i] = it
	}
	p.NextCursor = after + int64(len(items))
	p.Head = p.NextCursor
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// evilID is the hostile node's id.
const evilID = "cn-customs/evil"

// recordItem is a page item carrying sr, with the path an honest relay
// would give it: the record's origin, then the hostile node (when the
// record's origin cannot be read, the hostile node alone).
func recordItem(sr *crossguard.SignedRecord) federation.Item {
	var h struct {
		Origin string `json:"origin"`
	}
	path := []string{evilID}
	if json.Unmarshal(sr.Record, &h) == nil && h.Origin != "" && h.Origin != evilID {
		path = []string{h.Origin, evilID}
	}
	return federation.Item{Type: federation.ItemRecord, Signed: sr, Path: path}
}

// withdrawalItem is a page item withdrawing record id of origin.
func withdrawalItem(id, origin string) federation.Item {
	return federation.Item{Type: federation.ItemWithdrawal, Withdrawal: &crossguard.Withdrawal{ID: id, Kind: crossguard.KindSeizure,
		Origin: origin, Reason: "you may no longer hold it"}}
}

// craft returns a seizure stamped as origin's version 1, edited by edit,
// and signed by key, which may or may not be origin's.
func craft(t *testing.T, origin string, key ed25519.PrivateKey, edit func(*crossguard.Seizure)) (*crossguard.Seizure, *crossguard.SignedRecord) {
	t.Helper()
	s := sampleSeizure(crossguard.DistNetwork, crossguard.TLPGreen)
	s.Normalize()
	now := time.Now().UTC().Truncate(time.Microsecond)
	s.ID, s.Origin, s.Version, s.CreatedAt, s.UpdatedAt = node.NewUUIDv7(), origin, 1, now, now
	if edit != nil {
		edit(s)
	}
	return s, signJSON(t, key, s)
}

// signJSON signs the JSON of v with key.
func signJSON(t *testing.T, key ed25519.PrivateKey, v any) *crossguard.SignedRecord {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := federation.Sign(key, b)
	if err != nil {
		t.Fatal(err)
	}
	return sr
}

// hostileWorld is a victim node with a good partner, a hostile partner
// and a third agency's node it knows only as an origin.
type hostileWorld struct {
	victim *fedtest.Node // pk-customs/hq
	good   *fedtest.Node // cn-customs/tashkurgan, linked both ways
	third  *fedtest.Node // kz-customs/khorgos, origin-only at the victim
	evil   *hostilePeer  // cn-customs/evil, a partner of the victim
	puller *federation.Puller
}

// newHostileWorld sets the nodes up and peers them. With loops, the
// victim and the good partner run their own pull loops (see runLoops).
func newHostileWorld(t *testing.T, loops bool) *hostileWorld {
	return newHostileWorldOn(t, fedtest.SQLite, loops)
}

// newHostileWorldOn is newHostileWorld with the victim's store opened by
// open (the other nodes use SQLite).
func newHostileWorldOn(t *testing.T, open fedtest.Opener, loops bool) *hostileWorld {
	w := &hostileWorld{
		victim: fedtest.NewNode(t, open, "pk-customs/hq"),
		good:   fedtest.NewNode(t, fedtest.SQLite, "cn-customs/tashkurgan"),
		third:  fedtest.NewNode(t, fedtest.SQLite, "kz-customs/khorgos"),
	}
	w.evil = newHostilePeer(t, "cn-customs/evil", w.victim)
	if loops {
		victimURL, goodURL := runLoops(t, w.victim), runLoops(t, w.good)
		addPeerAt(t, w.victim, w.good, goodURL)
		addPeerAt(t, w.good, w.victim, victimURL)
	} else {
		fedtest.Link(w.victim, w.good, fedtest.All)
	}
	w.victim.AddPeer(w.third, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	_, err := w.victim.Node.PutPeer(t.Context(), "test", &crossguard.Peer{Card: w.evil.card, Relationship: crossguard.RelPartner,
		Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed})
	if err != nil {
		t.Fatalf("add the hostile peer: %v", err)
	}
	p := w.evilStatus(t)
	if w.puller, err = w.victim.Svc.NewPuller(t.Context(), &p); err != nil {
		t.Fatal(err)
	}
	return w
}

// evilStatus returns the victim's record of the hostile peer.
func (w *hostileWorld) evilStatus(t *testing.T) crossguard.Peer {
	t.Helper()
	p, err := w.victim.Store.Peer(t.Context(), w.evil.id)
	if err != nil {
		t.Fatal(err)
	}
	return *p
}

// pull makes the victim pull one page from the hostile peer.
func (w *hostileWorld) pull(t *testing.T) (*federation.PullResult, error) {
	return w.puller.PullOnce(t.Context(), 0)
}

// relayable returns a record of the third agency that any holder may
// relay to the victim, signed by its origin: what a good page holds.
func (w *hostileWorld) relayable(t *testing.T) (*crossguard.Seizure, *crossguard.SignedRecord) {
	t.Helper()
	s := createSeizure(t, w.third, crossguard.DistNetwork, crossguard.TLPGreen)
	return s, signOwn(t, w.third, s.ID)
}

// changedSince returns the ids of the victim's records changed after
// change seq.
func (w *hostileWorld) changedSince(t *testing.T, seq int64) []string {
	t.Helper()
	changes, _, err := w.victim.Store.Changes(t.Context(), seq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range changes {
		ids = append(ids, c.Header.ID)
	}
	return ids
}

// head returns the victim's last change.
func (w *hostileWorld) head(t *testing.T) int64 {
	t.Helper()
	_, head, err := w.victim.Store.Changes(t.Context(), 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return head
}

// envelopeCase is one hostile envelope in an otherwise good page.
type envelopeCase struct {
	name   string
	item   federation.Item
	id     string // the record id the refusal names
	reason string // what the reason must say
}

// TestHostilePeerEnvelopes sends, from a hostile partner, pages that each
// mix one bad envelope with one good record: the bad one is refused with
// its specific reason in the victim's audit log and peer status and
// stores nothing; the good one is applied.
func TestHostilePeerEnvelopes(t *testing.T) {
	w := newHostileWorld(t, false)
	v, g, o, evil := w.victim, w.good, w.third, w.evil

	// The victim holds version 2 of a good partner's record (whose version
	// 1 was signed on the way), and a record of its own.
	held := createSeizure(t, g, crossguard.DistNetwork, crossguard.TLPGreen)
	v1 := signOwn(t, g, held.ID)
	reshare(t, g, held.ID, crossguard.DistNetwork, crossguard.TLPAmber)
	own := createSeizure(t, v, crossguard.DistPartners, crossguard.TLPGreen)
	fedtest.Sync(t, 5, v, g)
	if h := v.Holds()[held.ID]; h.Version != 2 {
		t.Fatalf("the victim holds version %d of the partner's record, want 2", h.Version)
	}

	thirdKind := func(dist, tlp string, recipients ...string) (string, federation.Item) {
		s := createSeizure(t, o, dist, tlp, recipients...)
		return s.ID, recordItem(signOwn(t, o, s.ID))
	}
	var cases []envelopeCase
	add := func(name, id string, item federation.Item, reason string) {
		cases = append(cases, envelopeCase{name, item, id, reason})
	}

	s, sr := craft(t, g.ID(), evil.key, nil)
	add("forged origin", s.ID, recordItem(sr), "signed by a key that is not the origin's")
	s, sr = craft(t, "ru-customs/moscow", evil.key, nil)
	add("unknown origin", s.ID, recordItem(sr), "origin ru-customs/moscow is not a known node")

	s, sr = w.relayable(t)
	var body map[string]any
	if err := json.Unmarshal(sr.Record, &body); err != nil {
		t.Fatal(err)
	}
	body["narrative"] = "altered on the way"
	altered, _ := json.Marshal(body)
	add("altered body", s.ID, recordItem(&crossguard.SignedRecord{Record: altered, Signature: sr.Signature}), "signed by a key that is not the origin's")
	s, sr = w.relayable(t)
	add("malformed signature", s.ID, recordItem(&crossguard.SignedRecord{Record: sr.Record, Signature: "not base64!"}), "malformed signature")
	s, sr = w.relayable(t)
	add("truncated signature", s.ID, recordItem(&crossguard.SignedRecord{Record: sr.Record, Signature: sr.Signature[:40]}), "malformed signature")

	add("replayed old version", held.ID, recordItem(v1), "version 1 is older than the version 2 held here: a replay")

	id, it := thirdKind(crossguard.DistAgency, crossguard.TLPGreen)
	add("agency record of another agency", id, it, "outside the sharing policy: distribution agency keeps the record within kz-customs")
	id, it = thirdKind(crossguard.DistNetwork, crossguard.TLPAmberStrict)
	add("amber+strict record of another agency", id, it, "outside the sharing policy: TLP:AMBER+STRICT keeps the record within kz-customs")
	id, it = thirdKind(crossguard.DistPartners, crossguard.TLPGreen)
	add("partners record relayed by a partner of another agency", id, it,
		"outside the sharing policy: distribution partners: only kz-customs passes the record to partners, it is not relayed onward")
	id, it = thirdKind(crossguard.DistNetwork, crossguard.TLPRed, "cn-customs")
	add("red record not naming the victim", id, it, "outside the sharing policy: TLP:RED and pk-customs is not a named recipient")
	id, it = thirdKind(crossguard.DistNetwork, crossguard.TLPGreen, "cn-customs")
	add("recipients not naming the victim", id, it, "outside the sharing policy: pk-customs is not among the named recipients")
	id, it = thirdKind(crossguard.DistLocal, crossguard.TLPGreen)
	add("local record", id, it, "outside the sharing policy: the record's distribution is local")

	add("withdrawal of a copy another peer sent", held.ID, withdrawalItem(held.ID, g.ID()),
		"withdrawal from cn-customs/evil of a copy received from cn-customs/tashkurgan")
	add("withdrawal of the victim's own record", own.ID, withdrawalItem(own.ID, v.ID()), "withdrawal of this node's own record")
	add("malformed withdrawal", "x", withdrawalItem("x", g.ID()), "malformed withdrawal: the id is not a UUID")

	tomb := own.Header
	tomb.Version++
	tombJSON, err := federation.TombstoneJSON(tomb)
	if err != nil {
		t.Fatal(err)
	}
	ownTomb, err := federation.Sign(v.Key, tombJSON)
	if err != nil {
		t.Fatal(err)
	}
	add("tombstone of the victim's own record", own.ID, recordItem(ownTomb), "a version of this node's own record")
	ownNext := *own
	ownNext.Version++
	ownNext.Narrative = "rewritten elsewhere"
	add("version of the victim's own record", own.ID, recordItem(signJSON(t, v.Key, &ownNext)), "a version of this node's own record")

	heldTomb := held.Header
	heldTomb.Version = 3
	tombJSON, err = federation.TombstoneJSON(heldTomb)
	if err != nil {
		t.Fatal(err)
	}
	forgedTomb, err := federation.Sign(evil.key, tombJSON)
	if err != nil {
		t.Fatal(err)
	}
	add("forged tombstone", held.ID, recordItem(forgedTomb), "signed by a key that is not the origin's")

	_, sr = craft(t, evil.id, evil.key, func(s *crossguard.Seizure) { s.ID = held.ID })
	add("id held under another origin", held.ID, recordItem(sr),
		fmt.Sprintf("record %s belongs to cn-customs/tashkurgan, not cn-customs/evil", held.ID))
	now := time.Now().UTC().Truncate(time.Microsecond)
	note := &crossguard.Annotation{Header: crossguard.Header{ID: held.ID, Kind: crossguard.KindAnnotation, Origin: evil.id, Version: 1,
		CreatedAt: now, UpdatedAt: now, Distribution: crossguard.DistNetwork, Marking: held.Marking},
		Target: crossguard.RecordRef{ID: own.ID, Kind: crossguard.KindSeizure, Origin: v.ID()}, Text: "same id, other kind"}
	add("id held as another kind", held.ID, recordItem(signJSON(t, evil.key, note)),
		fmt.Sprintf("record %s is a seizure, not a annotation", held.ID))

	s, sr = craft(t, evil.id, evil.key, func(s *crossguard.Seizure) { s.Goods = nil })
	add("invalid seizure", s.ID, recordItem(sr), "invalid seizure")
	s, sr = craft(t, evil.id, evil.key, func(s *crossguard.Seizure) { s.Kind = "warning" })
	add("a seizure relabelled as a warning", s.ID, recordItem(sr), "malformed warning: unknown field")
	_, sr = craft(t, evil.id, evil.key, func(s *crossguard.Seizure) { s.Narrative = strings.Repeat("x", federation.MaxRecordBytes) })
	add("record over 1 MiB", "", recordItem(sr), "over the protocol's limit")

	before := v.Holds()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good, goodSR := w.relayable(t)
			peer := w.evilStatus(t)
			seq, audit := w.head(t), auditHead(t, v)
			evil.serveItems(c.item, recordItem(goodSR))
			res, err := w.pull(t)
			if err != nil {
				t.Fatalf("pull: %v", err)
			}
			if res.Applied != 1 || res.Refused != 1 || res.Cursor != peer.Status.Cursor+2 {
				t.Fatalf("pull %+v, want one applied, one refused and the cursor past both", res)
			}
			// Only the good record changed anything.
			if got := w.changedSince(t, seq); len(got) != 1 || got[0] != good.ID {
				t.Fatalf("records changed: %v, want only the good one %s", got, good.ID)
			}
			if h := v.Holds()[good.ID]; h.Origin != o.ID() || h.Version != 1 {
				t.Fatalf("the good record is held as %+v", h)
			}
			after := w.evilStatus(t)
			want := "refused 1 envelope from cn-customs/evil: "
			if !strings.HasPrefix(after.Status.LastError, want) || !strings.Contains(after.Status.LastError, c.reason) {
				t.Errorf("status says %q, want %q...%q", after.Status.LastError, want, c.reason)
			}
			if after.Status.Refused != peer.Status.Refused+1 || after.Status.Received != peer.Status.Received+1 {
				t.Errorf("status counts refused %d→%d received %d→%d", peer.Status.Refused, after.Status.Refused,
					peer.Status.Received, after.Status.Received)
			}
			refusals := auditSince(t, v, audit, crossguard.ActionFedRefuse)
			if len(refusals) != 1 {
				t.Fatalf("%d federation.refuse entries, want 1", len(refusals))
			}
			r := refusals[0]
			if r.Actor != evil.id || r.RecordID != c.id || r.Outcome != crossguard.OutcomeDenied || !strings.Contains(r.Detail, c.reason) {
				t.Errorf("audit entry %+v, want record %q refused by reason %q", r, c.id, c.reason)
			}
		})
	}
	// Nothing of the hostile envelopes stuck: the victim holds what it held
	// and the good records, at the versions it had.
	now2 := v.Holds()
	for id, h := range before {
		if now2[id] != h {
			t.Errorf("the victim's %s is now %+v, was %+v", id, now2[id], h)
		}
	}
	for id, h := range now2 {
		if _, ok := before[id]; !ok && h.Origin != o.ID() {
			t.Errorf("the victim holds %s from %s", id, h.Origin)
		}
	}
	if len(now2) != len(before)+len(cases) {
		t.Errorf("the victim holds %d records, want %d", len(now2), len(before)+len(cases))
	}
	if _, err := v.Store.Seizure(t.Context(), held.ID); err != nil {
		t.Errorf("the partner's record: %v", err)
	}
	if _, err := v.Store.Tombstone(t.Context(), own.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Errorf("the victim's own record has a tombstone: %v", err)
	}
}

// pageCase is a page that cannot be read at all.
type pageCase struct {
	name   string
	body   func(after int64, maxBytes int, good federation.Item) []byte
	reason string
}

// TestHostilePeerPages sends pages that cannot be read at all, each with
// a good record in it: each is refused whole with its reason, nothing of
// it is stored and the cursor stays.
func TestHostilePeerPages(t *testing.T) {
	w := newHostileWorld(t, false)
	v, evil := w.victim, w.evil
	good := func(after int64, items ...federation.Item) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(evil.page(after, items...), &m); err != nil {
			panic(err)
		}
		return m
	}
	encode := func(m map[string]any) []byte {
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		return b
	}
	cases := []pageCase{
		{"oversized page", func(after int64, maxBytes int, it federation.Item) []byte {
			pad := withdrawalItem(node.NewUUIDv7(), evil.id)
			pad.Withdrawal.Reason = strings.Repeat("x", int(federation.ReadLimit(maxBytes)))
			return evil.page(after, it, pad)
		}, "page refused: page larger than the limit asked for"},
		{"truncated JSON", func(after int64, _ int, it federation.Item) []byte {
			b := evil.page(after, it)
			return b[:len(b)-20]
		}, "page refused: malformed page"},
		{"not JSON", func(int64, int, federation.Item) []byte { return []byte("<html>hello</html>") }, "page refused: malformed page"},
		{"unknown field", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it)
			m["extra"] = true
			return encode(m)
		}, `page refused: malformed page: json: unknown field "extra"`},
		{"data after the page", func(after int64, _ int, it federation.Item) []byte {
			return append(evil.page(after, it), evil.page(after, it)...)
		}, "page refused: malformed page: data after the page"},
		{"other protocol", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it)
			m["protocol"] = crossguard.ProtocolVersion + 1
			return encode(m)
		}, fmt.Sprintf("page refused: page of protocol %d; this node speaks protocol %d", crossguard.ProtocolVersion+1, crossguard.ProtocolVersion)},
		{"from another node", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it)
			m["from"] = w.good.ID()
			return encode(m)
		}, "page refused: the page says it is from cn-customs/tashkurgan"},
		{"items out of order", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it, withdrawalItem(node.NewUUIDv7(), evil.id))
			items := m["items"].([]any)
			items[0], items[1] = items[1], items[0]
			return encode(m)
		}, "page refused: malformed page: item 1 has seq"},
		{"cursor before the items", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it)
			m["next_cursor"] = after
			return encode(m)
		}, "page refused: malformed page: next cursor"},
		{"item of no type", func(after int64, _ int, it federation.Item) []byte {
			m := good(after, it, withdrawalItem(node.NewUUIDv7(), evil.id))
			m["items"].([]any)[1].(map[string]any)["type"] = "gift"
			return encode(m)
		}, "page refused: malformed page: item 1"},
		{"too many items", func(after int64, _ int, it federation.Item) []byte {
			items := []federation.Item{it}
			for range federation.MaxPageItems {
				items = append(items, withdrawalItem(node.NewUUIDv7(), evil.id))
			}
			return evil.page(after, items...)
		}, "page refused: page of 1001 items, more than the protocol's 1000"},
	}
	var asked []int
	var askedMu sync.Mutex
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good, goodSR := w.relayable(t)
			peer := w.evilStatus(t)
			seq, audit := w.head(t), auditHead(t, v)
			evil.serveBytes(func(after int64, maxBytes int) []byte {
				askedMu.Lock()
				asked = append(asked, maxBytes)
				askedMu.Unlock()
				return c.body(after, maxBytes, recordItem(goodSR))
			})
			_, err := w.pull(t)
			if err == nil || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("pull: %v, want an error saying %q", err, c.reason)
			}
			if got := w.changedSince(t, seq); len(got) != 0 {
				t.Fatalf("records changed: %v", got)
			}
			mustBeGone(t, v, good.ID)
			after := w.evilStatus(t)
			if after.Status.Cursor != peer.Status.Cursor {
				t.Errorf("the cursor moved from %d to %d", peer.Status.Cursor, after.Status.Cursor)
			}
			if !sameTime(after.Status.LastExchange, peer.Status.LastExchange) {
				t.Errorf("the last successful exchange moved from %v to %v on a refused page", peer.Status.LastExchange, after.Status.LastExchange)
			}
			if after.Status.Received != peer.Status.Received {
				t.Errorf("status counts received %d→%d", peer.Status.Received, after.Status.Received)
			}
			if !strings.Contains(after.Status.LastError, evil.id) || !strings.Contains(after.Status.LastError, c.reason) {
				t.Errorf("status says %q, want it to name %s and say %q", after.Status.LastError, evil.id, c.reason)
			}
			refusals := auditSince(t, v, audit, crossguard.ActionFedRefuse)
			if len(refusals) != 1 || refusals[0].Actor != evil.id || !strings.Contains(refusals[0].Detail, c.reason) {
				t.Errorf("federation.refuse entries %+v, want one saying %q", refusals, c.reason)
			}
		})
	}
	for _, n := range asked {
		if n <= 0 || n > federation.MaxPageBytes {
			t.Errorf("the victim asked for pages of max_bytes=%d", n)
		}
	}

	// A page that never ends is read only up to the limit asked.
	var written atomic.Int64
	evil.serve(func(rw http.ResponseWriter, after int64, maxBytes int) {
		rw.Header().Set("Content-Type", "application/json")
		start := evil.page(after, withdrawalItem(node.NewUUIDv7(), evil.id))
		rw.Write(start[:len(start)-40])
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for range (256 << 20) / len(chunk) { // at most 256 MiB
			n, err := rw.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	peer := w.evilStatus(t)
	if _, err := w.pull(t); err == nil || !strings.Contains(err.Error(), "page larger than the limit asked for") {
		t.Fatalf("endless page: %v", err)
	}
	if after := w.evilStatus(t); after.Status.Cursor != peer.Status.Cursor {
		t.Errorf("the cursor moved on an endless page")
	}
	if n := written.Load(); n > 64<<20 {
		t.Errorf("the victim let the hostile peer write %d bytes of one page", n)
	}
}

// TestHostilePeerKeepsOthersServed runs the victim's own pull loops while
// a hostile partner answers every pull with refused pages, and checks that
// the victim and a good partner keep exchanging both ways meanwhile and
// that nothing of the hostile pages is stored.
func TestHostilePeerKeepsOthersServed(t *testing.T) {
	w := newHostileWorld(t, true)
	v, g, evil := w.victim, w.good, w.evil
	var turn atomic.Int64
	forgedOf := func() *crossguard.SignedRecord {
		_, sr := craft(t, g.ID(), evil.key, nil)
		return sr
	}
	forged := []*crossguard.SignedRecord{forgedOf(), forgedOf(), forgedOf()}
	evil.serveBytes(func(after int64, _ int) []byte {
		time.Sleep(10 * time.Millisecond) // a hostile peer, not a flood
		switch turn.Add(1) % 3 {
		case 0:
			return fmt.Appendf(nil, `{"protocol":%d,"from":"cn-customs/evil","items":[{"seq":`, crossguard.ProtocolVersion)
		case 1:
			return evil.page(after, recordItem(forged[0]), recordItem(forged[1]), withdrawalItem(node.NewUUIDv7(), g.ID()))
		default:
			return evil.page(after, recordItem(forged[2]))
		}
	})

	// The records are written over a while, as the loops run, so that the
	// exchange goes on beside the hostile pulls: the pauses are the
	// workload, kept, not a wait for anything.
	var mine, theirs []string
	for i := range 20 {
		if i%2 == 0 {
			mine = append(mine, createSeizure(t, v, crossguard.DistPartners, crossguard.TLPAmber).ID)
		} else {
			theirs = append(theirs, createSeizure(t, g, crossguard.DistNetwork, crossguard.TLPGreen).ID)
		}
		time.Sleep(20 * time.Millisecond)
	}
	holdsAll := func(n *fedtest.Node, ids []string) func() bool {
		return func() bool {
			held := n.Holds()
			for _, id := range ids {
				if _, ok := held[id]; !ok {
					return false
				}
			}
			return true
		}
	}
	fedtest.WaitFor(t, 60*time.Second, "the good partner to hold the victim's records", holdsAll(g, mine))
	fedtest.WaitFor(t, 60*time.Second, "the victim to hold the good partner's records", holdsAll(v, theirs))
	fedtest.WaitFor(t, 60*time.Second, "the hostile peer to be refused", func() bool {
		p := w.evilStatus(t)
		return p.Status.Refused >= 3 && evil.asked.Load() >= 3
	})

	held := v.Holds()
	if len(held) != len(mine)+len(theirs) {
		t.Errorf("the victim holds %d records, want %d", len(held), len(mine)+len(theirs))
	}
	for _, sr := range forged {
		var h crossguard.Header
		if err := json.Unmarshal(sr.Record, &h); err != nil {
			t.Fatal(err)
		}
		mustBeGone(t, v, h.ID)
	}
	p := w.evilStatus(t)
	if !strings.Contains(p.Status.LastError, "cn-customs/evil") {
		t.Errorf("the hostile peer's status says %q", p.Status.LastError)
	}
	fedtest.WaitFor(t, 60*time.Second, "clean statuses of the good link", func() bool {
		a, err1 := v.Store.Peer(t.Context(), g.ID())
		b, err2 := g.Store.Peer(t.Context(), v.ID())
		return err1 == nil && err2 == nil && a.Status.LastError == "" && b.Status.LastError == "" &&
			a.Status.Refused == 0 && b.Status.Refused == 0
	})
}

// TestHostileUnknownKey connects to the victim's federation listener with
// a key it has not added, and with the key of a node it knows only as an
// origin: the handshake fails before any request is read, and the
// victim's audit log and peers are untouched.
func TestHostileUnknownKey(t *testing.T) {
	w := newHostileWorld(t, false)
	v := w.victim
	createSeizure(t, v, crossguard.DistNetwork, crossguard.TLPClear)
	audit := auditHead(t, v)
	peersBefore, err := v.Node.Peers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, stranger, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		key  ed25519.PrivateKey
	}{{"unknown key", stranger}, {"origin-only key", w.third.Key}} {
		cert, err := fedtls.Certificate(c.key, "xx-customs/stranger")
		if err != nil {
			t.Fatal(err)
		}
		cfg := fedtls.ClientConfig(cert, publicKey(v))
		// In TLS 1.3 the client finishes its side of the handshake first;
		// the server's refusal arrives as an alert on the first read.
		conn, err := tls.Dial("tcp", strings.TrimPrefix(v.Card().URL, "https://"), cfg)
		if err == nil {
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err = conn.Read(make([]byte, 1))
			conn.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "remote error: tls: bad certificate") {
			t.Fatalf("%s: %v, want the server's bad certificate alert", c.name, err)
		}
		// The federation client gets no answer either.
		tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}
		client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
		resp, err := client.Get(v.Card().URL + federation.ChangesPath + "?after=0")
		tr.CloseIdleConnections()
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			t.Fatalf("%s: the victim answered %s: %s", c.name, resp.Status, body)
		}
	}
	if got := auditHead(t, v); got != audit {
		t.Errorf("the audit log grew from %d to %d entries: %+v", audit, got, auditSince(t, v, audit, ""))
	}
	peersAfter, err := v.Node.Peers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(peersBefore)
	b, _ := json.Marshal(peersAfter)
	if string(a) != string(b) {
		t.Errorf("the victim's peers changed:\n%s\n%s", a, b)
	}
}

// sameTime reports whether a and b are both nil or the same time.
func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}
