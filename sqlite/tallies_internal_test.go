package sqlite

import (
	"path/filepath"
	"slices"
	"testing"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/storekit"
	"crossguard/storetest"
)

// TestTalliesBackfill checks the backfill of migration 0005 (see
// storetest.TalliesBackfill) on a file migrated up to the version before.
func TestTalliesBackfill(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "crossguard.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, createMigrationsTable); err != nil {
		t.Fatal(err)
	}
	for {
		done, err := s.migrateOne(ctx, ms[:storetest.TalliesBefore])
		if err != nil {
			t.Fatalf("migrate to version %d: %v", storetest.TalliesBefore, err)
		}
		if done {
			break
		}
	}
	storetest.TalliesBackfill(t, s)
}

// TestTallyPlaceKeys checks the place keys of the triggers against
// storekit.TallyPlaceKey over the halves of tenths, where rounding is
// most fragile, and coordinates near zero.
func TestTallyPlaceKeys(t *testing.T) {
	s := openInternal(t)
	var lats, lons []float64
	for i := -900; i <= 900; i++ {
		x := float64(i) / 10
		lats = append(lats, x+0.05, x-0.05, x+0.04999999, float64(i)/100)
		lons = append(lons, 2*x+0.05, -2*x-0.05, 2*x-0.05000001, -float64(i)/100)
	}
	var items []*crossguard.Seizure
	err := benchdata.Seizures("pk-customs/sost", len(lats), 5, len(lats), func(b []*crossguard.Seizure) error {
		items = b
		return nil
	})
	if err != nil {
		t.Fatalf("benchdata.Seizures: %v", err)
	}
	for i, it := range items {
		it.Place.Lat, it.Place.Lon = &lats[i], &lons[i]
	}
	for chunk := range slices.Chunk(items, 1000) {
		if err := s.CreateSeizures(t.Context(), "officer.khan", chunk, nil); err != nil {
			t.Fatalf("CreateSeizures: %v", err)
		}
	}
	storetest.WantTallies(t, s, storekit.CountTallies(items))
}
