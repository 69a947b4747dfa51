package features

import (
	"math"

	"crossguard"
)

// Encode writes the feature vector of d into x, which must have
// NumFeatures entries; missing or undefined values are NaN. It does not
// allocate.
func (e *Encoder) Encode(d *crossguard.Declaration, x []float64) {
	_ = x[numFeature-1]
	for i, f := range catFields {
		v := &e.Vocabs[i]
		if j, ok := v.index[string(f.get(d))]; ok {
			x[2*i] = float64(j)
			x[2*i+1] = float64(v.Categories[j].Count)
		} else {
			x[2*i] = math.NaN()
			x[2*i+1] = 0
		}
	}
	x[fHS2] = digits(string(d.HS6Code), 2)
	x[fHS4] = digits(string(d.HS6Code), 4)
	x[fTaxRate] = finite(d.TaxRate)
	x[fTaxAmount] = log1p(d.TaxAmount())
	var m [numMeasures]float64
	measures(d, &m)
	for k, v := range m {
		x[fLog+k] = v
	}
	for l := range hsLevels {
		s := e.hsStats(d, l)
		for k, v := range m {
			at := fRel + l*2*numMeasures + 2*k
			x[at], x[at+1] = math.NaN(), math.NaN()
			if s != nil {
				x[at] = v - s.Mean[k]
				x[at+1] = (v - s.Mean[k]) / (s.Std[k] + 0.1)
			}
		}
	}
}

// hsStats returns the statistics of the declaration's HS code at level l
// of hsLevels, or nil if the code is unknown.
func (e *Encoder) hsStats(d *crossguard.Declaration, l int) *HSStats {
	code := string(d.HS6Code)
	if n := hsLevels[l]; len(code) > n {
		code = code[:n]
	}
	if j, ok := e.hsIdx[l][code]; ok {
		return &e.HS[l][j]
	}
	return nil
}

// digits parses the first n characters of s as a decimal number, NaN if
// s is shorter or they are not all digits.
func digits(s string, n int) float64 {
	if len(s) < n {
		return math.NaN()
	}
	v := 0
	for i := 0; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return math.NaN()
		}
		v = 10*v + int(c-'0')
	}
	return float64(v)
}

// finite returns v, or NaN if v is infinite.
func finite(v float64) float64 {
	if math.IsInf(v, 0) {
		return math.NaN()
	}
	return v
}
