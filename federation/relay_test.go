package federation_test

import (
	"crypto/ed25519"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"
	"crossguard/sample"
)

// recordSeed makes every sample seizure of these tests different.
var recordSeed atomic.Int64

// sampleSeizure returns a new, unstamped sample seizure with the sharing
// given.
func sampleSeizure(dist, tlp string, recipients ...string) *crossguard.Seizure {
	s := sample.Seizures(1, 1000+recordSeed.Add(1), time.Now())[0]
	s.Distribution, s.Recipients = dist, recipients
	// H1 travels as far as the distribution lets it; the sample's own
	// handling code might be H2, which no relay passes on.
	s.Marking = crossguard.Marking{TLP: tlp, Handling: crossguard.HandlingH1, SourceReliability: s.Marking.SourceReliability, InfoAccuracy: s.Marking.InfoAccuracy}
	return s
}

// createSeizure records a new seizure at n with the sharing given, as a
// user of n would.
func createSeizure(t testing.TB, n *fedtest.Node, dist, tlp string, recipients ...string) *crossguard.Seizure {
	t.Helper()
	s, err := n.Node.CreateSeizure(t.Context(), "test", sampleSeizure(dist, tlp, recipients...))
	if err != nil {
		t.Fatalf("%s: create seizure: %v", n.ID(), err)
	}
	return s
}

// reshare updates seizure id at its origin n to the distribution and TLP
// given, returning the new version.
func reshare(t testing.TB, n *fedtest.Node, id, dist, tlp string, recipients ...string) *crossguard.Seizure {
	t.Helper()
	s, err := n.Store.Seizure(t.Context(), id)
	if err != nil {
		t.Fatalf("%s: read %s: %v", n.ID(), id, err)
	}
	s.Distribution, s.Recipients, s.Marking.TLP = dist, recipients, tlp
	out, err := n.Node.UpdateSeizure(t.Context(), "test", id, s.Version, s)
	if err != nil {
		t.Fatalf("%s: update %s: %v", n.ID(), id, err)
	}
	return out
}

// changeOf returns the change feed entry of record id at n, or nil.
func changeOf(t testing.TB, n *fedtest.Node, id string) *crossguard.Change {
	t.Helper()
	var after int64
	for {
		changes, _, err := n.Store.Changes(t.Context(), after, 1000)
		if err != nil {
			t.Fatalf("%s: changes: %v", n.ID(), err)
		}
		if len(changes) == 0 {
			return nil
		}
		for _, c := range changes {
			if c.Header.ID == id {
				return c
			}
		}
		after = changes[len(changes)-1].Seq
	}
}

// signOwn returns n's own record id signed by n, exactly as n's feed
// serves it: the current version, or the tombstone of a deleted record.
func signOwn(t testing.TB, n *fedtest.Node, id string) *crossguard.SignedRecord {
	t.Helper()
	c := changeOf(t, n, id)
	if c == nil || c.Header.Origin != n.ID() {
		t.Fatalf("%s: no own record %s", n.ID(), id)
	}
	body := []byte(c.Body)
	if c.State == crossguard.StateDeleted {
		var err error
		if body, err = federation.TombstoneJSON(c.Header); err != nil {
			t.Fatal(err)
		}
	}
	sr, err := federation.Sign(n.Key, body)
	if err != nil {
		t.Fatal(err)
	}
	return sr
}

// publicKey returns n's public key.
func publicKey(n *fedtest.Node) ed25519.PublicKey { return n.Key.Public().(ed25519.PublicKey) }

// onlyKey is a federation.Keys that knows only origin, with key pub.
func onlyKey(origin string, pub ed25519.PublicKey) federation.Keys {
	return func(o string) (ed25519.PublicKey, bool) {
		if o == origin {
			return pub, true
		}
		return nil, false
	}
}

// auditSince returns n's audit entries after sequence number seq with the
// action given (all actions if ""), oldest first.
func auditSince(t testing.TB, n *fedtest.Node, seq int64, action string) []*crossguard.AuditEntry {
	t.Helper()
	var out []*crossguard.AuditEntry
	err := n.Store.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		if e.Seq > seq && (action == "" || e.Action == action) {
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: walk audit: %v", n.ID(), err)
	}
	return out
}

