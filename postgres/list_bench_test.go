package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// The benchmark mirrors the sqlite package's BenchmarkListSeizures: the
// same data, the same filters and the same metrics, so that the two
// backends' figures compare.

// benchDataVersion changes whenever the benchmark data changes, so that a
// schema built from older data is not reused.
const benchDataVersion = 1

// Benchmark data: seizures spread over three years before benchEnd, in an
// order unrelated to their numbers, as a long-running node would hold.
var (
	benchEnd  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	benchSpan = 3 * 365 * 24 * time.Hour
)

// benchSeizures returns the number of seizures of the benchmark database:
// CROSSGUARD_BENCH_SEIZURES, or 100,000.
func benchSeizures(b *testing.B) int {
	b.Helper()
	v := os.Getenv("CROSSGUARD_BENCH_SEIZURES")
	if v == "" {
		return 100000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1000 {
		b.Fatalf("CROSSGUARD_BENCH_SEIZURES=%q: want a number of at least 1000", v)
	}
	return n
}

// schemaFingerprint returns a short hash of the embedded migrations and the
// data version, so that a schema built before either changed is rebuilt.
func schemaFingerprint(b *testing.B) string {
	b.Helper()
	h := sha256.New()
	err := fs.WalkDir(migrationFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := migrationFS.ReadFile(path)
		h.Write([]byte(path))
		h.Write(data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprint(h, benchDataVersion)
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// benchAt returns the occurred_at of seizure i of n: a permutation of i
// spread evenly over benchSpan.
func benchAt(i, n int) time.Time {
	p := 7919
	for gcd(p, n) != 1 {
		p += 2
	}
	k := (i * p) % n
	return benchEnd.Add(-time.Duration(int64(benchSpan) / int64(n) * int64(k)))
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
	const batch = 1000
	var spent time.Duration
	items := make([]*crossguard.Seizure, 0, batch)
	for first := stored; first < n; first += batch {
		items = items[:0]
		for i := first; i < min(first+batch, n); i++ {
			items = append(items, storetest.NewSeizure(i, benchAt(i, n)))
		}
		start := time.Now()
		if err := s.CreateSeizures(ctx, "bench", items, nil); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		if done := first + len(items); (done/batch)%100 == 0 {
			b.Logf("built %d of %d seizures, %.0f seizures/s", done, n, float64(done-stored)/spent.Seconds())
		}
	}
	b.Logf("built %d seizures in batches of %d: %.0f seizures/s (CreateSeizures time only)", n-stored, batch, float64(n-stored)/spent.Seconds())
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

// benchCountries are the countries of the builders' seizures.
var benchCountries = []string{"PK", "AF", "IR", "CN", "IN", "TJ", "AE", "TR"}

// benchListCases are the filters of the performance target, each varied
// by iteration so that no single page stays in a cache.
var benchListCases = []struct {
	name   string
	filter func(i int) crossguard.SeizureFilter
}{
	{"none", func(int) crossguard.SeizureFilter { return crossguard.SeizureFilter{} }},
	{"category", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Category: crossguard.Categories[i%len(crossguard.Categories)]}
	}},
	{"country", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Country: benchCountries[i%8]}
	}},
	{"hs4", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{HS: []string{"2939", "2402", "9301", "1211", "8517", "2208", "9706", "3825"}[i%8]}
	}},
	{"date_range", func(i int) crossguard.SeizureFilter {
		to := benchEnd.Add(-time.Duration(i%1000) * benchSpan / 1000)
		return crossguard.SeizureFilter{From: to.Add(-30 * 24 * time.Hour), To: to}
	}},
	{"category_country", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Category: crossguard.Categories[i%len(crossguard.Categories)],
			Country: benchCountries[(i/len(crossguard.Categories))%8]}
	}},
	{"query_common_word", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: []string{storetest.CommonWord, "goods", "found"}[i%3]}
	}},
	{"query_two_words", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: []string{"heroin concealed", "cigarettes found", "counterfeit goods"}[i%3]}
	}},
	{"query_and_country", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: storetest.CommonWord, Country: []string{"PK", "AF", "IR", "CN"}[i%4]}
	}},
}

// BenchmarkListSeizures measures pages of 100 seizures from a database of
// CROSSGUARD_BENCH_SEIZURES seizures for each filter of the performance
// target, reporting the median and 99th percentile latency.
func BenchmarkListSeizures(b *testing.B) {
	n := benchSeizures(b)
	s := benchStore(b, n)
	for _, c := range benchListCases {
		b.Run(c.name, func(b *testing.B) {
			if page, err := s.ListSeizures(b.Context(), withLimit(c.filter(0))); err != nil || len(page.Items) == 0 {
				b.Fatalf("first page: %d items, %v", len(page.Items), err)
			}
			durations := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				f := withLimit(c.filter(i))
				i++
				start := time.Now()
				if _, err := s.ListSeizures(b.Context(), f); err != nil {
					b.Fatal(err)
				}
				durations = append(durations, time.Since(start))
			}
			slices.Sort(durations)
			b.ReportMetric(percentile(durations, 0.50).Seconds()*1000, "p50-ms")
			b.ReportMetric(percentile(durations, 0.99).Seconds()*1000, "p99-ms")
		})
	}
}

// withLimit sets the page size of the performance target.
func withLimit(f crossguard.SeizureFilter) crossguard.SeizureFilter {
	f.Limit = 100
	return f
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
