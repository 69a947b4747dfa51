package sqlite

import (
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

func TestKeyBucket(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		want int64
	}{
		{"epoch", time.Unix(0, 0), 0},
		{"before 1970", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"a second", time.Unix(1700000000, 999999999), 1700000000},
		{"far future", time.Date(99999, 1, 1, 0, 0, 0, 0, time.UTC), keyMaxBucket},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := keyBucket(c.at); got != c.want {
				t.Fatalf("keyBucket(%v) = %d, want %d", c.at, got, c.want)
			}
			if k := seqKey(c.at, 1<<40+5); bucketOf(k) != c.want || k < 0 {
				t.Fatalf("seqKey in bucket %d, want %d", bucketOf(k), c.want)
			}
		})
	}
}

func TestFTSKeyCollision(t *testing.T) {
	// Two seizures of the same second whose change numbers are equal
	// modulo 2^keyLowBits would get the same FTS key; the second must get
	// another one and both must stay searchable.
	s := openInternal(t)
	at := storetest.T0
	a, b, c := storetest.NewSeizure(1, at), storetest.NewSeizure(2, at.Add(time.Millisecond)), storetest.NewSeizure(3, at.Add(time.Hour))
	for _, it := range []*crossguard.Seizure{a, b, c} {
		it.Narrative = "collision"
	}
	if err := s.CreateSeizures(t.Context(), "test", []*crossguard.Seizure{a}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(t.Context(), `UPDATE heads SET change_seq = ?`, 1<<keyLowBits); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSeizures(t.Context(), "test", []*crossguard.Seizure{b}, nil); err != nil {
		t.Fatalf("create with a colliding FTS key: %v", err)
	}
	// An update that moves c into the same second with a colliding number.
	if err := s.CreateSeizures(t.Context(), "test", []*crossguard.Seizure{c}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(t.Context(), `UPDATE heads SET change_seq = ?`, 2<<keyLowBits); err != nil {
		t.Fatal(err)
	}
	upd := *c
	upd.Version, upd.OccurredAt = 2, at.Add(2*time.Millisecond)
	if err := s.UpdateSeizure(t.Context(), "test", &upd); err != nil {
		t.Fatalf("update with a colliding FTS key: %v", err)
	}
	page, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Query: "collision"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.Items[0].ID != upd.ID || page.Items[1].ID != b.ID || page.Items[2].ID != a.ID {
		t.Fatalf("search found %d seizures, want the 3 in order", len(page.Items))
	}
	keys := map[int64]bool{}
	for _, it := range page.Items {
		var k int64
		if err := s.r.QueryRowContext(t.Context(), `SELECT fts_key FROM seizures WHERE id = ?`, it.ID).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if keys[k] || bucketOf(k) != keyBucket(at) {
			t.Fatalf("FTS key %d repeated or outside the bucket of %v", k, at)
		}
		keys[k] = true
	}
}