// auditHead returns the sequence number of n's last audit entry.
func auditHead(t testing.TB, n *fedtest.Node) int64 {
	t.Helper()
	seq, _, err := n.Store.AuditHead(t.Context())
	if err != nil {
		t.Fatalf("%s: audit head: %v", n.ID(), err)
	}
	return seq
}

// mustBeGone fails t unless n holds no live copy of seizure id.
func mustBeGone(t testing.TB, n *fedtest.Node, id string) {
	t.Helper()
	if _, err := n.Store.Seizure(t.Context(), id); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("%s: Seizure(%s) = %v, want ENOTFOUND", n.ID(), id, err)
	}
}

// TestRelayNetwork checks A → B → C across three agencies: a network
// record reaches C signed by A (B passes A's signature on unchanged), a
// partners record stops at B, and narrowing and deleting at A travel
// down the chain as a withdrawal and a tombstone.
func TestRelayNetwork(t *testing.T) {
	a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	b := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/kashgar")
	c := fedtest.NewNode(t, fedtest.SQLite, "kz-customs/khorgos")
	fedtest.Link(a, b, fedtest.All)
	fedtest.Link(b, c, fedtest.All)
	c.AddPeer(a, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})

	network := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPGreen)
	doomed := createSeizure(t, a, crossguard.DistNetwork, crossguard.TLPAmber)
	partners := createSeizure(t, a, crossguard.DistPartners, crossguard.TLPGreen)
	fedtest.Sync(t, 10, a, b, c)

	want := func(n *fedtest.Node, ids ...string) {
		t.Helper()
		held := n.Holds()
		var got []string
		for id, h := range held {
			if h.Origin != n.ID() {
				got = append(got, id)
			}
		}
		slices.Sort(got)
		slices.Sort(ids)
		if !slices.Equal(got, ids) {
			t.Fatalf("%s holds %v of other origins, want %v", n.ID(), got, ids)
		}
	}
	want(b, network.ID, doomed.ID, partners.ID)
	want(c, network.ID, doomed.ID)

	// What C stores is A's signature, verifiable with A's key alone, and
	// byte for byte what B holds.
	atC := changeOf(t, c, network.ID)
	if atC.Via != b.ID() || atC.Signed == nil || atC.Header.Origin != a.ID() {
		t.Fatalf("C holds %+v, want a signed copy of A's record via B", atC)
	}
	in, err := federation.Open(atC.Signed, onlyKey(a.ID(), publicKey(a)))
	if err != nil {
		t.Fatalf("C's copy does not open with A's key: %v", err)
	}
	if in.Header.ID != network.ID || in.Seizure == nil || in.Seizure.Goods[0].Description != network.Goods[0].Description {
		t.Fatalf("C's copy opens to %+v", in.Header)
	}
	var refused *federation.Refused
	if _, err := federation.Open(atC.Signed, onlyKey(a.ID(), publicKey(b))); !errors.As(err, &refused) {
		t.Fatalf("C's copy opens with B's key as A's: %v", err)
	}
	atB := changeOf(t, b, network.ID)
	if string(atB.Signed.Record) != string(atC.Signed.Record) || atB.Signed.Signature != atC.Signed.Signature {
		t.Fatal("the relay changed the signed record")
	}
	// B did not even offer the partners record to C.
	if p, err := c.Store.Peer(t.Context(), b.ID()); err != nil || p.Status.Refused != 0 || p.Status.LastError != "" {
		t.Fatalf("C's status of B: %+v, %v", p, err)
	}

	// Narrowing to partners: B keeps its copy, C loses its own and audits
	// why; its status stays clean.
	cAudit := auditHead(t, c)
	reshare(t, a, network.ID, crossguard.DistPartners, crossguard.TLPGreen)
	fedtest.Sync(t, 10, a, b, c)
	if h := b.Holds()[network.ID]; h.Version != 2 {
		t.Fatalf("B holds version %d of the narrowed record, want 2", h.Version)
	}
	want(c, doomed.ID)
	removed := auditSince(t, c, cAudit, crossguard.ActionFedWithdrawn)
	if len(removed) != 1 || removed[0].RecordID != network.ID || removed[0].Actor != b.ID() {
		t.Fatalf("C's federation.removed entries: %+v", removed)
	}
	if removed[0].Detail == "" {
		t.Fatal("C's federation.removed entry gives no reason")
	}
	if ch := changeOf(t, c, network.ID); ch.State != crossguard.StateWithdrawn {
		t.Fatalf("C's copy is %s after the withdrawal", ch.State)
	}

	// Widening again: the next version reaches C once more.
	reshare(t, a, network.ID, crossguard.DistNetwork, crossguard.TLPGreen)
	fedtest.Sync(t, 10, a, b, c)
	if h := c.Holds()[network.ID]; h.Version != 3 {
		t.Fatalf("C holds version %d of the widened record, want 3", h.Version)
	}

	// Deleting at A leaves the origin's tombstone on B and C.
	for _, id := range []string{doomed.ID, network.ID} {
		if err := a.Node.DeleteSeizure(t.Context(), "test", id, 0); err != nil {
			t.Fatal(err)
		}
	}
	fedtest.Sync(t, 10, a, b, c)
	for _, n := range []*fedtest.Node{b, c} {
		for _, id := range []string{doomed.ID, network.ID} {
			mustBeGone(t, n, id)
			tomb, err := n.Store.Tombstone(t.Context(), id)
			if err != nil {
				t.Fatalf("%s: tombstone of %s: %v", n.ID(), id, err)
			}
			if tomb.Origin != a.ID() {
				t.Fatalf("%s: tombstone of %s from %s", n.ID(), id, tomb.Origin)
			}
			ch := changeOf(t, n, id)
			in, err := federation.Open(ch.Signed, onlyKey(a.ID(), publicKey(a)))
			if err != nil || !in.Deleted {
				t.Fatalf("%s: the tombstone of %s is not A's: %+v, %v", n.ID(), id, in, err)
			}
		}
	}
	want(b, partners.ID)
	want(c)
}

