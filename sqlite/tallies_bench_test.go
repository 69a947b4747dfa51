package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// The database of the tally benchmarks: tallyBenchSeizures seizures of
// benchdata, built once per run in a temporary directory, or kept in the
// file that CROSSGUARD_BENCH_DB names (built there if missing, reused as it
// is otherwise, so that reruns start at once). CROSSGUARD_BENCH_SEIZURES
// changes the number, e.g. to try the benchmarks quickly.
const tallyBenchSeizures = 1_000_000

var (
	tallyBench     storetest.TallyBench[*Store]
	tallyBenchTemp string // the temporary directory of the database, if any
)

// tallyBenchDB returns the store of the tally benchmarks, building it first if
// needed. The store stays open until the test binary exits.
func tallyBenchDB(b *testing.B) *Store {
	b.Helper()
	return tallyBench.Store(b, tallyBenchSeizures, func(n int) (*Store, error) {
		path := os.Getenv("CROSSGUARD_BENCH_DB")
		if path == "" {
			dir, err := os.MkdirTemp("", "crossguard-bench-")
			if err != nil {
				return nil, err
			}
			tallyBenchTemp, path = dir, filepath.Join(dir, "tallies.db")
			b.Logf("building the benchmark database of %d seizures in %s (set CROSSGUARD_BENCH_DB to keep it)", n, path)
		}
		return openTallyBenchDB(context.Background(), path, n)
	})
}

// TestMain runs the package's tests and benchmarks, then closes the
// database of the tally benchmarks and removes it unless
// CROSSGUARD_BENCH_DB keeps it.
func TestMain(m *testing.M) {
	code := m.Run()
	if s, ok := tallyBench.Opened(); ok {
		s.Close()
	}
	if tallyBenchTemp != "" {
		os.RemoveAll(tallyBenchTemp)
	}
	os.Exit(code)
}

// openTallyBenchDB opens the database at path, filling it with n seizures of
// benchdata unless it holds them already.
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
	if err := storetest.FillTallyBench(ctx, s, stored, n, path); err != nil {
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
// seizures table (through the view seizure_tally_keys, which reads every
// live seizure's JSON), as a dashboard without the tallies would.
func BenchmarkSeizureTalliesRecount(b *testing.B) {
	s := tallyBenchDB(b)
	storetest.BenchTallies(b, func(ctx context.Context, from, to string) (int, error) {
		ts, err := recountTallies(ctx, s, from, to)
		return len(ts), err
	})
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

// BenchmarkCreateSeizuresTallies is storetest.BenchCreateSeizuresTallies
// on SQLite.
func BenchmarkCreateSeizuresTallies(b *testing.B) {
	storetest.BenchCreateSeizuresTallies(b, writeBench, dropTallyTriggers)
}
