package storetest

import (
	"context"
	"testing"
	"time"
)

// BenchStore is what a backend gives the benchmarks it shares with the
// other backends: how to open a store, and how to read the CPU time spent.
type BenchStore[S any] struct {
	// Open returns a new, empty, migrated store, closed when b ends at
	// the latest. Closing it earlier as well must be harmless.
	Open func(b *testing.B) S
	// CPU, if not nil, returns the CPU time the process has used so far.
	// A backend whose database runs in the process (SQLite) sets it, so
	// that the benchmarks also report their rates per CPU second, which
	// other load on the machine changes much less than rates per second.
	CPU func() time.Duration
}

// PlainInsert is a backend's baseline for a bulk write: called once on a
// new store, outside the timing, it makes a bare table with a primary key
// only and returns the function that inserts one batch of rows into it in
// one transaction, the most plain INSERTs do on the machine.
type PlainInsert[S, R any] func(b *testing.B, s S) func(ctx context.Context, rows []R) error

// cpuMeter adds up the CPU time of the timed calls of a benchmark.
type cpuMeter struct {
	clock func() time.Duration
	spent time.Duration
}

// measure runs f and adds the CPU time it took, if there is a clock.
func (m *cpuMeter) measure(f func() error) error {
	if m.clock == nil {
		return f()
	}
	start := m.clock()
	err := f()
	m.spent += m.clock() - start
	return err
}

// report reports n things stored, in unit, per second of the benchmark's
// time and, if the CPU was measured, per CPU second.
func (m *cpuMeter) report(b *testing.B, n int, unit string) {
	b.Helper()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), unit+"/s")
	if m.spent > 0 {
		b.ReportMetric(float64(n)/m.spent.Seconds(), unit+"/cpu-s")
	}
}
