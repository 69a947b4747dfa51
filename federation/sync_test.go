package federation_test

import (
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/sample"
)

// newSeizures records n sample seizures at node n with the given sharing,
// returning them.
func newSeizures(t *testing.T, n *fedtest.Node, count int, seed int64, dist, tlp string, recipients ...string) []*crossguard.Seizure {
	t.Helper()
	items := sample.Seizures(count, seed, time.Now())
	for _, s := range items {
		s.Distribution, s.Recipients = dist, recipients
		s.Marking.TLP = tlp
		if err := n.Node.PrepareSeizure(s); err != nil {
			t.Fatalf("prepare: %v", err)
		}
	}
	if err := n.Store.CreateSeizures(t.Context(), "test", items, nil); err != nil {
		t.Fatalf("create: %v", err)
	}
	return items
}

// TestSyncBasic checks the simplest exchange: two partners, records of
// several markings, one pull each way.
func TestSyncBasic(t *testing.T) {
	a := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	b := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/tashkurgan")
	fedtest.Link(a, b, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPAmber})
	shared := newSeizures(t, a, 20, 1, crossguard.DistPartners, crossguard.TLPGreen)
	newSeizures(t, a, 5, 2, crossguard.DistAgency, crossguard.TLPGreen)
	newSeizures(t, a, 5, 3, crossguard.DistPartners, crossguard.TLPAmberStrict)
	fedtest.Sync(t, 5, a, b)
	held := b.Holds()
	if len(held) != len(shared) {
		t.Fatalf("b holds %d records, want %d", len(held), len(shared))
	}
	for _, s := range shared {
		if h, ok := held[s.ID]; !ok || h.Version != 1 || h.Origin != a.ID() {
			t.Fatalf("b holds %v for %s", h, s.ID)
		}
	}
}

// TestSyncMixedBackends runs headquarters and a partner on PostgreSQL and
// the border post on SQLite, through creates, an update that narrows, a
// delete and an annotation, and checks what each ends up holding.
func TestSyncMixedBackends(t *testing.T) {
	hq := fedtest.NewNode(t, fedtest.Postgres, "pk-customs/hq")
	post := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	cn := fedtest.NewNode(t, fedtest.Postgres, "cn-customs/tashkurgan")
	fedtest.Link(hq, post, fedtest.All)
	fedtest.Link(hq, cn, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPAmber})
	cn.AddPeer(post, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})
	post.AddPeer(cn, fedtest.Policy{Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed, OriginOnly: true})

	partners := newSeizures(t, post, 10, 11, crossguard.DistPartners, crossguard.TLPGreen)
	agency := newSeizures(t, post, 5, 12, crossguard.DistAgency, crossguard.TLPGreen)
	network := newSeizures(t, cn, 5, 13, crossguard.DistNetwork, crossguard.TLPGreen)
	fedtest.Sync(t, 10, hq, post, cn)

	want := func(n *fedtest.Node, groups ...[]*crossguard.Seizure) {
		t.Helper()
		held := n.Holds()
		count := 0
		for _, g := range groups {
			for _, s := range g {
				count++
				if _, ok := held[s.ID]; !ok {
					t.Errorf("%s lacks %s (%s, %s)", n.ID(), s.ID, s.Origin, s.Distribution)
				}
			}
		}
		if len(held) != count {
			t.Errorf("%s holds %d records, want %d", n.ID(), len(held), count)
		}
	}
	want(hq, partners, agency, network)
	want(post, partners, agency, network)
	want(cn, partners, network)

	// Narrow one partners record to the agency and delete another: the
	// partner loses both, headquarters keeps the narrowed one.
	ctx := t.Context()
	narrowed := *partners[0]
	narrowed.Distribution = crossguard.DistAgency
	if _, err := post.Node.UpdateSeizure(ctx, "test", narrowed.ID, 1, &narrowed); err != nil {
		t.Fatal(err)
	}
	if err := post.Node.DeleteSeizure(ctx, "test", partners[1].ID, 0); err != nil {
		t.Fatal(err)
	}
	// The partner annotates a record it got from the post through HQ. With
	// network distribution the annotation flows back to the post through
	// HQ; with partners distribution it stops at HQ, the partner's direct
	// peer.
	note, err := cn.Node.Annotate(ctx, "test", partners[2].ID, &crossguard.Annotation{Text: "Same consignor seen at Kashgar.",
		Header: crossguard.Header{Distribution: crossguard.DistNetwork, Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H1"}}})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := cn.Node.Annotate(ctx, "test", partners[2].ID, &crossguard.Annotation{Text: "For headquarters only.",
		Header: crossguard.Header{Distribution: crossguard.DistPartners, Marking: crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H1"}}})
	if err != nil {
		t.Fatal(err)
	}
	fedtest.Sync(t, 10, hq, post, cn)
	if h := hq.Holds()[narrowed.ID]; h.Version != 2 {
		t.Errorf("headquarters holds the narrowed record at %+v, want version 2", h)
	}
	for _, n := range []*fedtest.Node{hq, cn} {
		if _, ok := n.Holds()[partners[1].ID]; ok {
			t.Errorf("%s still holds the deleted record", n.ID())
		}
	}
	if _, ok := cn.Holds()[narrowed.ID]; ok {
		t.Error("the partner still holds the record narrowed to the agency")
	}
	notes, err := post.Node.Annotations(ctx, "test", partners[2].ID)
	if err != nil || len(notes) != 1 || notes[0].ID != note.ID || notes[0].Origin != cn.ID() {
		t.Fatalf("the post sees annotations %+v (%v), want the partner's network one", notes, err)
	}
	if notes, err := hq.Node.Annotations(ctx, "test", partners[2].ID); err != nil || len(notes) != 2 || notes[1].ID != direct.ID && notes[0].ID != direct.ID {
		t.Fatalf("headquarters sees annotations %+v (%v), want both of the partner's", notes, err)
	}
	for _, n := range []*fedtest.Node{hq, post, cn} {
		if _, err := crossguard.VerifyAudit(ctx, n.Store); err != nil {
			t.Errorf("%s: audit chain: %v", n.ID(), err)
		}
	}
}
