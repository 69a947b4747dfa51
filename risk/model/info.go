package model

import (
	"cmp"
	"math"
	"slices"

	"crossguard/risk/features"
	"crossguard/risk/gbt"
)

// countLeaves counts the leaves of a tree.
func countLeaves(t gbt.Tree) int {
	n := 0
	for _, nd := range t.Nodes {
		if nd.Leaf() {
			n++
		}
	}
	return n
}

// treeDepth is the depth of the deepest leaf of a tree (a lone root has
// depth 0). Children come after their parent, so one pass suffices.
func treeDepth(t gbt.Tree) int {
	depth := make([]int, len(t.Nodes))
	deepest := 0
	for i, n := range t.Nodes {
		if n.Leaf() {
			deepest = max(deepest, depth[i])
			continue
		}
		depth[n.Left] = depth[i] + 1
		depth[n.Right] = depth[i] + 1
	}
	return deepest
}

// FeatureGain is a feature's share of the total gain of a model's splits.
type FeatureGain struct {
	Feature string  `json:"feature"`
	Share   float64 `json:"share"`
}

// topFeatures returns the n features of highest gain with their share of
// the total.
func topFeatures(gain []float64, n int) []FeatureGain {
	names := features.Names()
	total := 0.0
	for _, g := range gain {
		total += g
	}
	out := make([]FeatureGain, 0, len(gain))
	for f, g := range gain {
		if g > 0 && total > 0 {
			out = append(out, FeatureGain{names[f], math.Round(g/total*1000) / 1000})
		}
	}
	slices.SortStableFunc(out, func(a, b FeatureGain) int { return cmp.Compare(b.Share, a.Share) })
	return out[:min(n, len(out))]
}
