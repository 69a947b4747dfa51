package benchdata

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// fixedNow pins the clock of Seizures for the test.
func fixedNow(t *testing.T) time.Time {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	old := Now
	Now = func() time.Time { return now }
	t.Cleanup(func() { Now = old })
	return now
}

// collect returns the n seizures of seed in batches of batch.
func collect(t *testing.T, n int, seed int64, batch int) [][]*crossguard.Seizure {
	t.Helper()
	var out [][]*crossguard.Seizure
	err := Seizures("pk-customs/sost", n, seed, batch, func(b []*crossguard.Seizure) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatalf("Seizures: %v", err)
	}
	return out
}

func TestSeizures(t *testing.T) {
	now := fixedNow(t)
	batches := collect(t, 5000, 1, 1000)
	if len(batches) != 5 {
		t.Fatalf("%d batches, want 5", len(batches))
	}
	ids := map[string]bool{}
	months := map[string]bool{}
	cats := map[string]bool{}
	for _, b := range batches {
		for _, s := range b {
			if err := s.Validate(now); err != nil {
				t.Fatalf("seizure %s: %v", s.ID, err)
			}
			if ids[s.ID] {
				t.Fatalf("id %s twice", s.ID)
			}
			ids[s.ID] = true
			if s.Origin != "pk-customs/sost" || s.Version != 1 || s.Kind != crossguard.KindSeizure || s.CreatedAt.Before(s.OccurredAt) || s.CreatedAt.After(now) || !s.UpdatedAt.Equal(s.CreatedAt) {
				t.Fatalf("seizure %s is not stamped as created by pk-customs/sost: %+v", s.ID, s.Header)
			}
			if s.OccurredAt.Before(now.Add(-Span)) || s.OccurredAt.After(now) {
				t.Fatalf("seizure %s occurred at %v, outside the span", s.ID, s.OccurredAt)
			}
			if s.Place.Lat != nil && (*s.Place.Lat < 23 || *s.Place.Lat > 45 || *s.Place.Lon < 60 || *s.Place.Lon > 90) {
				t.Fatalf("seizure %s at %v,%v, outside the region", s.ID, *s.Place.Lat, *s.Place.Lon)
			}
			months[storekit.TallyMonth(s.OccurredAt)] = true
			for _, g := range s.Goods {
				cats[g.Category] = true
			}
		}
	}
	if len(months) < 36 {
		t.Fatalf("seizures in %d months, want at least 36", len(months))
	}
	if len(cats) != len(crossguard.Categories) {
		t.Fatalf("goods of %d categories, want all %d", len(cats), len(crossguard.Categories))
	}

	t.Run("the same seed gives the same seizures", func(t *testing.T) {
		again := collect(t, 5000, 1, 700)
		var a, b []*crossguard.Seizure
		for _, x := range batches {
			a = append(a, x...)
		}
		for _, x := range again {
			b = append(b, x...)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two runs of seed 1 differ")
		}
	})
	t.Run("another seed gives other ids", func(t *testing.T) {
		for _, b := range collect(t, 5000, 2, 1000) {
			for _, s := range b {
				if ids[s.ID] {
					t.Fatalf("id %s of seed 2 is also one of seed 1", s.ID)
				}
			}
		}
	})
	t.Run("an error of fn stops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := Seizures("pk-customs/sost", 100, 1, 10, func([]*crossguard.Seizure) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("Seizures returned %v after %d calls, want stop after 1", err, calls)
		}
	})
}

func TestPlaces(t *testing.T) {
	if len(places) != 150 {
		t.Fatalf("%d places, want 150", len(places))
	}
	names := map[string]bool{}
	for _, p := range places {
		if names[p.name] {
			t.Fatalf("place %q twice", p.name)
		}
		names[p.name] = true
		if p.lat < 23.1 || p.lat > 44.9 || p.lon < 60.1 || p.lon > 89.9 {
			t.Fatalf("place %q at %v,%v, outside the region", p.name, p.lat, p.lon)
		}
	}
}
