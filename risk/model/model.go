// Package model is crossguard's learned fraud model: training on
// inspected declarations, scoring, explanations of a score, evaluation
// at inspection rates, and the model file.
//
// A model is a feature encoder (package features) and an ensemble of
// gradient-boosted trees (package gbt) trained with the logistic loss, so
// that a score is a fraud probability. Training is deterministic for a
// given seed: two trainings on the same examples with the same options
// write the same file, byte for byte.
package model

import (
	"context"
	"fmt"
	"math"
	"time"

	"crossguard"
	"crossguard/risk/features"
	"crossguard/risk/gbt"
)

// MinTrainingRows is the least number of examples Train accepts.
const MinTrainingRows = 10

// Example is a labelled declaration to train on.
type Example struct {
	Decl  *crossguard.Declaration
	Label crossguard.Label
}

// Options are the options of training. Zero hyper-parameters take the
// defaults of DefaultOptions.
type Options struct {
	// Seed drives row and feature sampling; the same seed gives the same
	// model.
	Seed int64
	// Progress, if not nil, is called as training goes: stage "encode"
	// then "train" with the trees done of the total.
	Progress func(stage string, done, total int)

	Trees          int     // boosting rounds
	LearningRate   float64 // shrinkage of each tree
	MaxLeaves      int     // leaves per tree
	MaxDepth       int     // depth bound of a tree
	MinChildWeight float64 // least hessian sum in a leaf
	Lambda         float64 // L2 penalty on leaf values
	Subsample      float64 // fraction of rows per tree
	ColSample      float64 // fraction of features per tree
	MaxBins        int     // histogram bins per feature, at most 255
	// Workers is the number of goroutines building histograms (0:
	// GOMAXPROCS); it does not change the model.
	Workers int
}

// DefaultOptions returns the hyper-parameters used for zero fields. They
// were chosen on time splits inside the training file (train on its first
// six or nine months, validate on the last three, then confirmed on the
// next three months): deep, leaf-wise trees, because fraud in the
// declarations follows fine combinations of goods, origins and declared
// values; every row in every tree, because row sampling lost precision;
// half the features per tree, which lost none and halves the training
// time. Depth 12 and 150 trees keep a score near 3 µs; 300 deeper trees
// gained under a point of precision at several times the scoring cost.
func DefaultOptions() Options {
	return Options{
		Trees:          150,
		LearningRate:   0.2,
		MaxLeaves:      255,
		MaxDepth:       12,
		MinChildWeight: 1,
		Lambda:         1,
		Subsample:      1,
		ColSample:      0.5,
		MaxBins:        255,
	}
}

// params turns options into learner parameters, defaults filled in.
func (o Options) params() gbt.Params {
	d := DefaultOptions()
	pick := func(v, def float64) float64 {
		if v == 0 {
			return def
		}
		return v
	}
	pickInt := func(v, def int) int {
		if v == 0 {
			return def
		}
		return v
	}
	return gbt.Params{
		Trees:          pickInt(o.Trees, d.Trees),
		LearningRate:   pick(o.LearningRate, d.LearningRate),
		MaxLeaves:      pickInt(o.MaxLeaves, d.MaxLeaves),
		MaxDepth:       pickInt(o.MaxDepth, d.MaxDepth),
		MinChildWeight: pick(o.MinChildWeight, d.MinChildWeight),
		Lambda:         pick(o.Lambda, d.Lambda),
		Subsample:      pick(o.Subsample, d.Subsample),
		ColSample:      pick(o.ColSample, d.ColSample),
		MaxBins:        pickInt(o.MaxBins, d.MaxBins),
		Seed:           o.Seed,
		Workers:        o.Workers,
	}
}

// Model is a trained fraud model. It is safe for concurrent use.
type Model struct {
	enc    *features.Encoder
	ens    *gbt.Ensemble
	forest *gbt.Forest // ens laid out for scoring
	meta   meta
	// trainSeconds is how long Train took; 0 for a model read from a file.
	trainSeconds float64
}

// meta is what a model file records about its training.
type meta struct {
	Seed        int64      `json:"seed"`
	TrainedRows int        `json:"trained_rows"`
	Positives   int        `json:"positives"`
	Params      gbt.Params `json:"params"`
}