// TestRelaySameAgency checks post → HQ → partner: a border post's
// partners record reaches the partner through its headquarters, verifiably
// the post's, while an agency record stays within the agency and the
// partner's partners record is not relayed on to the post.
func TestRelaySameAgency(t *testing.T) {
	post := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	hq := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/hq")
	partner := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/kashgar")
	fedtest.Link(post, hq, fedtest.All)
	fedtest.Link(hq, partner, fedtest.All)
	partner.AddPeer(post, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	post.AddPeer(partner, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})

	partners := createSeizure(t, post, crossguard.DistPartners, crossguard.TLPAmber)
	agency := createSeizure(t, post, crossguard.DistAgency, crossguard.TLPGreen)
	theirs := createSeizure(t, partner, crossguard.DistPartners, crossguard.TLPGreen)
	theirNetwork := createSeizure(t, partner, crossguard.DistNetwork, crossguard.TLPGreen)
	fedtest.Sync(t, 10, post, hq, partner)

	held := partner.Holds()
	if h, ok := held[partners.ID]; !ok || h.Origin != post.ID() || h.Version != 1 {
		t.Fatalf("the partner holds %+v of the post's partners record", h)
	}
	if _, ok := held[agency.ID]; ok {
		t.Fatal("the post's agency record reached the partner")
	}
	ch := changeOf(t, partner, partners.ID)
	if ch.Via != hq.ID() {
		t.Fatalf("the partner got the post's record via %q, want HQ", ch.Via)
	}
	if _, err := federation.Open(ch.Signed, onlyKey(post.ID(), publicKey(post))); err != nil {
		t.Fatalf("the partner's copy is not signed by the post: %v", err)
	}
	held = hq.Holds()
	for _, id := range []string{partners.ID, agency.ID, theirs.ID, theirNetwork.ID} {
		if _, ok := held[id]; !ok {
			t.Fatalf("HQ does not hold %s", id)
		}
	}
	held = post.Holds()
	if _, ok := held[theirs.ID]; ok {
		t.Fatal("HQ relayed the partner's partners record to the post")
	}
	if h, ok := held[theirNetwork.ID]; !ok || h.Origin != partner.ID() {
		t.Fatal("the partner's network record did not reach the post through HQ")
	}
	for _, n := range []*fedtest.Node{post, hq, partner} {
		peers, err := n.Node.Peers(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range peers {
			if p.Status.Refused != 0 || p.Status.LastError != "" {
				t.Fatalf("%s's status of %s: %+v", n.ID(), p.Card.ID, p.Status)
			}
		}
	}
}
