package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"crossguard"
)

// Benchmark data of the list benchmarks: seizures spread over the three
// years before BenchEnd.
var (
	BenchEnd  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	BenchSpan = 3 * 365 * 24 * time.Hour
)

// BenchSeizures returns the number of seizures of a list benchmark's
// database: CROSSGUARD_BENCH_SEIZURES, or 100,000 (the performance target
// is stated for 1,000,000).
func BenchSeizures(b *testing.B) int {
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

// Fingerprint returns a short hash of a backend's embedded migrations and
// its benchmark data version, so that a cached benchmark database built
// before either changed is rebuilt.
func Fingerprint(b *testing.B, migrations fs.FS, dataVersion int) string {
	b.Helper()
	h := sha256.New()
	err := fs.WalkDir(migrations, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(migrations, path)
		h.Write([]byte(path))
		h.Write(data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprint(h, dataVersion)
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// FillListBench stores the seizures from to n-1 of a list benchmark's
// database of n, seizure i being NewSeizure(i, at(i, n)), in
// batches of 1000 with s.CreateSeizures, and logs the rate of
// CreateSeizures alone (shown with -v).
func FillListBench(b *testing.B, s seizureCreator, from, n int, at func(i, n int) time.Time) {
	b.Helper()
	var spent time.Duration
	items := make([]*crossguard.Seizure, 0, benchBatch)
	for first := from; first < n; first += benchBatch {
		items = items[:0]
		for i := first; i < min(first+benchBatch, n); i++ {
			items = append(items, NewSeizure(i, at(i, n)))
		}
		start := time.Now()
		if err := s.CreateSeizures(b.Context(), "bench", items, nil); err != nil {
			b.Fatal(err)
		}
		spent += time.Since(start)
		if done := first + len(items); (done/benchBatch)%100 == 0 {
			b.Logf("built %d of %d seizures, %.0f seizures/s", done, n, float64(done-from)/spent.Seconds())
		}
	}
	b.Logf("built %d seizures in batches of %d: %.0f seizures/s (CreateSeizures time only)", n-from, benchBatch, float64(n-from)/spent.Seconds())
}

// benchCountries are the countries the list cases filter on.
var benchCountries = []string{"PK", "AF", "IR", "CN", "IN", "TJ", "AE", "TR"}

// ListBenchCases are the filters of the list performance target, each
// varied by iteration so that no single page stays in a cache, with pages
// of 100.
var ListBenchCases = []struct {
	Name   string
	Filter func(i int) crossguard.SeizureFilter
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
		to := BenchEnd.Add(-time.Duration(i%1000) * BenchSpan / 1000)
		return crossguard.SeizureFilter{From: to.Add(-30 * 24 * time.Hour), To: to}
	}},
	{"category_country", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Category: crossguard.Categories[i%len(crossguard.Categories)],
			Country: benchCountries[(i/len(crossguard.Categories))%8]}
	}},
	{"query_common_word", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: []string{CommonWord, "goods", "found"}[i%3]}
	}},
	{"query_two_words", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: []string{"heroin concealed", "cigarettes found", "counterfeit goods"}[i%3]}
	}},
	{"query_and_country", func(i int) crossguard.SeizureFilter {
		return crossguard.SeizureFilter{Query: CommonWord, Country: []string{"PK", "AF", "IR", "CN"}[i%4]}
	}},
}

// RunListBenchmark runs every case of ListBenchCases as a sub-benchmark
// against list, reporting the median and 99th percentile latency of a
// page of 100. If cpu is not nil it is a clock of the CPU time of the
// calling thread, and the same percentiles of CPU time are reported too
// (on a busy machine latency also counts time spent waiting for a CPU);
// each case then runs locked to one OS thread.
func RunListBenchmark(b *testing.B, list func(context.Context, crossguard.SeizureFilter) (*crossguard.SeizurePage, error), cpu func() time.Duration) {
	for _, c := range ListBenchCases {
		b.Run(c.Name, func(b *testing.B) {
			filter := func(i int) crossguard.SeizureFilter {
				f := c.Filter(i)
				f.Limit = 100
				return f
			}
			if page, err := list(b.Context(), filter(0)); err != nil || len(page.Items) == 0 {
				b.Fatalf("first page: %v; an empty page means the benchmark data does not match the filter", err)
			}
			if cpu != nil {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			latencies := make([]time.Duration, 0, b.N)
			var cpus []time.Duration
			i := 0
			for b.Loop() {
				f := filter(i)
				i++
				start := time.Now()
				var startCPU time.Duration
				if cpu != nil {
					startCPU = cpu()
				}
				if _, err := list(b.Context(), f); err != nil {
					b.Fatal(err)
				}
				if cpu != nil {
					cpus = append(cpus, cpu()-startCPU)
				}
				latencies = append(latencies, time.Since(start))
			}
			reportPercentiles(b, latencies, "")
			if len(cpus) > 0 && slices.Max(cpus) > 0 {
				reportPercentiles(b, cpus, "cpu-")
			}
		})
	}
}

// reportPercentiles reports the median and 99th percentile of ds in ms.
func reportPercentiles(b *testing.B, ds []time.Duration, prefix string) {
	slices.Sort(ds)
	at := func(p float64) float64 {
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Seconds() * 1000
	}
	b.ReportMetric(at(0.50), "p50-"+prefix+"ms")
	b.ReportMetric(at(0.99), "p99-"+prefix+"ms")
}
