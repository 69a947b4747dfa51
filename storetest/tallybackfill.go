package storetest

import (
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/storekit"
)

// TalliesBefore is the last schema version without seizure tallies:
// migration 0005 adds them and counts what is stored.
const TalliesBefore = 4

// TalliesBackfill checks that migration 0005 counts the seizures stored
// before it, leaving out deleted ones, with the place keys that
// storekit.TallyPlaceKey defines: some of the seizures lie on the halves
// of a tenth, near zero or on whole degrees. s is a store whose schema is
// at version TalliesBefore; the check migrates it.
func TalliesBackfill(t *testing.T, s crossguard.Store) {
	ctx := t.Context()
	items := backfillSeizures(t, 3000)
	for chunk := range slices.Chunk(items, 500) {
		if err := s.CreateSeizures(ctx, "officer.khan", chunk, nil); err != nil {
			t.Fatalf("CreateSeizures: %v", err)
		}
	}
	live := items[:0:0]
	for i, it := range items {
		if i%10 == 3 {
			if err := s.DeleteSeizure(ctx, "officer.khan", it.ID, 1, time.Now()); err != nil {
				t.Fatalf("DeleteSeizure: %v", err)
			}
			continue
		}
		live = append(live, it)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	wantTallies(t, s, "", "", storekit.CountTallies(live))
}

// WantTallies fails t unless the tallies of every month in s are want,
// listing the differences: for a backend's own checks of its tallies.
func WantTallies(t *testing.T, s crossguard.Store, want []*crossguard.Tally) {
	t.Helper()
	wantTallies(t, s, "", "", want)
}

// backfillSeizures returns n seizures of benchdata, of which some have
// coordinates on the halves of a tenth, near zero or whole.
func backfillSeizures(t *testing.T, n int) []*crossguard.Seizure {
	t.Helper()
	var items []*crossguard.Seizure
	err := benchdata.Seizures("pk-customs/sost", n, 11, n, func(b []*crossguard.Seizure) error {
		items = b
		return nil
	})
	if err != nil {
		t.Fatalf("benchdata.Seizures: %v", err)
	}
	tricky := [][2]float64{{35.05, 71.45}, {-0.05, -0.04}, {0.25, 33.75}, {36, 75}, {24.96, 69.99}, {-12.35, 60.15}}
	for i, c := range tricky {
		lat, lon := c[0], c[1]
		items[i*7].Place.Lat, items[i*7].Place.Lon = &lat, &lon
	}
	return items
}
