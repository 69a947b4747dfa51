package sqlite

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/storekit"
)

// talliesBefore is the last schema version without seizure tallies.
const talliesBefore = 4

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

// TestTalliesBackfill checks that migration 0005 counts the seizures
// stored before it, leaving out deleted ones.
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
		done, err := s.migrateOne(ctx, ms[:talliesBefore])
		if err != nil {
			t.Fatalf("migrate to version %d: %v", talliesBefore, err)
		}
		if done {
			break
		}
	}
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
	got, err := s.SeizureTallies(ctx, "", "")
	if err != nil {
		t.Fatalf("SeizureTallies: %v", err)
	}
	want := storekit.CountTallies(live)
	if !slices.EqualFunc(got, want, func(a, b *crossguard.Tally) bool { return *a == *b }) {
		t.Fatalf("after the backfill: %d tallies, want %d; first difference %s", len(got), len(want), firstDiff(got, want))
	}
}

// firstDiff describes the first tally that differs between got and want.
func firstDiff(got, want []*crossguard.Tally) string {
	for i := range min(len(got), len(want)) {
		if *got[i] != *want[i] {
			return "got " + tallyString(got[i]) + ", want " + tallyString(want[i])
		}
	}
	return "in the length"
}

// tallyString writes a tally for a failure message.
func tallyString(t *crossguard.Tally) string {
	return fmt.Sprintf("%s %s %q: %d", t.Month, t.Dim, t.Key, t.Count)
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
	got, err := s.SeizureTallies(t.Context(), "", "")
	if err != nil {
		t.Fatalf("SeizureTallies: %v", err)
	}
	want := storekit.CountTallies(items)
	if !slices.EqualFunc(got, want, func(a, b *crossguard.Tally) bool { return *a == *b }) {
		t.Fatalf("%d tallies, want %d; first difference %s", len(got), len(want), firstDiff(got, want))
	}
}
