package features

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"crossguard"
)

// Category is a value of a categorical field seen in training: how many
// training declarations had it and how many of those were frauds.
type Category struct {
	Value  string
	Count  int32
	Frauds int32
}

// Vocab is the vocabulary of one categorical field: its training values
// from the most frequent to the least (equal counts by value), so that a
// value's index is its rank.
type Vocab struct {
	Field      string
	Categories []Category
	index      map[string]int32
}

// HSStats are the training statistics of one HS code (6 or 4 digits):
// its number of declarations with each measure defined, and the mean and
// standard deviation (with n-1) of the log1p of item price, net mass and
// value per kg. A mean is NaN without values, a standard deviation with
// fewer than two.
type HSStats struct {
	Code string
	N    [numMeasures]int32
	Mean [numMeasures]float64
	Std  [numMeasures]float64
}

// Encoder encodes declarations as feature vectors. Build one with Fit;
// after setting the exported fields of a decoded one, call Init.
type Encoder struct {
	Vocabs []Vocab     // one per categorical field, in feature order
	HS     [][]HSStats // per level of hsLevels (6 digits, then 4), sorted by code
	hsIdx  []map[string]int32
}

// Fit learns an encoder from training declarations and their fraud
// labels (frauds[i] for decls[i]; the labels only feed the counts that
// explanations quote, never a feature).
func Fit(decls []*crossguard.Declaration, frauds []bool) (*Encoder, error) {
	if len(decls) != len(frauds) {
		return nil, fmt.Errorf("features: %d declarations and %d labels", len(decls), len(frauds))
	}
	e := &Encoder{Vocabs: make([]Vocab, len(catFields))}
	for i, f := range catFields {
		counts := map[string]*Category{}
		for j, d := range decls {
			v := string(f.get(d))
			c := counts[v]
			if c == nil {
				c = &Category{Value: v}
				counts[v] = c
			}
			c.Count++
			if frauds[j] {
				c.Frauds++
			}
		}
		cats := make([]Category, 0, len(counts))
		for _, c := range counts {
			cats = append(cats, *c)
		}
		slices.SortFunc(cats, func(a, b Category) int {
			if a.Count != b.Count {
				return cmp.Compare(b.Count, a.Count)
			}
			return cmp.Compare(a.Value, b.Value)
		})
		e.Vocabs[i] = Vocab{Field: f.name, Categories: cats}
	}
	for _, n := range hsLevels {
		e.HS = append(e.HS, fitHSStats(decls, n))
	}
	if err := e.Init(); err != nil {
		return nil, err
	}
	return e, nil
}

// fitHSStats computes the statistics of HS codes cut to n digits, sorted
// by code.
func fitHSStats(decls []*crossguard.Declaration, n int) []HSStats {
	type acc struct {
		n      [numMeasures]int32
		sum    [numMeasures]float64
		values [numMeasures][]float64
	}
	by := map[string]*acc{}
	var m [numMeasures]float64
	for _, d := range decls {
		code := d.HSPrefix(n)
		a := by[code]
		if a == nil {
			a = &acc{}
			by[code] = a
		}
		measures(d, &m)
		for k, v := range m {
			if !math.IsNaN(v) {
				a.n[k]++
				a.sum[k] += v
				a.values[k] = append(a.values[k], v)
			}
		}
	}
	out := make([]HSStats, 0, len(by))
	for code, a := range by {
		s := HSStats{Code: code, N: a.n}
		for k := range numMeasures {
			s.Mean[k], s.Std[k] = math.NaN(), math.NaN()
			if a.n[k] == 0 {
				continue
			}
			mean := a.sum[k] / float64(a.n[k])
			s.Mean[k] = mean
			if a.n[k] > 1 {
				ss := 0.0
				for _, v := range a.values[k] {
					ss += (v - mean) * (v - mean)
				}
				s.Std[k] = math.Sqrt(ss / float64(a.n[k]-1))
			}
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b HSStats) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// measures sets m to the log1p of a declaration's item price, net mass
// and value per kg (NaN where undefined).
func measures(d *crossguard.Declaration, m *[numMeasures]float64) {
	m[measurePrice] = log1p(d.ItemPrice)
	m[measureMass] = log1p(d.NetMass)
	m[measureValuePerKg] = log1p(d.ValuePerKg())
}

// log1p is math.Log1p for non-negative finite values and NaN otherwise.
func log1p(v float64) float64 {
	if !(v >= 0) || math.IsInf(v, 1) {
		return math.NaN()
	}
	return math.Log1p(v)
}

// Init checks a decoded encoder and builds its lookup indexes.
func (e *Encoder) Init() error {
	if len(e.Vocabs) != len(catFields) {
		return fmt.Errorf("features: %d vocabularies, want %d", len(e.Vocabs), len(catFields))
	}
	for i := range e.Vocabs {
		v := &e.Vocabs[i]
		if v.Field != catFields[i].name {
			return fmt.Errorf("features: vocabulary %d is of %q, want %q", i, v.Field, catFields[i].name)
		}
		v.index = make(map[string]int32, len(v.Categories))
		for j, c := range v.Categories {
			if _, dup := v.index[c.Value]; dup {
				return fmt.Errorf("features: %s value %q appears twice", v.Field, c.Value)
			}
			if c.Count < 1 || c.Frauds < 0 || c.Frauds > c.Count {
				return fmt.Errorf("features: %s value %q has %d frauds of %d", v.Field, c.Value, c.Frauds, c.Count)
			}
			v.index[c.Value] = int32(j)
		}
	}
	if len(e.HS) != len(hsLevels) {
		return fmt.Errorf("features: HS statistics at %d levels, want %d", len(e.HS), len(hsLevels))
	}
	e.hsIdx = make([]map[string]int32, len(hsLevels))
	for l, stats := range e.HS {
		idx := make(map[string]int32, len(stats))
		for j, s := range stats {
			if _, dup := idx[s.Code]; dup {
				return fmt.Errorf("features: HS code %q appears twice", s.Code)
			}
			idx[s.Code] = int32(j)
		}
		e.hsIdx[l] = idx
	}
	return nil
}
