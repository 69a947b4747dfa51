package gbt

import (
	"math"
	"slices"
)

// binned is a feature matrix quantised for training: for each row and
// feature, a bin (0 for a missing value, 1..n for values), row by row so
// that a histogram pass reads each row once; and per feature the
// thresholds between bins.
type binned struct {
	rows, features int
	bins           []uint8   // bins[row*features+f]
	cols           [][]uint8 // cols[f][row], the same bins by feature
	// cuts[f][b] is the threshold between value bins b and b+1, for b in
	// 1..n-1: a value v is in bin b+1 or above exactly when v > cuts[f][b].
	// cuts[f][0] is unused and cuts[f][n] is +Inf.
	cuts [][]float64
}

// nbins is the number of value bins of feature f.
func (b *binned) nbins(f int) int { return len(b.cuts[f]) - 1 }

// quantise bins every column of cols with at most maxBins value bins.
func quantise(cols [][]float64, rows, maxBins int) *binned {
	nf := len(cols)
	b := &binned{rows: rows, features: nf, bins: make([]uint8, rows*nf), cols: make([][]uint8, nf), cuts: make([][]float64, nf)}
	sorted := make([]float64, 0, rows)
	for f, col := range cols {
		sorted = sorted[:0]
		for _, v := range col {
			if !math.IsNaN(v) {
				sorted = append(sorted, v)
			}
		}
		slices.Sort(sorted)
		cuts := cutPoints(sorted, maxBins)
		b.cuts[f] = cuts
		bf := make([]uint8, rows)
		for i, v := range col {
			bf[i] = binOf(cuts, v)
			b.bins[i*nf+f] = bf[i]
		}
		b.cols[f] = bf
	}
	return b
}

// binOf returns the bin of v under cuts: 0 for NaN, else the first bin
// b >= 1 with v <= cuts[b].
func binOf(cuts []float64, v float64) uint8 {
	if math.IsNaN(v) {
		return 0
	}
	lo, hi := 1, len(cuts)-1 // answer in [lo, hi]; cuts[hi] is +Inf
	for lo < hi {
		m := (lo + hi) / 2
		if v <= cuts[m] {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return uint8(lo)
}

// cutPoints chooses thresholds for sorted non-missing values so that the
// bins hold about equal counts, never splitting equal values. With fewer
// distinct values than maxBins, every distinct value has its own bin.
// The result has a leading unused 0 and a trailing +Inf.
func cutPoints(sorted []float64, maxBins int) []float64 {
	cuts := []float64{0}
	n := len(sorted)
	if n == 0 {
		return append(cuts, math.Inf(1))
	}
	distinct := 1
	for i := 1; i < n; i++ {
		if sorted[i] != sorted[i-1] {
			distinct++
		}
	}
	if distinct <= maxBins {
		for i := 1; i < n; i++ {
			if sorted[i] != sorted[i-1] {
				cuts = append(cuts, midpoint(sorted[i-1], sorted[i]))
			}
		}
		return append(cuts, math.Inf(1))
	}
	// Greedy equal-frequency bins: close a bin once it holds its share of
	// the remaining values, at a change of value.
	start := 0
	for bin := 0; bin < maxBins-1 && start < n; bin++ {
		remaining := maxBins - bin
		target := (n - start + remaining - 1) / remaining
		end := start + target // first index of the next bin
		if end >= n {
			break
		}
		// Move end to a change of value.
		for end < n && sorted[end] == sorted[end-1] {
			end++
		}
		if end >= n {
			break
		}
		cuts = append(cuts, midpoint(sorted[end-1], sorted[end]))
		start = end
	}
	return append(cuts, math.Inf(1))
}

// midpoint returns a threshold t with a <= t < b for a < b.
func midpoint(a, b float64) float64 {
	m := a + (b-a)/2
	if !(m >= a && m < b) { // also catches NaN from infinite a or b
		return a
	}
	return m
}
