package profiles

import (
	"cmp"
	"math"
	"slices"
)

// interval is the range anchor of one profile: the values of a number
// field it admits, with open or closed ends.
type interval struct {
	lo, hi         float64
	loOpen, hiOpen bool
	rank           int32
}

// contains reports whether x is within the interval; never for NaN.
func (iv *interval) contains(x float64) bool {
	return iv.aboveLo(x) && iv.belowHi(x)
}

func (iv *interval) aboveLo(x float64) bool { return x > iv.lo || (x == iv.lo && !iv.loOpen) }
func (iv *interval) belowHi(x float64) bool { return x < iv.hi || (x == iv.hi && !iv.hiOpen) }

// point returns a number within the interval, or false if no float lies
// within it.
func (iv *interval) point() (float64, bool) {
	for _, x := range []float64{iv.lo, iv.hi, math.Nextafter(iv.lo, math.Inf(1)), math.Nextafter(iv.hi, math.Inf(-1)), iv.lo/2 + iv.hi/2} {
		if iv.contains(x) {
			return x, true
		}
	}
	return 0, false
}

// itree is a centred interval tree, stored flat: a stabbing query walks a
// single path from the root and reports each interval containing the
// value, in O(log n + hits).
type itree struct {
	nodes []inode
}

// inode holds the intervals containing its centre, sorted by lower end
// (closed ends first among equals) and by upper end descending (closed
// ends first among equals), so that those containing a value on either
// side of the centre are a prefix of one of the lists.
type inode struct {
	centre      float64
	byLo, byHi  []interval
	left, right int32
}

// newITree builds a tree; intervals no float lies within are dropped, as
// no value can meet them.
func newITree(ivs []interval) *itree {
	t := &itree{}
	ivs = slices.DeleteFunc(slices.Clone(ivs), func(iv interval) bool { _, ok := iv.point(); return !ok })
	t.build(ivs)
	return t
}

// build adds a subtree for ivs and returns its node index, -1 if empty.
func (t *itree) build(ivs []interval) int32 {
	if len(ivs) == 0 {
		return -1
	}
	slices.SortFunc(ivs, func(a, b interval) int { return cmp.Compare(a.lo, b.lo) })
	centre, _ := ivs[len(ivs)/2].point()
	var here, left, right []interval
	for _, iv := range ivs {
		switch {
		case iv.contains(centre):
			here = append(here, iv)
		case iv.belowHi(centre):
			right = append(right, iv)
		default:
			left = append(left, iv)
		}
	}
	n := inode{centre: centre, byLo: here, byHi: slices.Clone(here)}
	slices.SortStableFunc(n.byLo, func(a, b interval) int {
		if c := cmp.Compare(a.lo, b.lo); c != 0 {
			return c
		}
		return cmpBool(a.loOpen, b.loOpen)
	})
	slices.SortStableFunc(n.byHi, func(a, b interval) int {
		if c := cmp.Compare(b.hi, a.hi); c != 0 {
			return c
		}
		return cmpBool(a.hiOpen, b.hiOpen)
	})
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, n)
	l := t.build(left)
	r := t.build(right)
	t.nodes[id].left, t.nodes[id].right = l, r
	return id
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// stab appends the ranks of the intervals containing x to out.
func (t *itree) stab(x float64, out []int32) []int32 {
	if x != x || len(t.nodes) == 0 {
		return out
	}
	for i := int32(0); i >= 0; {
		n := &t.nodes[i]
		switch {
		case x < n.centre:
			for k := range n.byLo {
				if !n.byLo[k].aboveLo(x) {
					break
				}
				out = append(out, n.byLo[k].rank)
			}
			i = n.left
		case x > n.centre:
			for k := range n.byHi {
				if !n.byHi[k].belowHi(x) {
					break
				}
				out = append(out, n.byHi[k].rank)
			}
			i = n.right
		default:
			for k := range n.byLo {
				out = append(out, n.byLo[k].rank)
			}
			return out
		}
	}
	return out
}
