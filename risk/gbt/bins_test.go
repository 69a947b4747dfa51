package gbt

import (
	"math"
	"testing"
)

func TestCutPointsFewDistinctValues(t *testing.T) {
	cuts := cutPoints([]float64{1, 1, 2, 5, 5, 5}, 10)
	// One bin per distinct value: 1 | 2 | 5.
	if len(cuts) != 4 || !math.IsInf(cuts[3], 1) {
		t.Fatalf("cuts %v, want 3 bins and a final +Inf", cuts)
	}
	for v, want := range map[float64]uint8{1: 1, 1.5: 1, 1.6: 2, 2: 2, 4.9: 3, 5: 3, 99: 3, math.Inf(-1): 1} {
		if got := binOf(cuts, v); got != want {
			t.Errorf("bin of %v = %d, want %d (cuts %v)", v, got, want, cuts)
		}
	}
	if binOf(cuts, math.NaN()) != 0 {
		t.Error("NaN is not in the missing bin")
	}
}

func TestCutPointsManyValues(t *testing.T) {
	var sorted []float64
	for i := range 10000 {
		sorted = append(sorted, float64(i/3)) // every value three times
	}
	cuts := cutPoints(sorted, 16)
	if n := len(cuts) - 1; n < 12 || n > 16 {
		t.Fatalf("%d bins, want about 16", n)
	}
	counts := make([]int, len(cuts))
	for _, v := range sorted {
		counts[binOf(cuts, v)]++
	}
	for b := 1; b < len(counts); b++ {
		if counts[b] < 10000/16/2 || counts[b] > 10000/16*2 {
			t.Errorf("bin %d holds %d values, want about %d", b, counts[b], 10000/16)
		}
	}
	// Equal values share a bin.
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && binOf(cuts, sorted[i]) != binOf(cuts, sorted[i-1]) {
			t.Fatalf("equal values %v in different bins", sorted[i])
		}
	}
}

func TestCutPointsEdgeCases(t *testing.T) {
	if cuts := cutPoints(nil, 8); len(cuts) != 2 {
		t.Errorf("no values: cuts %v, want one bin", cuts)
	}
	cuts := cutPoints([]float64{math.Inf(-1), 0, math.Inf(1)}, 8)
	for _, c := range cuts[1 : len(cuts)-1] {
		if math.IsNaN(c) {
			t.Fatalf("NaN threshold in %v", cuts)
		}
	}
	if binOf(cuts, math.Inf(-1)) == binOf(cuts, 0) || binOf(cuts, 0) == binOf(cuts, math.Inf(1)) {
		t.Errorf("-Inf, 0 and +Inf not told apart by cuts %v", cuts)
	}
	if m := midpoint(1, math.Nextafter(1, 2)); !(m >= 1 && m < math.Nextafter(1, 2)) {
		t.Errorf("midpoint of adjacent floats = %v", m)
	}
}
