package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// benchDataVersion changes whenever the benchmark data changes, so that a
// schema built from older data is not reused.
const benchDataVersion = 1

// schemaFingerprint identifies the schema and data of a cached benchmark
// schema.
func schemaFingerprint(b *testing.B) string {
	return storetest.Fingerprint(b, migrationFS, benchDataVersion)
}

// benchAt returns the occurred_at of seizure i of n: a permutation of i
// spread evenly over storetest.BenchSpan.
func benchAt(i, n int) time.Time {
	p := 7919
	for gcd(p, n) != 1 {
		p += 2
	}
	k := (i * p) % n
	return storetest.BenchEnd.Add(-time.Duration(int64(storetest.BenchSpan) / int64(n) * int64(k)))
}

// gcd returns the greatest common divisor of a and b.
func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// benchStore opens the benchmark schema cg_bench_<n>_<fingerprint> of the
// test database, building it the first time and reusing it after. Each
// batch commits atomically and takes the next change numbers, so a build
// cut short resumes after the last stored seizure.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	url := testenv.PostgresURL(b)
	ctx := b.Context()
	schema := fmt.Sprintf("cg_bench_%d_%s", n, schemaFingerprint(b))
	s, err := Open(ctx, url, Options{Schema: schema})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var stored int
	if err := s.pool.QueryRow(ctx, `SELECT change_seq FROM heads`).Scan(&stored); err != nil {
		b.Fatal(err)
	}
	if stored >= n {
		return s
	}
	if err := dropStaleBenchSchemas(ctx, s, n, schema); err != nil {
		b.Fatal(err)
	}
	storetest.FillListBench(b, s, stored, n, benchAt)
	// Autovacuum would get there in time; the benchmark needs the
	// statistics and visibility map of a settled database now.
	for _, table := range []string{"seizures", "seizure_goods", "audit"} {
		if _, err := s.pool.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// dropStaleBenchSchemas drops the benchmark schemas for n seizures built
// from other migrations or data, which would only take disk space.
func dropStaleBenchSchemas(ctx context.Context, s *Store, n int, keep string) error {
	rows, err := s.pool.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 AND nspname <> $2`,
		fmt.Sprintf("cg\\_bench\\_%d\\_%%", n), keep)
	if err != nil {
		return err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range stale {
		if _, err := s.pool.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkListSeizures measures pages of 100 seizures from a database of
// CROSSGUARD_BENCH_SEIZURES seizures for each filter of the performance
// target (storetest.ListBenchCases, the same as the sqlite package's),
// reporting the median and 99th percentile latency.
func BenchmarkListSeizures(b *testing.B) {
	s := benchStore(b, storetest.BenchSeizures(b))
	storetest.RunListBenchmark(b, s.ListSeizures, nil)
}
