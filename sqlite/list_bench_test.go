package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crossguard/storetest"
)

// benchDataVersion changes whenever the benchmark data changes, so that a
// cached database built from older data is not reused.
const benchDataVersion = 3

// schemaFingerprint identifies the schema and data of a cached benchmark
// database.
func schemaFingerprint(b *testing.B) string {
	return storetest.Fingerprint(b, migrationFiles, benchDataVersion)
}

// benchAt returns the occurred_at of seizure i of n: evenly spread over
// storetest.BenchSpan in order of i, give or take two days (records are entered
// late and out of order), and one in ten at midnight (imported with a date
// only), so that many seizures share an instant.
func benchAt(i, n int) time.Time {
	at := storetest.BenchEnd.Add(-storetest.BenchSpan + time.Duration(int64(storetest.BenchSpan)/int64(n)*int64(i)))
	at = at.Add(time.Duration((i*7919)%(4*24*60)-2*24*60) * time.Minute)
	if i%10 == 0 {
		return at.Truncate(24 * time.Hour)
	}
	return at.Add(time.Duration(i%1000) * time.Millisecond)
}

// benchDB returns the path of a database of n seizures, building it in
// os.TempDir the first time (outside the repository) and reusing it after.
func benchDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("crossguard-bench-list-%d-%s.db", n, schemaFingerprint(b)))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	s, err := Open(b.Context(), tmp, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	storetest.FillListBench(b, s, 0, n, benchAt)
	if _, err := s.w.ExecContext(b.Context(), "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkListSeizures measures pages of 100 seizures from a database of
// CROSSGUARD_BENCH_SEIZURES seizures for each filter of the performance
// target (storetest.ListBenchCases), reporting the median and 99th
// percentile latency and, on Linux, of the CPU time each page took. The
// first run for a number of seizures builds the database in os.TempDir with
// CreateSeizures and logs its throughput (shown with -v).
func BenchmarkListSeizures(b *testing.B) {
	n := storetest.BenchSeizures(b)
	s, err := Open(b.Context(), benchDB(b, n), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.RunListBenchmark(b, s.ListSeizures, threadCPU)
}
