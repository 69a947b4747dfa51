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
