package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"crossguard/internal/testenv"
	"crossguard/storekit"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

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

// TestTalliesBackfill checks the backfill of migration 0005 (see
// storetest.TalliesBackfill) on a schema migrated up to the version
// before.
func TestTalliesBackfill(t *testing.T) {
	ctx := t.Context()
	s := openSchema(t)
	ms := migrations()
	for _, m := range ms[:storetest.TalliesBefore] {
		if _, err := s.applyMigration(ctx, m, len(ms)); err != nil {
			t.Fatalf("migrate to version %d: %v", storetest.TalliesBefore, err)
		}
	}
	storetest.TalliesBackfill(t, s)
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
