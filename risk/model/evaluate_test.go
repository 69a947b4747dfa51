package model

import (
	"math"
	"testing"
)

func TestEvaluateHandComputed(t *testing.T) {
	// 120 rows: ceil(1% of 120) = 2, ceil(2%) = 3, ceil(5%) = 6 and
	// ceil(10%) = 12 declarations are inspected.
	n := 120
	ids := make([]string, n)
	scores := make([]float64, n)
	pos := make([]bool, n)
	for i := range n {
		ids[i] = string(rune('A'+i/26)) + string(rune('a'+i%26))
		scores[i] = 0.1
	}
	// The top 12 by score: 0.9 (three rows tied), then 0.8 down.
	// Ties at 0.9 break by id as text: "Ab" < "Ba" < "Ca".
	top := []struct {
		id    string
		score float64
		fraud bool
	}{
		{"Ca", 0.9, false}, {"Ab", 0.9, true}, {"Ba", 0.9, true},
		{"Aa", 0.8, true}, {"Ac", 0.7, false}, {"Ad", 0.6, true},
		{"Ae", 0.5, true}, {"Af", 0.5, false}, {"Ag", 0.4, true},
		{"Ah", 0.3, true}, {"Ai", 0.3, true}, {"Aj", 0.2, false},
	}
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
	}
	for _, r := range top {
		i := index[r.id]
		scores[i], pos[i] = r.score, r.fraud
	}
	// Two more frauds below the top 12, and a NaN score that must sort last.
	pos[index["Ba"]+10], pos[index["Dz"]] = true, true
	scores[index["Ak"]] = math.NaN()

	ev := Evaluate(ids, scores, pos)
	if ev.Rows != 120 || ev.Positives != 10 {
		t.Fatalf("rows %d positives %d, want 120 and 10", ev.Rows, ev.Positives)
	}
	// Ranking: Ab(1) Ba(1) Ca(0) Aa(1) Ac(0) Ad(1) Ae(1) Af(0) Ag(1) Ah(1) Ai(1) Aj(0).
	want := map[string][2]float64{
		"1":  {2.0 / 2, 2.0 / 10},
		"2":  {2.0 / 3, 2.0 / 10},
		"5":  {4.0 / 6, 4.0 / 10},
		"10": {8.0 / 12, 8.0 / 10},
	}
	for k, w := range want {
		if p, r := ev.PrecisionAt[k], ev.RecallAt[k]; math.Abs(p-w[0]) > 1e-12 || math.Abs(r-w[1]) > 1e-12 {
			t.Errorf("at %s%%: precision %v recall %v, want %v %v", k, p, r, w[0], w[1])
		}
	}
	if len(ev.PrecisionAt) != 4 || len(ev.RecallAt) != 4 {
		t.Errorf("rates %v %v, want exactly 1, 2, 5 and 10", ev.PrecisionAt, ev.RecallAt)
	}
}

func TestEvaluateSmallAndEmpty(t *testing.T) {
	// 3 rows: ceil(1% of 3) = 1 at every rate up to ceil(10% of 3) = 1.
	ev := Evaluate([]string{"b", "a", "c"}, []float64{0.5, 0.5, 0.1}, []bool{false, true, true})
	if ev.PrecisionAt["1"] != 1 || ev.PrecisionAt["10"] != 1 || ev.RecallAt["10"] != 0.5 {
		t.Errorf("got %+v, want precision 1 (row a wins the tie) and recall 0.5", ev)
	}
	ev = Evaluate(nil, nil, nil)
	if ev.Rows != 0 || ev.PrecisionAt["5"] != 0 || ev.RecallAt["5"] != 0 {
		t.Errorf("empty evaluation = %+v, want zeros", ev)
	}
	ev = Evaluate([]string{"a", "b"}, []float64{0.9, 0.1}, []bool{false, false})
	if ev.Positives != 0 || ev.RecallAt["1"] != 0 || ev.PrecisionAt["1"] != 0 {
		t.Errorf("no positives: %+v, want zeros", ev)
	}
}
