package model

import (
	"cmp"
	"math"
	"slices"

	"crossguard"
	"crossguard/risk/features"
	"crossguard/risk/gbt"
)

// Contribution is how much one declaration field moved a declaration's
// score, in log-odds (positive: towards fraud). Feature is the field's
// name as profiles use it (hs6_code, value_per_kg, ...) and Value the
// declaration's value in words with what the model knew of it, such as
// "country_of_origin=TR (past fraud rate 0.27 over 91)".
type Contribution struct {
	Feature      string  `json:"feature"`
	Value        string  `json:"value"`
	Contribution float64 `json:"contribution"`
}

// Explain returns the score of a declaration and the k fields that moved
// it most, largest absolute contribution first. Contributions are Saabas
// path attributions summed over the features of each field; with a bias
// that is the same for every declaration they add up to the score's
// log-odds. The score is exactly Score's.
func (m *Model) Explain(d *crossguard.Declaration, k int) (float64, []Contribution) {
	var xb, cb [features.MaxFeatures]float64
	nf := features.NumFeatures()
	x, contrib := xb[:nf], cb[:nf]
	m.enc.Encode(d, x)
	_, raw := m.forest.Contributions(x, contrib)
	groups := features.Groups()
	byGroup := make([]float64, len(groups))
	for f, c := range contrib {
		byGroup[features.GroupOf(f)] += c
	}
	order := make([]int, 0, len(groups))
	for g, c := range byGroup {
		if c != 0 {
			order = append(order, g)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(math.Abs(byGroup[b]), math.Abs(byGroup[a])); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if k < 0 {
		k = 0
	}
	out := make([]Contribution, 0, min(k, len(order)))
	for _, g := range order[:min(k, len(order))] {
		out = append(out, Contribution{Feature: groups[g], Value: m.enc.Describe(d, g), Contribution: byGroup[g]})
	}
	return gbt.Sigmoid(raw), out
}