// Train fits a model to labelled declarations. It fails if there are
// fewer than MinTrainingRows examples, no frauds or no non-frauds, or a
// nil declaration.
func Train(ctx context.Context, ex []Example, opt Options) (*Model, error) {
	start := time.Now()
	if len(ex) < MinTrainingRows {
		return nil, fmt.Errorf("model: %d labelled declarations, training needs at least %d", len(ex), MinTrainingRows)
	}
	p := opt.params()
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	decls := make([]*crossguard.Declaration, len(ex))
	frauds := make([]bool, len(ex))
	pos := 0
	for i, e := range ex {
		if e.Decl == nil {
			return nil, fmt.Errorf("model: example %d has no declaration", i)
		}
		decls[i] = e.Decl
		frauds[i] = e.Label.Positive()
		if frauds[i] {
			pos++
		}
	}
	switch {
	case pos == 0:
		return nil, fmt.Errorf("model: none of the %d labelled declarations is a fraud; training needs both frauds and non-frauds", len(ex))
	case pos == len(ex):
		return nil, fmt.Errorf("model: all %d labelled declarations are frauds; training needs both frauds and non-frauds", len(ex))
	}
	progress := func(stage string, done, total int) {
		if opt.Progress != nil {
			opt.Progress(stage, done, total)
		}
	}
	progress("encode", 0, 1)
	enc, err := features.Fit(decls, frauds)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	data := encodeAll(enc, decls, frauds)
	progress("encode", 1, 1)
	ens, err := gbt.Train(ctx, data, p, func(done, total int) { progress("train", done, total) })
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	p.Workers = 0 // not part of the model
	m := &Model{enc: enc, ens: ens, forest: ens.Compile(), meta: meta{Seed: opt.Seed, TrainedRows: len(ex), Positives: pos, Params: p}}
	m.trainSeconds = time.Since(start).Seconds()
	return m, nil
}

// encodeAll encodes declarations into a column-major training set.
func encodeAll(enc *features.Encoder, decls []*crossguard.Declaration, frauds []bool) gbt.Dataset {
	nf := features.NumFeatures()
	d := gbt.Dataset{Cols: make([][]float64, nf), Labels: make([]float64, len(decls))}
	for f := range d.Cols {
		d.Cols[f] = make([]float64, len(decls))
	}
	x := make([]float64, nf)
	for i, decl := range decls {
		enc.Encode(decl, x)
		for f, v := range x {
			d.Cols[f][i] = v
		}
		if frauds[i] {
			d.Labels[i] = 1
		}
	}
	return d
}

// Score returns the fraud probability of a declaration, in [0, 1]. It
// does not allocate.
func (m *Model) Score(d *crossguard.Declaration) float64 {
	var buf [features.MaxFeatures]float64
	x := buf[:features.NumFeatures()]
	m.enc.Encode(d, x)
	return m.forest.Predict(x)
}

// Info describes the model for an analyst: its size, its training and
// the features that carry most of its splits' gain.
func (m *Model) Info() map[string]any {
	leaves, depth := 0, 0
	gain := make([]float64, features.NumFeatures())
	for _, t := range m.ens.Trees {
		leaves += countLeaves(t)
		depth = max(depth, treeDepth(t))
		for _, n := range t.Nodes {
			if !n.Leaf() {
				gain[n.Feature] += n.Gain
			}
		}
	}
	info := map[string]any{
		"format_version": FormatVersion,
		"trees":          len(m.ens.Trees),
		"leaves":         leaves,
		"max_depth":      depth,
		"features":       features.NumFeatures(),
		"trained_rows":   m.meta.TrainedRows,
		"positives":      m.meta.Positives,
		"seed":           m.meta.Seed,
		"learning_rate":  m.meta.Params.LearningRate,
		"max_leaves":     m.meta.Params.MaxLeaves,
		"top_features":   topFeatures(gain, 10),
	}
	if m.trainSeconds > 0 {
		info["training_seconds"] = math.Round(m.trainSeconds*1000) / 1000
	}
	return info
}
