package postgres

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// The schema of the tally benchmarks: tallyBenchSeizures seizures of
// benchdata, built once per run in a new schema that is dropped at the
// end, or kept in the schema that CROSSGUARD_BENCH_SCHEMA names (built
// there if empty, reused otherwise). CROSSGUARD_BENCH_SEIZURES changes the
// number.
const tallyBenchSeizures = 100_000

var (
	tallyBench     storetest.TallyBench[*Store]
	tallyBenchDrop string // the schema to drop at the end, if any
)

// TestMain runs the package's tests and benchmarks, then closes the store
// of the tally benchmarks and drops its schema unless
// CROSSGUARD_BENCH_SCHEMA keeps it.
func TestMain(m *testing.M) {
	code := m.Run()
	if s, ok := tallyBench.Opened(); ok {
		s.Close()
	}
	if tallyBenchDrop != "" {
		ctx := context.Background()
		if conn, err := pgx.Connect(ctx, os.Getenv(testenv.PostgresEnv)); err == nil {
			conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{tallyBenchDrop}.Sanitize()+" CASCADE")
			conn.Close(ctx)
		}
	}
	os.Exit(code)
}

// tallyBenchDB returns the store of the tally benchmarks, building it
// first if needed.
func tallyBenchDB(b *testing.B) *Store {
	b.Helper()
	url := testenv.PostgresURL(b)
	return tallyBench.Store(b, tallyBenchSeizures, func(n int) (*Store, error) {
		schema := os.Getenv("CROSSGUARD_BENCH_SCHEMA")
		if schema == "" {
			schema = fmt.Sprintf("cg_bench_%d", time.Now().UnixNano())
			tallyBenchDrop = schema
		}
		return openTallyBenchDB(context.Background(), url, schema, n)
	})
}

// openTallyBenchDB opens the store on schema, filling it with n seizures
// of benchdata unless it holds them already.
func openTallyBenchDB(ctx context.Context, url, schema string, n int) (*Store, error) {
	s, err := Open(ctx, url, Options{Schema: schema})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	var stored int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM seizures`).Scan(&stored); err != nil {
		s.Close()
		return nil, err
	}
	err = storetest.FillTallyBench(ctx, s, stored, n, "schema "+schema)
	if err == nil && stored != n {
		_, err = s.pool.Exec(ctx, `ANALYZE`)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// BenchmarkSeizureTallies reads the tallies of the last 12 months and of
// all months from the table the triggers keep.
func BenchmarkSeizureTallies(b *testing.B) {
	storetest.BenchTallies(b, storetest.CountTallies(tallyBenchDB(b).SeizureTallies))
}

// BenchmarkSeizureTalliesRecount is the baseline of
// BenchmarkSeizureTallies: the same tallies counted with GROUP BY over the
// live seizures of the months, reading each one's JSON.
func BenchmarkSeizureTalliesRecount(b *testing.B) {
	s := tallyBenchDB(b)
	// The query that migration 0005 builds for the triggers and the
	// backfill, over the live seizures of the months.
	var recount string
	err := s.pool.QueryRow(b.Context(), `SELECT seizure_tally_counts('SELECT occurred_at, origin, body, 1 AS d FROM seizures
		WHERE NOT deleted AND occurred_at >= $1 AND occurred_at < $2') || ' ORDER BY month, dim, key'`).Scan(&recount)
	if err != nil {
		b.Fatal(err)
	}
	storetest.BenchTallies(b, func(ctx context.Context, from, to string) (int, error) {
		lo, hi := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		if from != "" {
			lo, _ = time.Parse("2006-01", from)
			hi, _ = time.Parse("2006-01", to)
			hi = hi.AddDate(0, 1, 0)
		}
		r, err := s.pool.Query(ctx, recount, lo, hi)
		if err != nil {
			return 0, err
		}
		var t crossguard.Tally
		tag, err := pgx.ForEachRow(r, []any{&t.Month, &t.Dim, &t.Key, &t.Count}, func() error { return nil })
		return int(tag.RowsAffected()), err
	})
}

// dropTallyTriggers removes the triggers that keep the tallies.
func dropTallyTriggers(ctx context.Context, s *Store) error {
	_, err := s.pool.Exec(ctx, `DROP TRIGGER seizure_tallies_insert ON seizures;
		DROP TRIGGER seizure_tallies_update ON seizures; DROP TRIGGER seizure_tallies_delete ON seizures`)
	return err
}

// BenchmarkCreateSeizuresTallies is storetest.BenchCreateSeizuresTallies
// on PostgreSQL.
func BenchmarkCreateSeizuresTallies(b *testing.B) {
	storetest.BenchCreateSeizuresTallies(b, writeBench, dropTallyTriggers)
}
