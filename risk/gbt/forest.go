package gbt

import "math"

// Forest is an ensemble laid out for fast scoring: every node in 24
// bytes, the nodes of each tree breadth first so that the levels every row
// visits share cache lines, and trees walked several at a time without
// branches, so that the processor waits for several memory loads at once
// instead of one after another. Its Raw equals the Ensemble's, bit for
// bit, for finite and missing values.
type Forest struct {
	base     float64
	features int
	nodes    []fnode
	roots    []int32
	steps    []int32 // steps[g] walks every tree of group g to its leaf
}

// fnode is a node of a Forest. A row goes to child when its value of
// feature is <= threshold and to child+1 otherwise. Feature indexes a
// vector with two copies of each value, missing values made -Inf in the
// first (so that they go left) and +Inf in the second (right), the copy
// chosen by the node's default direction. A leaf points to itself with an
// infinite threshold, so that walking on from it stays there.
type fnode struct {
	threshold float64
	value     float64 // Node.Value
	child     int32
	feature   int32
}

// group is the number of trees walked together.
const group = 16

// Compile lays e out as a Forest. e must be valid (see Validate).
func (e *Ensemble) Compile() *Forest {
	fo := &Forest{base: e.Base, features: e.Features}
	for _, t := range e.Trees {
		fo.addTree(t)
	}
	for g := 0; g < len(e.Trees); g += group {
		deepest := 0
		for _, t := range e.Trees[g:min(g+group, len(e.Trees))] {
			deepest = max(deepest, depthOf(t))
		}
		fo.steps = append(fo.steps, int32(deepest))
	}
	return fo
}

// depthOf is the depth of a tree's deepest leaf.
func depthOf(t Tree) int {
	depth := make([]int, len(t.Nodes))
	deepest := 0
	for i, n := range t.Nodes {
		if n.Feature < 0 {
			deepest = max(deepest, depth[i])
			continue
		}
		depth[n.Left] = depth[i] + 1
		depth[n.Right] = depth[i] + 1
	}
	return deepest
}

// addTree appends a tree's nodes breadth first, each split's children
// side by side.
func (fo *Forest) addTree(t Tree) {
	base := int32(len(fo.nodes))
	fo.roots = append(fo.roots, base)
	// queue holds tree node indexes in the order they are laid out.
	queue := []int32{0}
	for k := 0; k < len(queue); k++ {
		n := t.Nodes[queue[k]]
		at := base + int32(k)
		if n.Feature < 0 {
			fo.nodes = append(fo.nodes, fnode{threshold: math.Inf(1), value: n.Value, child: at})
			continue
		}
		f := 2 * n.Feature
		if !n.DefaultLeft {
			f++
		}
		child := base + int32(len(queue))
		queue = append(queue, n.Left, n.Right)
		fo.nodes = append(fo.nodes, fnode{threshold: clampInf(n.Threshold), value: n.Value, child: child, feature: f})
	}
}

// clampInf maps the infinities to the largest finite numbers, so that a
// missing value made infinite falls on the side it should of any
// threshold.
func clampInf(v float64) float64 {
	switch {
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}

// expand writes into buf (or a new slice if buf is too short) the two
// copies of each value of x that the nodes index.
func (fo *Forest) expand(x []float64, buf []float64) []float64 {
	var xx []float64
	if 2*fo.features <= len(buf) {
		xx = buf[:2*fo.features]
	} else {
		xx = make([]float64, 2*fo.features)
	}
	for f, v := range x[:fo.features] {
		if v != v {
			xx[2*f], xx[2*f+1] = math.Inf(-1), math.Inf(1)
		} else {
			v = clampInf(v)
			xx[2*f], xx[2*f+1] = v, v
		}
	}
	return xx
}

// Raw returns the log-odds score of a row of Features values (NaN for
// missing ones), as Ensemble.Raw does. It does not allocate for up to 64
// features.
func (fo *Forest) Raw(x []float64) float64 {
	var buf [128]float64
	xx := fo.expand(x, buf[:])
	s := fo.base
	nodes := fo.nodes
	var at [group]int32
	for g, steps := range fo.steps {
		roots := fo.roots[g*group : min(g*group+group, len(fo.roots))]
		copy(at[:], roots)
		for range steps {
			for k := range roots {
				n := &nodes[at[k]]
				next := n.child
				if !(xx[n.feature] <= n.threshold) {
					next++
				}
				at[k] = next
			}
		}
		for k := range roots {
			s += nodes[at[k]].value
		}
	}
	return s
}

// Contributions is Ensemble.Contributions on the forest: it adds to
// contrib[f] the Saabas attribution of each feature f for row x and
// returns the bias, and the raw score, equal to Raw's bit for bit. The
// attributions may differ from the Ensemble's in the last bits, being
// summed in another order.
func (fo *Forest) Contributions(x []float64, contrib []float64) (bias, raw float64) {
	var buf [128]float64
	xx := fo.expand(x, buf[:])
	_ = contrib[fo.features-1]
	bias, raw = fo.base, fo.base
	nodes := fo.nodes
	var at [group]int32
	// The walk only traces each move (from, to); the contributions are
	// added after the group, from nodes the walk brought into the cache.
	// Adding during the walk would wait on each child's value and make
	// the trees already at their leaf add zeros to one slot.
	var from, to [group * maxTraceSteps]int32
	for g, steps := range fo.steps {
		roots := fo.roots[g*group : min(g*group+group, len(fo.roots))]
		for _, r := range roots {
			bias += nodes[r].value
		}
		if steps > maxTraceSteps {
			for _, r := range roots {
				raw += nodes[fo.walk(xx, r, contrib)].value
			}
			continue
		}
		copy(at[:], roots)
		t := 0
		for range steps {
			for k := range roots {
				i := at[k]
				n := &nodes[i]
				next := n.child
				if !(xx[n.feature] <= n.threshold) {
					next++
				}
				from[t], to[t] = i, next
				// Keep the entry only if the walk moved: t += (next != i).
				moved := uint32(next ^ i)
				t += int((moved | -moved) >> 31)
				at[k] = next
			}
		}
		for j := range t {
			a := &nodes[from[j]]
			contrib[a.feature>>1] += nodes[to[j]].value - a.value
		}
		for k := range roots {
			raw += nodes[at[k]].value
		}
	}
	return bias, raw
}

// maxTraceSteps bounds the depth of the groups whose contributions are
// traced; deeper ones are walked one tree at a time.
const maxTraceSteps = 32

// walk adds the contributions of one tree, from node i, to contrib and
// returns the leaf it reaches.
func (fo *Forest) walk(xx []float64, i int32, contrib []float64) int32 {
	nodes := fo.nodes
	for {
		n := &nodes[i]
		next := n.child
		if !(xx[n.feature] <= n.threshold) {
			next++
		}
		if next == i {
			return i
		}
		contrib[n.feature>>1] += nodes[next].value - n.value
		i = next
	}
}

// Predict returns the probability of the positive class for a row.
func (fo *Forest) Predict(x []float64) float64 { return Sigmoid(fo.Raw(x)) }
