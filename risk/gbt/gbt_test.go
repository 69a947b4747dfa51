package gbt

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// synthetic makes n rows of nf uniform features in [0, 1) with labels
// from label, seeded.
func synthetic(n, nf int, seed uint64, label func(x []float64) bool) Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := Dataset{Cols: make([][]float64, nf), Labels: make([]float64, n)}
	for f := range d.Cols {
		d.Cols[f] = make([]float64, n)
	}
	x := make([]float64, nf)
	for i := range n {
		for f := range nf {
			x[f] = rng.Float64()
			d.Cols[f][i] = x[f]
		}
		if label(x) {
			d.Labels[i] = 1
		}
	}
	return d
}

// row returns row i of d.
func row(d Dataset, i int) []float64 {
	x := make([]float64, len(d.Cols))
	for f := range d.Cols {
		x[f] = d.Cols[f][i]
	}
	return x
}

// accuracy is the share of rows of d that e classifies right at 0.5.
func accuracy(e *Ensemble, d Dataset) float64 {
	ok := 0
	for i, y := range d.Labels {
		if (e.Predict(row(d, i)) > 0.5) == (y == 1) {
			ok++
		}
	}
	return float64(ok) / float64(len(d.Labels))
}

// logloss is the mean logistic loss of the first k trees of e on d.
func logloss(e *Ensemble, k int, d Dataset) float64 {
	sub := &Ensemble{Base: e.Base, Features: e.Features, Trees: e.Trees[:k]}
	s := 0.0
	for i, y := range d.Labels {
		p := math.Min(math.Max(sub.Predict(row(d, i)), 1e-15), 1-1e-15)
		s -= y*math.Log(p) + (1-y)*math.Log(1-p)
	}
	return s / float64(len(d.Labels))
}

func mustTrain(t *testing.T, d Dataset, p Params) *Ensemble {
	t.Helper()
	e, err := Train(context.Background(), d, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("trained ensemble does not validate: %v", err)
	}
	return e
}

func TestLearnsSyntheticFunctions(t *testing.T) {
	cases := []struct {
		name  string
		label func(x []float64) bool
		p     Params
		want  float64
	}{
		{"threshold", func(x []float64) bool { return x[2] > 0.3 }, Params{Trees: 20, LearningRate: 0.3, MaxDepth: 2}, 0.99},
		{"xor", func(x []float64) bool { return (x[0] > 0.5) != (x[1] > 0.5) }, Params{Trees: 50, LearningRate: 0.3, MaxDepth: 3}, 0.97},
		{"circle", func(x []float64) bool { return (x[0]-0.5)*(x[0]-0.5)+(x[3]-0.5)*(x[3]-0.5) < 0.1 }, Params{Trees: 200, LearningRate: 0.2, MaxDepth: 4}, 0.95},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			train := synthetic(4000, 5, 1, c.label)
			test := synthetic(2000, 5, 2, c.label)
			e := mustTrain(t, train, c.p)
			if acc := accuracy(e, test); acc < c.want {
				t.Errorf("test accuracy %.3f, want >= %.2f", acc, c.want)
			}
			prev := math.Inf(1)
			for k := 0; k <= len(e.Trees); k += len(e.Trees) / 5 {
				ll := logloss(e, k, train)
				if ll >= prev {
					t.Errorf("training logloss rose to %.4f at %d trees from %.4f", ll, k, prev)
				}
				prev = ll
			}
		})
	}
}

func TestMissingValuesGoTheWayThatGains(t *testing.T) {
	// Positive exactly when feature 0 is missing: only the default
	// direction can separate the classes.
	d := synthetic(2000, 2, 3, func(x []float64) bool { return false })
	for i := range d.Labels {
		if i%3 == 0 {
			d.Cols[0][i] = math.NaN()
			d.Labels[i] = 1
		}
	}
	e := mustTrain(t, d, Params{Trees: 20, LearningRate: 0.5, MaxDepth: 1})
	if p := e.Predict([]float64{math.NaN(), 0.5}); p < 0.95 {
		t.Errorf("P(missing) = %.3f, want > 0.95", p)
	}
	if p := e.Predict([]float64{0.42, 0.5}); p > 0.05 {
		t.Errorf("P(present) = %.3f, want < 0.05", p)
	}
}

