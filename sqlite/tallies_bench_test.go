package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/benchdata"
	"crossguard/storekit"
)

// The database of the tally benchmarks: tallyBenchSeizures seizures of
// benchdata, built once per run in a temporary directory, or kept in the
// file that CROSSGUARD_BENCH_DB names (built there if missing, reused as it
// is otherwise, so that reruns start at once). CROSSGUARD_BENCH_SEIZURES
// changes the number, e.g. to try the benchmarks quickly.
const tallyBenchSeizures = 1_000_000

var (
	tallyBenchTemp  string // the temporary directory of the database, if any
	tallyBenchOnce  sync.Once
	tallyBenchStore *Store
	tallyBenchErr   error
)

// tallyBenchDB returns the store of the tally benchmarks, building it first if
// needed. The store stays open until the test binary exits.
func tallyBenchDB(b *testing.B) *Store {
	b.Helper()
	tallyBenchOnce.Do(func() {
		n := tallyBenchSeizures
		if v := os.Getenv("CROSSGUARD_BENCH_SEIZURES"); v != "" {
			if n, tallyBenchErr = strconv.Atoi(v); tallyBenchErr != nil {
				return
			}
		}
		path := os.Getenv("CROSSGUARD_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "crossguard-bench-")
			if err != nil {
				tallyBenchErr = err
				return
			}
			tallyBenchTemp, path = dir, filepath.Join(dir, "tallies.db")
			b.Logf("building the benchmark database of %d seizures in %s (set CROSSGUARD_BENCH_DB to keep it)", n, path)
		}
		tallyBenchStore, tallyBenchErr = openTallyBenchDB(context.Background(), path, n)
	})
	if tallyBenchErr != nil {
		b.Fatalf("benchmark database: %v", tallyBenchErr)
	}
	return tallyBenchStore
}

// TestMain runs the package's tests and benchmarks, then closes the
// database of the tally benchmarks and removes it unless
// CROSSGUARD_BENCH_DB keeps it.
func TestMain(m *testing.M) {
	code := m.Run()
	if tallyBenchStore != nil {
		tallyBenchStore.Close()
	}
	if tallyBenchTemp != "" {
		os.RemoveAll(tallyBenchTemp)
	}
	os.Exit(code)
}

// openTallyBenchDB opens the database at path, filling it with n seizures of
// benchdata in batches of 1000 unless it holds some already.
func openTallyBenchDB(ctx context.Context, path string, n int) (*Store, error) {
	s, err := Open(ctx, path, Options{})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	var stored int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM seizures`).Scan(&stored); err != nil {
		s.Close()
		return nil, err
	}
	if stored == n {
		return s, nil
	}
	if stored > 0 {
		s.Close()
		return nil, fmt.Errorf("%s holds %d seizures, not %d: delete it to build it again", path, stored, n)
	}
	err = benchdata.Seizures("pk-customs/sost", n, 1, 1000, func(items []*crossguard.Seizure) error {
		return s.CreateSeizures(ctx, "bench", items, nil)
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// lastMonths returns the bounds of the last n months up to the current
// one, as the dashboard asks for them.
func lastMonths(n int) (from, to string) {
	now := time.Now().UTC()
	return storekit.TallyMonth(time.Date(now.Year(), now.Month()-time.Month(n-1), 1, 0, 0, 0, 0, time.UTC)), storekit.TallyMonth(now)
}

// BenchmarkSeizureTallies reads the tallies of the last 12 months and of
// all months from the table the triggers keep.
func BenchmarkSeizureTallies(b *testing.B) {
	s := tallyBenchDB(b)
	for _, c := range talliesCases() {
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
// seizures table (through the view seizure_tally_keys, which reads every
// live seizure's JSON), as a dashboard without the tallies would.
func BenchmarkSeizureTalliesRecount(b *testing.B) {
	s := tallyBenchDB(b)
	for _, c := range talliesCases() {
		b.Run(c.name, func(b *testing.B) {
			var rows int
			for b.Loop() {
				ts, err := recountTallies(b.Context(), s, c.from, c.to)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(ts)
			}
			b.ReportMetric(float64(rows), "tallies")
		})
	}
}

// talliesCases are the month ranges the tally benchmarks read.
func talliesCases() []struct{ name, from, to string } {
	from, to := lastMonths(12)
	return []struct{ name, from, to string }{
		{"last_12_months", from, to},
		{"all_months", "", ""},
	}
}

// recountTallies counts the tallies of the months from to to over the
// seizures table. The range applies to occurred_at, so that the index of
// live seizures by occurred_at narrows the scan.
func recountTallies(ctx context.Context, s *Store, from, to string) ([]*crossguard.Tally, error) {
	lo, hi := int64(-1<<63), int64(1<<63-1)
	if from != "" {
		t, _ := time.Parse("2006-01", from)
		lo = t.UnixNano()
	}
	if to != "" {
		t, _ := time.Parse("2006-01", to)
		hi = t.AddDate(0, 1, 0).UnixNano() - 1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT k.month, k.dim, k.key, count(*) FROM seizure_tally_keys AS k
		WHERE k.seizure IN (SELECT key FROM seizures WHERE deleted = 0 AND occurred_at BETWEEN ? AND ?)
		GROUP BY k.month, k.dim, k.key ORDER BY k.month, k.dim, k.key`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*crossguard.Tally
	for rows.Next() {
		t := new(crossguard.Tally)
		if err := rows.Scan(&t.Month, &t.Dim, &t.Key, &t.Count); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// dropTallyTriggers removes the triggers that keep the tallies.
func dropTallyTriggers(ctx context.Context, s *Store) error {
	for _, trig := range []string{"seizure_tallies_insert", "seizure_tallies_update", "seizure_tallies_delete"} {
		if _, err := s.w.ExecContext(ctx, `DROP TRIGGER `+trig); err != nil {
			return fmt.Errorf("drop trigger %s: %w", trig, err)
		}
	}
	return nil
}

// BenchmarkCreateSeizuresTallies measures what the tally triggers cost
// writes: CreateSeizures of benchdata seizures in batches of 1000, on a
// database with the triggers and on one without them, each starting
// empty. Compare the seizures/s of the two.
func BenchmarkCreateSeizuresTallies(b *testing.B) {
	for _, triggers := range []bool{true, false} {
		name := "with_triggers"
		if !triggers {
			name = "without_triggers"
		}
		b.Run(name, func(b *testing.B) {
			s, err := Open(b.Context(), filepath.Join(b.TempDir(), "create.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			if !triggers {
				if err := dropTallyTriggers(b.Context(), s); err != nil {
					b.Fatal(err)
				}
			}
			const batch = 1000
			var items [][]*crossguard.Seizure
			err = benchdata.Seizures("pk-customs/sost", batch*b.N, 2, batch, func(c []*crossguard.Seizure) error {
				items = append(items, c)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			var cpu time.Duration
			b.ResetTimer()
			for i := range b.N {
				c := processCPU()
				if err := s.CreateSeizures(b.Context(), "bench", items[i], nil); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - c
				n += len(items[i])
			}
			reportRate(b, n, cpu)
		})
	}
}
