package gbt

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Dataset is a training set: Cols[f][i] is feature f of row i (NaN when
// missing) and Labels[i] is 1 for a positive row and 0 for a negative one.
type Dataset struct {
	Cols   [][]float64
	Labels []float64
}

// rows checks the shape of d and returns its number of rows.
func (d Dataset) rows() (int, error) {
	n := len(d.Labels)
	if len(d.Cols) == 0 {
		return 0, errors.New("gbt: no features")
	}
	if len(d.Cols) > math.MaxInt32 {
		return 0, fmt.Errorf("gbt: %d features is too many", len(d.Cols))
	}
	if n < 2 || n > math.MaxInt32 {
		return 0, fmt.Errorf("gbt: %d rows, want 2 to %d", n, math.MaxInt32)
	}
	for f, c := range d.Cols {
		if len(c) != n {
			return 0, fmt.Errorf("gbt: feature %d has %d values for %d labels", f, len(c), n)
		}
	}
	pos := 0
	for i, y := range d.Labels {
		switch y {
		case 1:
			pos++
		case 0:
		default:
			return 0, fmt.Errorf("gbt: label of row %d is %v, want 0 or 1", i, y)
		}
	}
	if pos == 0 || pos == n {
		return 0, fmt.Errorf("gbt: %d positive rows of %d; training needs both classes", pos, n)
	}
	return n, nil
}

// Train fits an ensemble to d with the logistic loss. progress, if not
// nil, is called after each tree with the number of trees done and the
// total. Training stops with ctx's error when ctx is done.
func Train(ctx context.Context, d Dataset, p Params, progress func(done, total int)) (*Ensemble, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.withDefaults()
	n, err := d.rows()
	if err != nil {
		return nil, err
	}
	t := newTrainer(quantise(d.Cols, n, p.MaxBins), p)
	pos := 0.0
	for _, y := range d.Labels {
		pos += y
	}
	base := math.Log(pos / (float64(n) - pos))
	e := &Ensemble{Base: base, Features: len(d.Cols), Trees: make([]Tree, 0, p.Trees)}
	raw := make([]float64, n)
	for i := range raw {
		raw[i] = base
	}
	rng := rand.New(rand.NewPCG(uint64(p.Seed), 0x9e3779b97f4a7c15))
	for k := 0; k < p.Trees; k++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("gbt: training stopped after %d trees: %w", k, err)
		}
		for i, y := range d.Labels {
			pr := Sigmoid(raw[i])
			t.gh[i] = hbin{g: pr - y, h: max(pr*(1-pr), 1e-16)}
		}
		t.sample(rng)
		tree := t.grow()
		t.update(&tree, raw)
		e.Trees = append(e.Trees, tree)
		if progress != nil {
			progress(k+1, p.Trees)
		}
	}
	return e, nil
}

// trainer holds the state shared by the trees of one training.
type trainer struct {
	p        Params
	data     *binned
	off      []int // off[f] is the start of feature f in a histogram
	histLen  int
	gh       []hbin  // gradient and hessian of each row
	idx      []int32 // the rows of the tree, partitioned by node
	tmp      []int32
	features []int   // features the current tree may split on
	blocks   [][]int // features split into one block per worker
	bestA    []split
	bestB    []split
	pool     [][]hbin
	binThr   []int        // bin threshold of each split node of the current tree
	leaves   []*candidate // leaves of the current tree, with their rows
}

func newTrainer(data *binned, p Params) *trainer {
	nf := data.features
	t := &trainer{p: p, data: data, off: make([]int, nf),
		gh:  make([]hbin, data.rows),
		idx: make([]int32, 0, data.rows), tmp: make([]int32, data.rows),
		bestA: make([]split, nf), bestB: make([]split, nf)}
	for f := range nf {
		t.off[f] = t.histLen
		t.histLen += data.nbins(f) + 1
	}
	return t
}

// sample draws the rows and features of the next tree.
func (t *trainer) sample(rng *rand.Rand) {
	t.idx = t.idx[:0]
	for i := 0; i < t.data.rows; i++ {
		if t.p.Subsample >= 1 || rng.Float64() < t.p.Subsample {
			t.idx = append(t.idx, int32(i))
		}
	}
	if len(t.idx) == 0 {
		t.idx = append(t.idx, int32(rng.IntN(t.data.rows)))
	}
	nf := t.data.features
	t.features = t.features[:0]
	if t.p.ColSample >= 1 {
		for f := range nf {
			t.features = append(t.features, f)
		}
	} else {
		k := max(1, int(math.Round(t.p.ColSample*float64(nf))))
		chosen := make([]bool, nf)
		for _, f := range rng.Perm(nf)[:k] {
			chosen[f] = true
		}
		for f := range nf {
			if chosen[f] {
				t.features = append(t.features, f)
			}
		}
	}
	// Blocks of about equal numbers of bins, one per worker.
	t.blocks = t.blocks[:0]
	total := 0
	for _, f := range t.features {
		total += t.data.nbins(f) + 1
	}
	w := min(t.p.Workers, len(t.features))
	start, acc := 0, 0
	for i, f := range t.features {
		acc += t.data.nbins(f) + 1
		if acc*w >= total*(len(t.blocks)+1) || i == len(t.features)-1 {
			t.blocks = append(t.blocks, t.features[start:i+1])
			start = i + 1
		}
	}
}

// getHist returns a histogram buffer from the pool.
func (t *trainer) getHist() []hbin {
	if n := len(t.pool); n > 0 {
		h := t.pool[n-1]
		t.pool = t.pool[:n-1]
		return h
	}
	return make([]hbin, t.histLen)
}

// putHist returns a histogram buffer to the pool.
func (t *trainer) putHist(h []hbin) {
	if h != nil {
		t.pool = append(t.pool, h)
	}
}

// update adds the tree's values to the raw scores of every row: the rows
// the tree was grown on by the leaf they ended in, the others by routing
// them by their bins exactly as the thresholds route values.
func (t *trainer) update(tree *Tree, raw []float64) {
	nodes := tree.Nodes
	for _, c := range t.leaves {
		v := nodes[c.node].Value
		for _, r := range t.idx[c.lo:c.hi] {
			raw[r] += v
		}
	}
	if len(t.idx) == len(raw) {
		return
	}
	sampled := make([]bool, len(raw))
	for _, r := range t.idx {
		sampled[r] = true
	}
	for r := range raw {
		if sampled[r] {
			continue
		}
		i := 0
		for nodes[i].Feature >= 0 {
			n := &nodes[i]
			b := int(t.data.cols[n.Feature][r])
			if (b == 0 && n.DefaultLeft) || (b != 0 && b <= t.binThr[i]) {
				i = int(n.Left)
			} else {
				i = int(n.Right)
			}
		}
		raw[r] += nodes[i].Value
	}
}
