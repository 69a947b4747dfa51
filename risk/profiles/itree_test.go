package profiles

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestITreeStab checks stabbing queries against testing every interval,
// with shared, open, closed, infinite and empty ends.
func TestITreeStab(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ends := []float64{math.Inf(-1), -3, 0, 0, 1, 1.5, 2, 2, 5, 8, 13, math.Inf(1)}
	for round := range 50 {
		var ivs []interval
		for k := range 1 + r.IntN(200) {
			a, b := ends[r.IntN(len(ends))], ends[r.IntN(len(ends))]
			if a > b {
				a, b = b, a
			}
			ivs = append(ivs, interval{lo: a, hi: b, loOpen: r.IntN(2) == 0, hiOpen: r.IntN(2) == 0, rank: int32(k)})
		}
		tree := newITree(ivs)
		for _, x := range append(slices.Clone(ends), -4, -0.5, 0.5, 1.2, 3, 7, 100, math.NaN(), math.Nextafter(2, 3)) {
			got := tree.stab(x, nil)
			slices.Sort(got)
			var want []int32
			for _, iv := range ivs {
				if iv.contains(x) {
					want = append(want, iv.rank)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("round %d, x=%v: got %v, want %v", round, x, got, want)
			}
		}
	}
}