func TestDeterministic(t *testing.T) {
	label := func(x []float64) bool { return x[0]+x[1]*x[2] > 0.7 }
	// Big enough for the top nodes' histograms to be built in parallel.
	d := synthetic(20000, 8, 4, label)
	for i := range d.Labels {
		if i%7 == 0 {
			d.Cols[1][i] = math.NaN()
		}
	}
	p := Params{Trees: 20, MaxDepth: 6, Subsample: 0.8, ColSample: 0.7, Seed: 42}
	a := mustTrain(t, d, p)
	for _, workers := range []int{1, 2, 5} {
		q := p
		q.Workers = workers
		if b := mustTrain(t, d, q); !reflect.DeepEqual(a, b) {
			t.Fatalf("training with %d workers gave a different model", workers)
		}
	}
	p.Seed = 43
	if c := mustTrain(t, d, p); reflect.DeepEqual(a, c) {
		t.Errorf("a different seed gave the same model under row and column sampling")
	}
}

func TestContributionsAddUpToRaw(t *testing.T) {
	d := synthetic(2000, 4, 5, func(x []float64) bool { return x[0] > 0.5 && x[3] < 0.8 })
	e := mustTrain(t, d, Params{Trees: 40, MaxDepth: 4})
	contrib := make([]float64, 4)
	for i := range 50 {
		x := row(d, i)
		clear(contrib)
		bias := e.Contributions(x, contrib)
		sum := bias
		for _, c := range contrib {
			sum += c
		}
		if raw := e.Raw(x); math.Abs(sum-raw) > 1e-9 {
			t.Fatalf("row %d: bias + contributions = %v, raw = %v", i, sum, raw)
		}
		if math.Abs(contrib[1])+math.Abs(contrib[2]) > math.Abs(contrib[0])+math.Abs(contrib[3]) {
			t.Errorf("row %d: noise features contribute more than the label's features: %v", i, contrib)
		}
	}
}

func TestMaxLeavesBoundsTrees(t *testing.T) {
	d := synthetic(3000, 4, 6, func(x []float64) bool { return x[0]*x[1] > x[2]*x[3] })
	e := mustTrain(t, d, Params{Trees: 10, MaxDepth: 10, MaxLeaves: 7})
	for i, tr := range e.Trees {
		leaves := 0
		for _, n := range tr.Nodes {
			if n.Leaf() {
				leaves++
			}
		}
		if leaves > 7 || leaves < 2 {
			t.Errorf("tree %d has %d leaves, want 2 to 7", i, leaves)
		}
	}
}

