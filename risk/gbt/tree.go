package gbt

import (
	"fmt"
	"math"
)

// Node is a node of a tree. A split node (Feature >= 0) sends a row left
// when its value of Feature is <= Threshold, right when it is greater, and
// the way DefaultLeft says when it is missing (NaN). A leaf has Feature
// -1. Value is the node's contribution to the log-odds had growth stopped
// there (the leaf value, for a leaf); Saabas attributions are the changes
// of Value along a row's path. Cover is the sum of hessians of the
// training rows that reached the node, and Gain the loss reduction of its
// split.
type Node struct {
	Feature     int32
	Left, Right int32
	DefaultLeft bool
	Threshold   float64
	Value       float64
	Cover       float64
	Gain        float64
}

// Leaf reports whether the node is a leaf.
func (n *Node) Leaf() bool { return n.Feature < 0 }

// Tree is a regression tree on the log-odds scale; Nodes[0] is the root
// and children always come after their parent.
type Tree struct {
	Nodes []Node
}

// Ensemble is a trained model: a raw log-odds score is Base plus the
// value of the leaf each tree sends a row to.
type Ensemble struct {
	Base     float64
	Features int // number of features a row has
	Trees    []Tree
}

// leaf returns the index of the leaf the row x reaches.
func (t *Tree) leaf(x []float64) int {
	i := 0
	nodes := t.Nodes
	for {
		n := &nodes[i]
		if n.Feature < 0 {
			return i
		}
		v := x[n.Feature]
		switch {
		case v <= n.Threshold:
			i = int(n.Left)
		case v > n.Threshold:
			i = int(n.Right)
		case n.DefaultLeft: // NaN
			i = int(n.Left)
		default:
			i = int(n.Right)
		}
	}
}

// Raw returns the log-odds score of a row of e.Features values (NaN for
// missing ones). It panics if x is shorter than e.Features.
func (e *Ensemble) Raw(x []float64) float64 {
	_ = x[e.Features-1]
	s := e.Base
	for t := range e.Trees {
		tr := &e.Trees[t]
		s += tr.Nodes[tr.leaf(x)].Value
	}
	return s
}

// Predict returns the probability of the positive class for a row.
func (e *Ensemble) Predict(x []float64) float64 { return Sigmoid(e.Raw(x)) }

// Sigmoid maps log-odds to a probability.
func Sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Contributions adds to contrib[f] the Saabas attribution of every feature
// f for row x (how much the splits on f moved the row's log-odds along its
// path through each tree) and returns the bias: Base plus the trees' root
// values. The bias plus the sum of contrib equals Raw(x) up to rounding.
// contrib must have e.Features entries.
func (e *Ensemble) Contributions(x []float64, contrib []float64) float64 {
	_ = x[e.Features-1]
	_ = contrib[e.Features-1]
	bias := e.Base
	for t := range e.Trees {
		nodes := e.Trees[t].Nodes
		i := 0
		bias += nodes[0].Value
		for nodes[i].Feature >= 0 {
			n := &nodes[i]
			v := x[n.Feature]
			var next int
			switch {
			case v <= n.Threshold:
				next = int(n.Left)
			case v > n.Threshold:
				next = int(n.Right)
			case n.DefaultLeft:
				next = int(n.Left)
			default:
				next = int(n.Right)
			}
			contrib[n.Feature] += nodes[next].Value - n.Value
			i = next
		}
	}
	return bias
}

// Validate checks that the ensemble is well formed, so that Raw cannot
// fail on it: every tree has nodes, children come after their parent and
// within the tree, every feature index is below Features, and no number is
// NaN where it matters.
func (e *Ensemble) Validate() error {
	if e.Features < 1 {
		return fmt.Errorf("gbt: ensemble has %d features", e.Features)
	}
	if math.IsNaN(e.Base) || math.IsInf(e.Base, 0) {
		return fmt.Errorf("gbt: base score is %v", e.Base)
	}
	for t, tr := range e.Trees {
		if len(tr.Nodes) == 0 {
			return fmt.Errorf("gbt: tree %d has no nodes", t)
		}
		for i, n := range tr.Nodes {
			if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
				return fmt.Errorf("gbt: tree %d node %d has value %v", t, i, n.Value)
			}
			if n.Feature < 0 {
				if n.Feature != -1 {
					return fmt.Errorf("gbt: tree %d node %d has feature %d", t, i, n.Feature)
				}
				continue
			}
			if int(n.Feature) >= e.Features {
				return fmt.Errorf("gbt: tree %d node %d splits on feature %d of %d", t, i, n.Feature, e.Features)
			}
			if math.IsNaN(n.Threshold) {
				return fmt.Errorf("gbt: tree %d node %d has a NaN threshold", t, i)
			}
			for _, c := range []int32{n.Left, n.Right} {
				if int(c) <= i || int(c) >= len(tr.Nodes) {
					return fmt.Errorf("gbt: tree %d node %d has child %d", t, i, c)
				}
			}
		}
	}
	return nil
}
