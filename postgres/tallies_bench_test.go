package postgres

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/internal/testenv"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// The schema of the tally benchmarks: tallyBenchSeizures seizures of
// benchdata, built once per run in a new schema that is dropped at the
// end, or kept in the schema that CROSSGUARD_BENCH_SCHEMA names (built
// there if empty, reused otherwise). CROSSGUARD_BENCH_SEIZURES changes the
// number.
const tallyBenchSeizures = 100_000

var (
	tallyBenchDrop  string // the schema to drop at the end, if any
	tallyBenchOnce  sync.Once
	tallyBenchStore *Store
	tallyBenchErr   error
)

// TestMain runs the package's tests and benchmarks, then closes the store
// of the tally benchmarks and drops its schema unless
// CROSSGUARD_BENCH_SCHEMA keeps it.
func TestMain(m *testing.M) {
	code := m.Run()
	if tallyBenchStore != nil {
		tallyBenchStore.Close()
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
	tallyBenchOnce.Do(func() {
		n := tallyBenchSeizures
		if v := os.Getenv("CROSSGUARD_BENCH_SEIZURES"); v != "" {
			if n, tallyBenchErr = strconv.Atoi(v); tallyBenchErr != nil {
				return
			}
		}
		schema := os.Getenv("CROSSGUARD_BENCH_SCHEMA")
		if schema == "" {
			schema = fmt.Sprintf("cg_bench_%d", time.Now().UnixNano())
			tallyBenchDrop = schema
		}
		tallyBenchStore, tallyBenchErr = openTallyBenchDB(context.Background(), url, schema, n)
	})
	if tallyBenchErr != nil {
		b.Fatalf("benchmark schema: %v", tallyBenchErr)
	}
	return tallyBenchStore
}

// openTallyBenchDB opens the store on schema, filling it with n seizures
// of benchdata in batches of 1000 unless it holds them already.
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
	if stored == n {
		return s, nil
	}
	if stored > 0 {
		s.Close()
		return nil, fmt.Errorf("schema %s holds %d seizures, not %d: drop it to build it again", schema, stored, n)
	}
	err = benchdata.Seizures("pk-customs/sost", n, 1, 1000, func(items []*crossguard.Seizure) error {
		return s.CreateSeizures(ctx, "bench", items, nil)
	})
	if err == nil {
		_, err = s.pool.Exec(ctx, `ANALYZE`)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// tallyCases are the month ranges the tally benchmarks read: the last 12
// months up to the current one, as the dashboard asks for them, and all.
func tallyCases() []struct{ name, from, to string } {
	now := time.Now().UTC()
	from := storekit.TallyMonth(time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, time.UTC))
	return []struct{ name, from, to string }{
		{"last_12_months", from, storekit.TallyMonth(now)},
		{"all_months", "", ""},
	}
}

// BenchmarkSeizureTallies reads the tallies of the last 12 months and of
// all months from the table the triggers keep.
func BenchmarkSeizureTallies(b *testing.B) {
	s := tallyBenchDB(b)
	for _, c := range tallyCases() {
		b.Run(c.name, func(b *testing.B) {
			var rows int
			for b.Loop() {
				ts, err := s.SeizureTallies(b.Context(), c.from, c.to)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(ts)
			}
			b.ReportMetric(float64(rows), "tallies")
		})
	}
}

// BenchmarkSeizureTalliesRecount is the baseline of
// BenchmarkSeizureTallies: the same tallies counted with GROUP BY over the
// live seizures of the months, reading each one's JSON.
func BenchmarkSeizureTalliesRecount(b *testing.B) {
	s := tallyBenchDB(b)
	for _, c := range tallyCases() {
		b.Run(c.name, func(b *testing.B) {
			lo, hi := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			if c.from != "" {
				lo, _ = time.Parse("2006-01", c.from)
				hi, _ = time.Parse("2006-01", c.to)
				hi = hi.AddDate(0, 1, 0)
			}
			// The query that migration 0005 builds for the triggers and
			// the backfill, over the live seizures of the months.
			var recount string
			err := s.pool.QueryRow(b.Context(), `SELECT seizure_tally_counts('SELECT occurred_at, origin, body, 1 AS d FROM seizures
				WHERE NOT deleted AND occurred_at >= $1 AND occurred_at < $2') || ' ORDER BY month, dim, key'`).Scan(&recount)
			if err != nil {
				b.Fatal(err)
			}
			var rows int
			for b.Loop() {
				r, err := s.pool.Query(b.Context(), recount, lo, hi)
				if err != nil {
					b.Fatal(err)
				}
				var t crossguard.Tally
				tag, err := pgx.ForEachRow(r, []any{&t.Month, &t.Dim, &t.Key, &t.Count}, func() error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				rows = int(tag.RowsAffected())
			}
			b.ReportMetric(float64(rows), "tallies")
		})
	}
}

// BenchmarkCreateSeizuresTallies measures what the tally triggers cost
// writes: CreateSeizures of benchdata seizures in batches of 1000, in a
// schema with the triggers and in one without them, each starting empty.
// Compare the seizures/s of the two.
func BenchmarkCreateSeizuresTallies(b *testing.B) {
	for _, triggers := range []bool{true, false} {
		name := "with_triggers"
		if !triggers {
			name = "without_triggers"
		}
		b.Run(name, func(b *testing.B) {
			s := openSchema(b)
			if _, err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			if !triggers {
				_, err := s.pool.Exec(b.Context(), `DROP TRIGGER seizure_tallies_insert ON seizures;
					DROP TRIGGER seizure_tallies_update ON seizures; DROP TRIGGER seizure_tallies_delete ON seizures`)
				if err != nil {
					b.Fatal(err)
				}
			}
			const batch = 1000
			var items [][]*crossguard.Seizure
			err := benchdata.Seizures("pk-customs/sost", batch*b.N, 2, batch, func(c []*crossguard.Seizure) error {
				items = append(items, c)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				if err := s.CreateSeizures(b.Context(), "bench", items[i], nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "seizures/s")
		})
	}
}