func TestTrainRefusesBadInput(t *testing.T) {
	good := synthetic(10, 2, 7, func(x []float64) bool { return x[0] > 0.5 })
	cases := []struct {
		name string
		d    Dataset
		p    Params
		want string
	}{
		{"no features", Dataset{Labels: []float64{0, 1}}, Params{}, "no features"},
		{"one class", Dataset{Cols: [][]float64{{1, 2, 3}}, Labels: []float64{1, 1, 1}}, Params{}, "both classes"},
		{"bad label", Dataset{Cols: [][]float64{{1, 2}}, Labels: []float64{0, 2}}, Params{}, "want 0 or 1"},
		{"ragged", Dataset{Cols: [][]float64{{1, 2}, {1}}, Labels: []float64{0, 1}}, Params{}, "feature 1 has 1 values"},
		{"bad rate", good, Params{LearningRate: 2}, "learning rate"},
		{"bad bins", good, Params{MaxBins: 300}, "max bins"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Train(context.Background(), c.d, c.p, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestTrainStopsWhenCancelled(t *testing.T) {
	d := synthetic(500, 2, 8, func(x []float64) bool { return x[0] > 0.5 })
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Train(ctx, d, Params{Trees: 100}, func(done, total int) {
		if done == 3 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestValidateRefusesBrokenTrees(t *testing.T) {
	leaf := Node{Feature: -1}
	cases := []struct {
		name string
		e    Ensemble
		want string
	}{
		{"no features", Ensemble{}, "0 features"},
		{"empty tree", Ensemble{Features: 1, Trees: []Tree{{}}}, "no nodes"},
		{"cycle", Ensemble{Features: 1, Trees: []Tree{{Nodes: []Node{{Feature: 0, Left: 0, Right: 1}, leaf}}}}, "child 0"},
		{"child out of range", Ensemble{Features: 1, Trees: []Tree{{Nodes: []Node{{Feature: 0, Left: 1, Right: 2}, leaf}}}}, "child 2"},
		{"feature out of range", Ensemble{Features: 1, Trees: []Tree{{Nodes: []Node{{Feature: 1, Left: 1, Right: 2}, leaf, leaf}}}}, "feature 1 of 1"},
		{"NaN value", Ensemble{Features: 1, Trees: []Tree{{Nodes: []Node{{Feature: -1, Value: math.NaN()}}}}}, "value NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.e.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestForestScoresAsEnsemble(t *testing.T) {
	label := func(x []float64) bool { return x[0]+x[1]*x[2] > 0.7 || x[3] < 0.1 }
	d := synthetic(3000, 5, 9, label)
	for i := range d.Labels {
		if i%5 == 0 {
			d.Cols[i%4][i] = math.NaN()
		}
	}
	for _, p := range []Params{
		{Trees: 37, MaxDepth: 12, MaxLeaves: 31},
		{Trees: 5, MaxDepth: 1},
		{Trees: 16, MaxDepth: 6, ColSample: 0.6, Seed: 3},
	} {
		e := mustTrain(t, d, p)
		fo := e.Compile()
		rng := rand.New(rand.NewPCG(10, 11))
		for i := range 2000 {
			x := row(d, i)
			if i%3 == 0 {
				x = []float64{rng.Float64(), rng.NormFloat64(), math.NaN(), rng.Float64() - 0.5, math.Inf(1 - 2*(i%2))}
			}
			if a, b := e.Raw(x), fo.Raw(x); a != b {
				t.Fatalf("params %+v row %v: ensemble %v, forest %v", p, x, a, b)
			}
		}
	}
}

func TestForestContributionsMatchEnsemble(t *testing.T) {
	d := synthetic(2000, 4, 12, func(x []float64) bool { return x[0] > 0.5 && x[3] < 0.8 })
	for i := range d.Labels {
		if i%6 == 0 {
			d.Cols[1][i] = math.NaN()
		}
	}
	for _, p := range []Params{{Trees: 40, MaxDepth: 7, MaxLeaves: 20}, {Trees: 20, MaxDepth: 30, MaxLeaves: 300, MinChildWeight: 0.01}} {
		checkForestContributions(t, d, mustTrain(t, d, p))
	}
}

func checkForestContributions(t *testing.T, d Dataset, e *Ensemble) {
	t.Helper()
	fo := e.Compile()
	a, b := make([]float64, 4), make([]float64, 4)
	for i := range min(300, len(d.Labels)) {
		x := row(d, i)
		clear(a)
		clear(b)
		ba := e.Contributions(x, a)
		bb, raw := fo.Contributions(x, b)
		if raw != e.Raw(x) {
			t.Fatalf("row %d: raw %v from the forest's contributions, %v from the ensemble", i, raw, e.Raw(x))
		}
		if math.Abs(ba-bb) > 1e-9 {
			t.Fatalf("row %d: bias %v from the ensemble, %v from the forest", i, ba, bb)
		}
		for f := range a {
			if math.Abs(a[f]-b[f]) > 1e-9 {
				t.Fatalf("row %d: contributions %v from the ensemble, %v from the forest", i, a, b)
			}
		}
	}
}

// chain is a tree of the given depth that tests feature 0 against 1, 2,
// ... in turn, each left child a leaf.
func chain(depth int) Tree {
	var nodes []Node
	for d := range depth {
		i := int32(len(nodes))
		nodes = append(nodes, Node{Feature: 0, Threshold: float64(d + 1), Left: i + 1, Right: i + 2, Value: float64(d) / 10, DefaultLeft: d%2 == 0})
		nodes = append(nodes, Node{Feature: -1, Value: -float64(d)})
	}
	// The last split's right child is the final leaf.
	nodes = append(nodes, Node{Feature: -1, Value: 7})
	return Tree{Nodes: nodes}
}

func TestForestHandlesDeepTrees(t *testing.T) {
	e := &Ensemble{Base: 0.5, Features: 2, Trees: []Tree{chain(40), chain(3), chain(35)}}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	d := Dataset{Cols: [][]float64{{0.5, 3.5, 20.5, 38, 100, math.NaN()}, {0, 0, 0, 0, 0, 0}}, Labels: []float64{0, 1, 0, 1, 0, 1}}
	for i := range d.Labels {
		if a, b := e.Raw(row(d, i)), e.Compile().Raw(row(d, i)); a != b {
			t.Fatalf("row %d: ensemble %v, forest %v", i, a, b)
		}
	}
	checkForestContributions(t, d, e)
}
