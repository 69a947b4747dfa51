package storetest

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
	"crossguard/storekit"
)

// TallyBench is the store of a backend's tally benchmarks: benchdata
// seizures, built once per test binary and shared by the benchmarks that
// read it.
type TallyBench[S any] struct {
	once   sync.Once
	store  S
	opened bool
	err    error
}

// Store returns the store, calling open the first time with the number
// of seizures it should hold: CROSSGUARD_BENCH_SEIZURES, else def.
func (tb *TallyBench[S]) Store(b *testing.B, def int, open func(n int) (S, error)) S {
	b.Helper()
	tb.once.Do(func() {
		n := def
		if v := os.Getenv("CROSSGUARD_BENCH_SEIZURES"); v != "" {
			if n, tb.err = strconv.Atoi(v); tb.err != nil {
				return
			}
		}
		tb.store, tb.err = open(n)
		tb.opened = tb.err == nil
	})
	if tb.err != nil {
		b.Fatalf("benchmark database: %v", tb.err)
	}
	return tb.store
}

// Opened returns the store and true if Store opened it, so that TestMain
// can close it once every benchmark has run.
func (tb *TallyBench[S]) Opened() (S, bool) { return tb.store, tb.opened }

// FillTallyBench fills s, which holds stored seizures, with n seizures of
// benchdata in batches of 1000 if it is empty. A store that holds some,
// but not n, is refused: where names it, to delete before a new build.
func FillTallyBench(ctx context.Context, s seizureCreator, stored, n int, where string) error {
	switch {
	case stored == n:
		return nil
	case stored > 0:
		return fmt.Errorf("%s holds %d seizures, not %d: delete it to build it again", where, stored, n)
	}
	return benchdata.Seizures("pk-customs/sost", n, 1, benchBatch, func(items []*crossguard.Seizure) error {
		return s.CreateSeizures(ctx, "bench", items, nil)
	})
}

// TallyCounter reads the tallies of the months from to to (both empty
// for all months) and returns how many it read.
type TallyCounter func(ctx context.Context, from, to string) (int, error)

// CountTallies is the TallyCounter of a store's SeizureTallies.
func CountTallies(read func(ctx context.Context, from, to string) ([]*crossguard.Tally, error)) TallyCounter {
	return func(ctx context.Context, from, to string) (int, error) {
		ts, err := read(ctx, from, to)
		return len(ts), err
	}
}

// BenchTallies reads with count the tallies of the last 12 months up to
// the current one, as the dashboard asks for them, and of all months,
// reporting the number of tallies read. BenchmarkSeizureTallies passes
// the store's SeizureTallies; BenchmarkSeizureTalliesRecount, its
// baseline, a count with GROUP BY over the seizures, as a dashboard
// without the tallies would.
func BenchTallies(b *testing.B, count TallyCounter) {
	now := time.Now().UTC()
	cases := []struct{ name, from, to string }{
		{"last_12_months", storekit.TallyMonth(time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, time.UTC)), storekit.TallyMonth(now)},
		{"all_months", "", ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var rows int
			for b.Loop() {
				var err error
				if rows, err = count(b.Context(), c.from, c.to); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "tallies")
		})
	}
}

// BenchCreateSeizuresTallies measures what the tally triggers cost
// writes: CreateSeizures of benchdata seizures in batches of 1000, on a
// store with the triggers and on one without them (dropTriggers removes
// them), each starting empty. Compare the seizures/s of the two.
func BenchCreateSeizuresTallies[S seizureCreator](b *testing.B, bs BenchStore[S], dropTriggers func(context.Context, S) error) {
	for _, triggers := range []bool{true, false} {
		name := "with_triggers"
		if !triggers {
			name = "without_triggers"
		}
		b.Run(name, func(b *testing.B) {
			s := bs.Open(b)
			if !triggers {
				if err := dropTriggers(b.Context(), s); err != nil {
					b.Fatal(err)
				}
			}
			var items [][]*crossguard.Seizure
			err := benchdata.Seizures("pk-customs/sost", benchBatch*b.N, 2, benchBatch, func(c []*crossguard.Seizure) error {
				items = append(items, c)
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			meter := cpuMeter{clock: bs.CPU}
			n := 0
			b.ResetTimer()
			for i := range b.N {
				if err := meter.measure(func() error { return s.CreateSeizures(b.Context(), "bench", items[i], nil) }); err != nil {
					b.Fatal(err)
				}
				n += len(items[i])
			}
			meter.report(b, n, "seizures")
		})
	}
}
