package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/internal/testenv"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// talliesBefore is the last schema version without seizure tallies.
const talliesBefore = 4

// openSchema opens an unmigrated store on a new schema, dropped when the
// test ends.
func openSchema(t testing.TB) *Store {
	t.Helper()
	url := testenv.PostgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cg_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	s, err := Open(t.Context(), url, Options{Schema: schema, MaxConns: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestTalliesBackfill checks that migration 0005 counts the seizures
// stored before it, leaving out deleted ones, with the place keys that
// storekit.TallyPlaceKey defines.
func TestTalliesBackfill(t *testing.T) {
	ctx := t.Context()
	s := openSchema(t)
	ms := migrations()
	for _, m := range ms[:talliesBefore] {
		if _, err := s.applyMigration(ctx, m, len(ms)); err != nil {
			t.Fatalf("migrate to version %d: %v", talliesBefore, err)
		}
	}
	var items []*crossguard.Seizure
	err := benchdata.Seizures("pk-customs/sost", 3000, 11, 500, func(b []*crossguard.Seizure) error {
		items = append(items, b...)
		return s.CreateSeizures(ctx, "officer.khan", b, nil)
	})
	if err != nil {
		t.Fatalf("create seizures: %v", err)
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

// TestTallyPlaceKeys checks the place keys of the SQL function against
// storekit.TallyPlaceKey over random coordinates and the halves of
// tenths, where rounding is most fragile.
func TestTallyPlaceKeys(t *testing.T) {
	s := openSchema(t)
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	var lats, lons []float64
	for i := -900; i <= 900; i++ {
		x := float64(i) / 10
		lats = append(lats, x+0.05, x-0.05, x+0.04999999, float64(i)/100)
		lons = append(lons, 2*x+0.05, -2*x-0.05, 2*x-0.05000001, -float64(i)/100)
	}
	rows, err := s.pool.Query(t.Context(), `SELECT tally_tenths(x) || ',' || tally_tenths(y) FROM unnest($1::float8[], $2::float8[]) AS u(x, y)`, lats, lons)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for i, got := range keys {
		if want := storekit.TallyPlaceKey(lats[i], lons[i]); got != want {
			t.Errorf("place key of %v,%v = %q, want %q", lats[i], lons[i], got, want)
		}
	}
}

// firstDiff describes the first tally that differs between got and want.
func firstDiff(got, want []*crossguard.Tally) string {
	for i := range min(len(got), len(want)) {
		if *got[i] != *want[i] {
			return fmt.Sprintf("got %+v, want %+v", *got[i], *want[i])
		}
	}
	return "in the length"
}
