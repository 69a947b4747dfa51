package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// NewAuditHead returns head number i of origin, covering entries first to
// last with made-up hashes (variant v of them), signed (by a fake
// signature) at T0 plus i minutes, as a node holds it.
func NewAuditHead(i int, origin string, first, last int64, v int) *crossguard.HeldAuditHead {
	var entries []*crossguard.AuditEntry
	for seq := first; seq <= last; seq++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s %d %d", origin, seq, v))
		entries = append(entries, &crossguard.AuditEntry{Seq: seq, Hash: hex.EncodeToString(sum[:])})
	}
	h := crossguard.HeadsOf(entries)[0]
	at := T0.Add(time.Duration(i) * time.Minute)
	crossguard.StampHead(h, SeizureID(9000+i, T0), origin, at)
	return &crossguard.HeldAuditHead{Head: h, Signed: signedOf(h), ReceivedAt: at.Truncate(time.Microsecond)}
}

// headIDs returns the ids of heads.
func headIDs(heads []*crossguard.HeldAuditHead) []string {
	out := make([]string, len(heads))
	for i, h := range heads {
		out[i] = h.Head.ID
	}
	return out
}

// mustHeadsOf lists the heads of origin held by s.
func mustHeadsOf(t *testing.T, s crossguard.AuditHeadStore, origin string, after int64, limit int) []*crossguard.HeldAuditHead {
	t.Helper()
	heads, err := s.AuditHeadsOf(t.Context(), origin, after, limit)
	if err != nil {
		t.Fatalf("AuditHeadsOf(%s, %d, %d): %v", origin, after, limit, err)
	}
	return heads
}

// wantAuditAt fails t unless the audit log ends at entry seq.
func wantAuditAt(t *testing.T, s crossguard.AuditStore, seq int64, what string) {
	t.Helper()
	got, _, err := s.AuditHead(t.Context())
	if err != nil || got != seq {
		t.Fatalf("%s: the audit log ends at %d (%v); want %d, no entry written", what, got, err, seq)
	}
}

