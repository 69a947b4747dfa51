package gbt

// candidate is a leaf of the growing tree: its node, its rows (the window
// lo:hi of trainer.idx), its sums, its histogram while it may still be
// split, and its best split.
type candidate struct {
	node   int32
	lo, hi int
	depth  int
	g, h   float64
	hist   []hbin
	best   split
}

// splittable reports whether the candidate may be split further.
func (t *trainer) splittable(c *candidate) bool {
	return c.depth < t.p.MaxDepth && c.h >= 2*t.p.MinChildWeight && c.hi-c.lo >= 2
}

// grow builds one tree best-first: it splits the leaf of highest gain
// until no split gains more than MinGain, or MaxLeaves is reached. It
// leaves in t.leaves the final leaves with their rows.
func (t *trainer) grow() Tree {
	maxLeaves := t.p.MaxLeaves
	if maxLeaves == 0 {
		maxLeaves = 1 << min(t.p.MaxDepth, 30)
	}
	root := &candidate{lo: 0, hi: len(t.idx)}
	for _, r := range t.idx {
		root.g += t.gh[r].g
		root.h += t.gh[r].h
	}
	nodes := []Node{{Feature: -1, Cover: root.h}}
	t.binThr = t.binThr[:0]
	t.binThr = append(t.binThr, 0)
	var open []*candidate // leaves that may still be split
	t.leaves = append(t.leaves[:0], root)
	if t.splittable(root) {
		root.hist = t.getHist()
		t.histograms(root, nil)
		open = append(open, root)
	}
	leaves := 1
	values := []float64{t.leafValue(root.g, root.h)}
	for leaves < maxLeaves {
		// Pick the open leaf with the best split, the oldest among equals.
		bi := -1
		for i, c := range open {
			if c.best.feature >= 0 && c.best.gain > t.p.MinGain && (bi < 0 || c.best.gain > open[bi].best.gain) {
				bi = i
			}
		}
		if bi < 0 {
			break
		}
		c := open[bi]
		open = append(open[:bi], open[bi+1:]...)
		for i, lc := range t.leaves {
			if lc == c {
				t.leaves = append(t.leaves[:i], t.leaves[i+1:]...)
				break
			}
		}
		s := c.best
		mid := t.partition(c, s)
		l := &candidate{node: int32(len(nodes)), lo: c.lo, hi: mid, depth: c.depth + 1, g: s.gl, h: s.hl}
		r := &candidate{node: int32(len(nodes) + 1), lo: mid, hi: c.hi, depth: c.depth + 1, g: c.g - s.gl, h: c.h - s.hl}
		n := &nodes[c.node]
		n.Feature = s.feature
		n.Left, n.Right = l.node, r.node
		n.DefaultLeft = s.missLeft
		n.Threshold = t.data.cuts[s.feature][s.bin]
		n.Gain = s.gain
		t.binThr[c.node] = s.bin
		nodes = append(nodes, Node{Feature: -1, Cover: l.h}, Node{Feature: -1, Cover: r.h})
		t.binThr = append(t.binThr, 0, 0)
		values = append(values, t.leafValue(l.g, l.h), t.leafValue(r.g, r.h))
		t.leaves = append(t.leaves, l, r)
		leaves++
		// Histograms for the children that may be split: the smaller is
		// built from its rows, the larger by subtraction from the parent.
		lok, rok := t.splittable(l), t.splittable(r)
		switch {
		case lok && rok:
			small, large := l, r
			if r.hi-r.lo < l.hi-l.lo {
				small, large = r, l
			}
			large.hist = c.hist
			small.hist = t.getHist()
			t.histograms(small, large)
			open = append(open, l, r)
		case lok || rok:
			one := l
			if rok {
				one = r
			}
			one.hist = c.hist
			t.histograms(one, nil)
			open = append(open, one)
		default:
			t.putHist(c.hist)
		}
		c.hist = nil
	}
	for _, c := range open {
		t.putHist(c.hist)
	}
	for i := range nodes {
		nodes[i].Value = values[i]
	}
	return Tree{Nodes: nodes}
}

// leafValue is the shrunk Newton step of a node with sums g and h.
func (t *trainer) leafValue(g, h float64) float64 {
	return -g / (h + t.p.Lambda) * t.p.LearningRate
}

// partition reorders the rows of c so that those going left under s come
// first, keeping their order, and returns the index of the first right row.
func (t *trainer) partition(c *candidate, s split) int {
	col := t.data.cols[s.feature]
	rows := t.idx[c.lo:c.hi]
	nl, nr := 0, 0
	right := t.tmp
	for _, r := range rows {
		b := int(col[r])
		if (b == 0 && s.missLeft) || (b != 0 && b <= s.bin) {
			rows[nl] = r
			nl++
		} else {
			right[nr] = r
			nr++
		}
	}
	copy(rows[nl:], right[:nr])
	return c.lo + nl
}
