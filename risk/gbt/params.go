// Package gbt trains and evaluates histogram-based gradient-boosted
// decision trees for binary classification with the logistic loss.
//
// It exists because no well-kept Go library trains such models. The
// learner follows the design of XGBoost's "hist" method and LightGBM:
// feature values are quantised into at most 255 bins per feature (plus
// one bin for missing values, NaN), each tree grows best-first from
// per-node gradient histograms, a missing value goes the way that gains
// most, and the larger child of a split gets its histogram by subtracting
// the smaller child's from its parent's. Histograms are built in parallel,
// one goroutine per block of features, so that every sum is taken in the
// same order whatever the scheduling: a model is bit-for-bit the same for
// the same data, parameters and seed.
package gbt

import (
	"fmt"
	"math"
	"runtime"
)

// Params are the hyper-parameters of training. The zero value of a field
// means its default (see Defaults); Validate says which values are wrong.
type Params struct {
	// Trees is the number of boosting rounds.
	Trees int
	// LearningRate shrinks each tree's leaf values.
	LearningRate float64
	// MaxDepth bounds the depth of a tree (the root is at depth 0).
	MaxDepth int
	// MaxLeaves bounds the leaves of a tree; 0 means only MaxDepth bounds it.
	MaxLeaves int
	// MinChildWeight is the least sum of hessians a child of a split may have.
	MinChildWeight float64
	// Lambda is the L2 penalty on leaf values.
	Lambda float64
	// MinGain is the least loss reduction a split must bring.
	MinGain float64
	// Subsample is the fraction of rows each tree sees (1 = all).
	Subsample float64
	// ColSample is the fraction of features each tree may split on (1 = all).
	ColSample float64
	// MaxBins is the number of bins for non-missing values, 2 to 255.
	MaxBins int
	// Seed drives row and feature sampling.
	Seed int64
	// Workers is the number of goroutines building histograms; 0 means
	// GOMAXPROCS. The model does not depend on it.
	Workers int
}

// Defaults returns the parameters used for zero fields.
func Defaults() Params {
	return Params{
		Trees:          300,
		LearningRate:   0.05,
		MaxDepth:       8,
		MinChildWeight: 1,
		Lambda:         1,
		Subsample:      1,
		ColSample:      1,
		MaxBins:        255,
	}
}

// withDefaults fills the zero fields of p from Defaults.
func (p Params) withDefaults() Params {
	d := Defaults()
	if p.Trees == 0 {
		p.Trees = d.Trees
	}
	if p.LearningRate == 0 {
		p.LearningRate = d.LearningRate
	}
	if p.MaxDepth == 0 {
		p.MaxDepth = d.MaxDepth
	}
	if p.MinChildWeight == 0 {
		p.MinChildWeight = d.MinChildWeight
	}
	if p.Lambda == 0 {
		p.Lambda = d.Lambda
	}
	if p.Subsample == 0 {
		p.Subsample = d.Subsample
	}
	if p.ColSample == 0 {
		p.ColSample = d.ColSample
	}
	if p.MaxBins == 0 {
		p.MaxBins = d.MaxBins
	}
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return p
}

// Validate reports the first parameter out of its range, after defaults
// are applied.
func (p Params) Validate() error {
	p = p.withDefaults()
	bad := func(name string, v any, want string) error {
		return fmt.Errorf("gbt: %s is %v, want %s", name, v, want)
	}
	switch {
	case p.Trees < 1 || p.Trees > 100000:
		return bad("trees", p.Trees, "1 to 100000")
	case !(p.LearningRate > 0 && p.LearningRate <= 1):
		return bad("learning rate", p.LearningRate, "in (0, 1]")
	case p.MaxDepth < 1 || p.MaxDepth > 30:
		return bad("max depth", p.MaxDepth, "1 to 30")
	case p.MaxLeaves < 0 || p.MaxLeaves == 1:
		return bad("max leaves", p.MaxLeaves, "0 (no limit) or at least 2")
	case !(p.MinChildWeight >= 0) || math.IsInf(p.MinChildWeight, 0):
		return bad("min child weight", p.MinChildWeight, "a finite number >= 0")
	case !(p.Lambda >= 0) || math.IsInf(p.Lambda, 0):
		return bad("lambda", p.Lambda, "a finite number >= 0")
	case !(p.MinGain >= 0) || math.IsInf(p.MinGain, 0):
		return bad("min gain", p.MinGain, "a finite number >= 0")
	case !(p.Subsample > 0 && p.Subsample <= 1):
		return bad("subsample", p.Subsample, "in (0, 1]")
	case !(p.ColSample > 0 && p.ColSample <= 1):
		return bad("column sample", p.ColSample, "in (0, 1]")
	case p.MaxBins < 2 || p.MaxBins > 255:
		return bad("max bins", p.MaxBins, "2 to 255")
	}
	return nil
}