// testAuditHeads checks the storage of signed audit heads: own heads,
// which the feed serves, and received ones, every one kept.
func testAuditHeads(t *testing.T, open Opener) {
	t.Run("own heads are served by the feed, not audited", func(t *testing.T) {
		s := fedFresh(t, open)
		appendN(t, s, 3, T0)
		n, _, err := s.AuditHead(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if last, err := s.LastOwnAuditHead(t.Context()); err != nil || last != nil {
			t.Fatalf("LastOwnAuditHead of a node that signed none = %v, %v", last, err)
		}
		h := NewAuditHead(1, Origin, 1, n, 0)
		if err := s.AddOwnAuditHead(t.Context(), h); err != nil {
			t.Fatalf("AddOwnAuditHead: %v", err)
		}
		wantAuditAt(t, s, n, "after storing an own head")
		last, err := s.LastOwnAuditHead(t.Context())
		if err != nil || last == nil {
			t.Fatalf("LastOwnAuditHead = %v, %v", last, err)
		}
		wantEqual(t, "last own head", last, h)
		wantEqual(t, "own heads", mustHeadsOf(t, s, Origin, 0, 0), []*crossguard.HeldAuditHead{h})
		changes, _, err := s.Changes(t.Context(), 0, 100)
		if err != nil || len(changes) != 1 {
			t.Fatalf("Changes = %d changes, %v; want the head", len(changes), err)
		}
		c := changes[0]
		if c.Header.ID != h.Head.ID || c.Header.Kind != crossguard.KindAuditHead || c.State != crossguard.StateLive || c.Signed != nil || string(c.Body) != string(h.Signed.Record) {
			t.Fatalf("the head's change = %+v; want an own live record with the head as its body", c)
		}
	})
	t.Run("own heads follow one another", func(t *testing.T) {
		s := fedFresh(t, open)
		if err := s.AddOwnAuditHead(t.Context(), NewAuditHead(1, Origin, 2, 3, 0)); crossguard.ErrorCode(err) != crossguard.ECONFLICT {
			t.Fatalf("a first head from entry 2: %v; want ECONFLICT", err)
		}
		if err := s.AddOwnAuditHead(t.Context(), NewAuditHead(1, Origin, 1, 3, 0)); err != nil {
			t.Fatal(err)
		}
		// Another process signed the same entries meanwhile.
		if err := s.AddOwnAuditHead(t.Context(), NewAuditHead(2, Origin, 1, 3, 1)); crossguard.ErrorCode(err) != crossguard.ECONFLICT {
			t.Fatalf("a second head of entries 1 to 3: %v; want ECONFLICT", err)
		}
		if err := s.AddOwnAuditHead(t.Context(), NewAuditHead(3, Origin, 4, 4, 0)); err != nil {
			t.Fatal(err)
		}
		wantIDs(t, "own heads", headIDs(mustHeadsOf(t, s, Origin, 0, 0)), headIDs([]*crossguard.HeldAuditHead{NewAuditHead(1, Origin, 1, 3, 0), NewAuditHead(3, Origin, 4, 4, 0)}))
	})
	t.Run("received heads are kept, every one, once", func(t *testing.T) {
		s := fedFresh(t, open)
		if err := s.NotePeerError(t.Context(), PeerA, "refused 1 envelope from "+PeerA, T0); err != nil {
			t.Fatal(err)
		}
		before := mustPeer(t, s, PeerA).Status
		n, _, err := s.AuditHead(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		h1, h2 := NewAuditHead(1, PeerA, 1, 5, 0), NewAuditHead(2, PeerA, 6, 9, 0)
		// Two heads of one range that disagree are both kept: together
		// they are the evidence of a rewrite.
		h2b := NewAuditHead(3, PeerA, 6, 9, 1)
		p := newPage(PeerA, 7)
		p.AuditHeads = []*crossguard.HeldAuditHead{h1, h2}
		for _, h := range p.AuditHeads {
			h.Via, h.ReceivedAt = PeerA, p.At
		}
		if err := s.KeepAuditHeads(t.Context(), p, false); err != nil {
			t.Fatalf("KeepAuditHeads: %v", err)
		}
		wantEqual(t, "status after heads kept without advancing", mustPeer(t, s, PeerA).Status, before)
		// The same page again, with one more head, advancing the cursor.
		p2 := newPage(PeerA, 9)
		h2b.Via, h2b.ReceivedAt = PeerA, p2.At
		p2.AuditHeads = []*crossguard.HeldAuditHead{h1, h2, h2b}
		if err := s.KeepAuditHeads(t.Context(), p2, true); err != nil {
			t.Fatalf("KeepAuditHeads: %v", err)
		}
		wantEqual(t, "heads of "+PeerA, mustHeadsOf(t, s, PeerA, 0, 0), []*crossguard.HeldAuditHead{h1, h2, h2b})
		want := before
		at := p2.At
		want.Cursor, want.RemoteHead, want.LastExchange = p2.Cursor, p2.RemoteHead, &at
		wantEqual(t, "status after heads kept advancing", mustPeer(t, s, PeerA).Status, want)
		wantAuditAt(t, s, n, "after keeping heads")
		if changes, _, err := s.Changes(t.Context(), 0, 100); err != nil || len(changes) != 0 {
			t.Fatalf("received heads in the change feed: %d changes, %v", len(changes), err)
		}
		if got := mustHeadsOf(t, s, PeerB, 0, 0); len(got) != 0 {
			t.Fatalf("heads of %s: %v", PeerB, headIDs(got))
		}
		q := newPage("xx-customs/unknown", 1)
		q.AuditHeads = []*crossguard.HeldAuditHead{NewAuditHead(4, "xx-customs/unknown", 1, 1, 0)}
		if err := s.KeepAuditHeads(t.Context(), q, true); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
			t.Fatalf("heads from an unknown peer, advancing: %v; want ENOTFOUND", err)
		}
	})
	t.Run("lists by origin in pages that keep one first entry together", func(t *testing.T) {
		s := fedFresh(t, open)
		var all []*crossguard.HeldAuditHead
		for i, r := range [][2]int64{{1, 2}, {3, 3}, {3, 4}, {5, 8}} {
			h := NewAuditHead(10+i, PeerA, r[0], r[1], i)
			h.Via = PeerA
			all = append(all, h)
		}
		other := NewAuditHead(20, PeerB, 1, 2, 0)
		other.Via = PeerB
		for _, p := range []*crossguard.InboundPage{{Peer: PeerA, AuditHeads: all[2:]}, {Peer: PeerA, AuditHeads: all[:2]}, {Peer: PeerB, AuditHeads: []*crossguard.HeldAuditHead{other}}} {
			if err := s.KeepAuditHeads(t.Context(), p, false); err != nil {
				t.Fatal(err)
			}
		}
		wantEqual(t, "every head of "+PeerA, mustHeadsOf(t, s, PeerA, 0, 0), all)
		var pages []string
		for after := int64(0); ; {
			page := mustHeadsOf(t, s, PeerA, after, 2)
			if len(page) == 0 {
				break
			}
			pages = append(pages, strings.Join(headIDs(page), ","))
			after = page[len(page)-1].Head.FirstSeq
		}
		want := []string{all[0].Head.ID + "," + all[1].Head.ID + "," + all[2].Head.ID, all[3].Head.ID}
		wantIDs(t, "pages of two first entries", pages, want)
	})
}
