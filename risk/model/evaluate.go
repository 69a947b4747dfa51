package model

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"crossguard"
)

// InspectionRates are the inspection rates, in percent, at which
// Evaluate measures precision and recall.
var InspectionRates = []int{1, 2, 5, 10}

// Evaluate measures scores against known outcomes: for each inspection
// rate n% of InspectionRates, the declarations in the top ceil(n% × rows)
// by score (equal scores by declaration id, ascending as text; NaN scores
// last) are taken as inspected, precision is the share of them that were
// frauds and recall the share of all frauds among them. ids, scores and
// positive are parallel; Evaluate uses the shortest length.
func Evaluate(ids []string, scores []float64, positive []bool) crossguard.Evaluation {
	n := min(len(ids), len(scores), len(positive))
	ev := crossguard.Evaluation{Rows: n, PrecisionAt: map[string]float64{}, RecallAt: map[string]float64{}}
	order := make([]int, n)
	for i := range order {
		order[i] = i
		if positive[i] {
			ev.Positives++
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		sa, sb := scores[a], scores[b]
		if na, nb := math.IsNaN(sa), math.IsNaN(sb); na != nb {
			if na {
				return 1
			}
			return -1
		}
		if sa != sb && !math.IsNaN(sa) {
			return cmp.Compare(sb, sa)
		}
		return cmp.Compare(ids[a], ids[b])
	})
	for _, rate := range InspectionRates {
		key := strconv.Itoa(rate)
		k := (rate*n + 99) / 100 // ceil(rate% × n)
		hits := 0
		for _, i := range order[:k] {
			if positive[i] {
				hits++
			}
		}
		ev.PrecisionAt[key], ev.RecallAt[key] = 0, 0
		if k > 0 {
			ev.PrecisionAt[key] = float64(hits) / float64(k)
		}
		if ev.Positives > 0 {
			ev.RecallAt[key] = float64(hits) / float64(ev.Positives)
		}
	}
	return ev
}
