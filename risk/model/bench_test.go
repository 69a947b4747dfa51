package model

import (
	"context"
	"testing"
)

// BenchmarkTrain trains on train.csv with the default options and reports
// precision on valid.csv with the last model trained.
func BenchmarkTrain(b *testing.B) {
	train, valid := mustLoad(b)
	var m *Model
	b.ResetTimer()
	for b.Loop() {
		var err error
		if m, err = Train(context.Background(), train, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	ev := evaluateOn(m, valid)
	b.ReportMetric(ev.PrecisionAt["5"], "p@5%")
	b.ReportMetric(ev.PrecisionAt["10"], "p@10%")
}

// benchModel is a model trained on train.csv, shared by the scoring
// benchmarks.
func benchModel(b *testing.B) (*Model, []Example) {
	b.Helper()
	train, valid := mustLoad(b)
	m, err := Train(context.Background(), train, Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return m, valid
}

// BenchmarkScore scores one declaration of valid.csv per operation.
func BenchmarkScore(b *testing.B) {
	m, valid := benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Score(valid[i%len(valid)].Decl)
		i++
	}
}

// BenchmarkExplain explains one declaration of valid.csv (its top 5
// fields) per operation.
func BenchmarkExplain(b *testing.B) {
	m, valid := benchModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		m.Explain(valid[i%len(valid)].Decl, 5)
		i++
	}
}
