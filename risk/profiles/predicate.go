package profiles

import (
	"math"
	"strings"

	"crossguard"
)

// predKind is the test a compiled predicate makes.
type predKind uint8

const (
	textEq predKind = iota
	textSet
	textPrefix
	numEq
	numSet
	numRange
)

// smallSet is the size up to which a set is scanned rather than hashed.
const smallSet = 8

// pred is the compiled form of all the conditions of a profile on one
// field: values pre-parsed, lists made into sets. It is kept small so
// that the predicates of the profiles in one bucket share cache lines.
type pred struct {
	kind           predKind
	loOpen, hiOpen bool
	f              *field
	s              string  // textEq value, textPrefix prefix
	lo, hi         float64 // numRange bounds; lo is the numEq value
	set            *valueSet
}

// valueSet holds the values of a textSet or numSet predicate: scanned
// when small, hashed otherwise.
type valueSet struct {
	texts []string
	tset  map[string]struct{}
	nums  []float64
	nset  map[float64]struct{}
}

// compilePred turns a field's merged constraint into a predicate.
func compilePred(c *constraint) pred {
	p := pred{f: c.f, lo: c.lo, hi: c.hi, loOpen: c.loOpen, hiOpen: c.hiOpen}
	switch {
	case c.f.typ == crossguard.FieldText && c.hasSet && len(c.texts) == 1:
		p.kind, p.s = textEq, c.texts[0]
	case c.f.typ == crossguard.FieldText && c.hasSet:
		p.kind, p.set = textSet, &valueSet{texts: c.texts}
		if len(c.texts) > smallSet {
			p.set.tset = make(map[string]struct{}, len(c.texts))
			for _, s := range c.texts {
				p.set.tset[s] = struct{}{}
			}
		}
	case c.f.typ == crossguard.FieldText:
		p.kind, p.s = textPrefix, c.prefix
	case c.hasSet && len(c.nums) == 1:
		p.kind, p.lo = numEq, c.nums[0]
	case c.hasSet:
		p.kind, p.set = numSet, &valueSet{nums: c.nums}
		if len(c.nums) > smallSet {
			p.set.nset = make(map[float64]struct{}, len(c.nums))
			for _, x := range c.nums {
				p.set.nset[x] = struct{}{}
			}
		}
	default:
		p.kind = numRange
	}
	return p
}

// holds evaluates the predicate on a declaration, reading field values
// through the cache v.
func (p *pred) holds(v *values, d *crossguard.Declaration) bool {
	switch p.kind {
	case textEq:
		return v.text(p.f, d) == p.s
	case textPrefix:
		return strings.HasPrefix(v.text(p.f, d), p.s)
	case textSet:
		s := v.text(p.f, d)
		if p.set.tset != nil {
			_, ok := p.set.tset[s]
			return ok
		}
		for _, t := range p.set.texts {
			if t == s {
				return true
			}
		}
		return false
	case numEq:
		return v.number(p.f, d) == p.lo
	case numSet:
		x := v.number(p.f, d)
		if p.set.nset != nil {
			_, ok := p.set.nset[x]
			return ok
		}
		for _, y := range p.set.nums {
			if y == x {
				return true
			}
		}
		return false
	}
	x := v.number(p.f, d)
	return (x > p.lo || (x == p.lo && !p.loOpen)) && (x < p.hi || (x == p.hi && !p.hiOpen))
}

// textValues lists the values a textEq or textSet predicate admits.
func (p *pred) textValues() []string {
	if p.kind == textEq {
		return []string{p.s}
	}
	return p.set.texts
}

// numValues lists the values a numEq or numSet predicate admits.
func (p *pred) numValues() []float64 {
	if p.kind == numEq {
		return []float64{p.lo}
	}
	return p.set.nums
}

// hsShare is a rough share of declarations whose HS code starts with a
// given number of digits.
var hsShare = [...]float64{1, 1.0 / 10, 1.0 / 97, 1.0 / 300, 1.0 / 1000, 1.0 / 2000, 1.0 / 3000}

// selectivity estimates the share of declarations meeting p, to choose
// the most selective condition of a profile as its anchor.
func selectivity(p *pred) float64 {
	f := p.f
	switch p.kind {
	case textEq, numEq:
		return 1 / f.card
	case textSet:
		return math.Min(1, float64(len(p.set.texts))/f.card)
	case numSet:
		return math.Min(1, float64(len(p.set.nums))/f.card)
	case textPrefix:
		if f.shape == shapeDigits {
			return hsShare[min(len(p.s), len(hsShare)-1)]
		}
		return math.Max(1/f.card, math.Pow(0.2, float64(len(p.s))))
	}
	if f.integer {
		lo, hi := math.Max(p.lo, f.lo), math.Min(p.hi, f.hi)
		return math.Min(1, (math.Floor(hi)-math.Ceil(lo)+1)/f.card)
	}
	if math.IsInf(p.lo, 0) || math.IsInf(p.hi, 0) {
		return 0.5
	}
	return 0.25
}

// values caches the field values of one declaration, so that each getter
// runs at most once per match.
type values struct {
	have []bool
	txt  []string
	num  []float64
}

func newValues() values {
	return values{have: make([]bool, len(fields)), txt: make([]string, len(fields)), num: make([]float64, len(fields))}
}

// reset forgets the values of the previous declaration.
func (v *values) reset() {
	clear(v.have)
	clear(v.txt)
}

func (v *values) text(f *field, d *crossguard.Declaration) string {
	if !v.have[f.id] {
		v.txt[f.id], v.have[f.id] = f.text(d), true
	}
	return v.txt[f.id]
}

func (v *values) number(f *field, d *crossguard.Declaration) float64 {
	if !v.have[f.id] {
		v.num[f.id], v.have[f.id] = f.num(d), true
	}
	return v.num[f.id]
}
