package postgres_test

import (
	"testing"
	"time"

	"crossguard/storetest"
)

// BenchmarkCreateSeizures measures CreateSeizures in batches of 1,000
// seizures into a new schema, reporting seizures per second. The
// seizures are built before the timer runs.
func BenchmarkCreateSeizures(b *testing.B) {
	s := openTest(b, newSchema(b))
	const batch = 1000
	var first int
	var created int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		items := storetest.NewSeizures(first, batch, storetest.T0.Add(-time.Duration(first)*time.Minute), time.Minute)
		first += batch
		b.StartTimer()
		start := time.Now()
		if err := s.CreateSeizures(b.Context(), "bench", items, nil); err != nil {
			b.Fatalf("CreateSeizures: %v", err)
		}
		took += time.Since(start)
		created += batch
	}
	b.ReportMetric(float64(created)/took.Seconds(), "seizures/s")
}
