package profiles

import (
	"math"
	"slices"
	"strings"

	"crossguard"
)

// constraint is what all the conditions on one field require together:
// for a text field, a set of values (if any eq or in) and a prefix (the
// longest of the prefixes, which are nested); for a number field, a set
// of values (if any eq or in) and an interval. A set is kept within the
// prefix or interval, so that it alone says what the field must be.
type constraint struct {
	f *field

	hasSet  bool
	texts   []string  // sorted
	nums    []float64 // sorted
	setFrom []int     // the conditions that made the set

	prefix     string
	prefixFrom int

	lo, hi         float64
	loOpen, hiOpen bool
	loFrom, hiFrom int // -1: no condition bounds this side
}

func newConstraint(f *field) *constraint {
	return &constraint{f: f, prefixFrom: -1, lo: math.Inf(-1), hi: math.Inf(1), loFrom: -1, hiFrom: -1}
}

// merge adds condition i to the constraint, or returns why it can never
// hold together with the conditions merged before (naming them with
// describe) and leaves the constraint as it was.
func (c *constraint) merge(i int, pc *parsed, describe func(int) string) string {
	conflict := func(with ...int) string {
		var names []string
		for _, j := range with {
			if j >= 0 && j != i && !slices.Contains(names, describe(j)) {
				names = append(names, describe(j))
			}
		}
		return "can never hold together with " + strings.Join(names, " and ")
	}
	if c.f.typ == crossguard.FieldText {
		if pc.op == crossguard.OpPrefix {
			return c.mergePrefix(i, pc.texts[0], conflict)
		}
		return c.mergeTexts(i, pc.texts, conflict)
	}
	if pc.op == crossguard.OpEq || pc.op == crossguard.OpIn {
		return c.mergeNums(i, pc.nums, conflict)
	}
	return c.mergeRange(i, pc, conflict)
}

func (c *constraint) mergeTexts(i int, vals []string, conflict func(...int) string) string {
	if c.hasSet {
		vals = intersect(c.texts, vals)
		if len(vals) == 0 {
			return conflict(c.setFrom...)
		}
	}
	if c.prefix != "" {
		vals = slices.DeleteFunc(slices.Clone(vals), func(s string) bool { return !strings.HasPrefix(s, c.prefix) })
		if len(vals) == 0 {
			return conflict(c.prefixFrom)
		}
	}
	c.hasSet, c.texts, c.setFrom = true, vals, append(c.setFrom, i)
	return ""
}

func (c *constraint) mergePrefix(i int, q string, conflict func(...int) string) string {
	prefix, from := q, i
	if c.prefix != "" {
		switch {
		case strings.HasPrefix(c.prefix, q):
			prefix, from = c.prefix, c.prefixFrom
		case !strings.HasPrefix(q, c.prefix):
			return conflict(c.prefixFrom)
		}
	}
	texts := c.texts
	if c.hasSet {
		texts = slices.DeleteFunc(slices.Clone(texts), func(s string) bool { return !strings.HasPrefix(s, prefix) })
		if len(texts) == 0 {
			return conflict(c.setFrom...)
		}
	}
	c.prefix, c.prefixFrom, c.texts = prefix, from, texts
	return ""
}

func (c *constraint) mergeNums(i int, vals []float64, conflict func(...int) string) string {
	if c.hasSet {
		vals = intersect(c.nums, vals)
		if len(vals) == 0 {
			return conflict(c.setFrom...)
		}
	}
	vals = slices.DeleteFunc(slices.Clone(vals), func(x float64) bool { return !c.holds(x) })
	if len(vals) == 0 {
		return conflict(c.loFrom, c.hiFrom)
	}
	c.hasSet, c.nums, c.setFrom = true, vals, append(c.setFrom, i)
	return ""
}

func (c *constraint) mergeRange(i int, pc *parsed, conflict func(...int) string) string {
	n := *c
	if pc.lo > n.lo || (pc.lo == n.lo && pc.loOpen && !n.loOpen) {
		n.lo, n.loOpen, n.loFrom = pc.lo, pc.loOpen, i
	}
	if pc.hi < n.hi || (pc.hi == n.hi && pc.hiOpen && !n.hiOpen) {
		n.hi, n.hiOpen, n.hiFrom = pc.hi, pc.hiOpen, i
	}
	if !feasible(c.f, n.lo, n.loOpen, n.hi, n.hiOpen) {
		return conflict(c.loFrom, c.hiFrom)
	}
	if n.hasSet {
		n.nums = slices.DeleteFunc(slices.Clone(n.nums), func(x float64) bool { return !n.holds(x) })
		if len(n.nums) == 0 {
			return conflict(c.setFrom...)
		}
	}
	*c = n
	return ""
}

// holds reports whether x is within the constraint's interval.
func (c *constraint) holds(x float64) bool {
	return (x > c.lo || (x == c.lo && !c.loOpen)) && (x < c.hi || (x == c.hi && !c.hiOpen))
}

// feasible reports whether some value field f can take lies within the
// interval: a float (or a whole number for whole-number fields) within
// both the interval and the field's range.
func feasible(f *field, lo float64, loOpen bool, hi float64, hiOpen bool) bool {
	if f.lo > lo {
		lo, loOpen = f.lo, false
	}
	if f.hi < hi {
		hi, hiOpen = f.hi, false
	}
	x := lo
	switch {
	case f.integer:
		x = math.Ceil(lo)
		if loOpen && x == lo {
			x++
		}
	case loOpen:
		x = math.Nextafter(lo, math.Inf(1))
	}
	return x < hi || (x == hi && !hiOpen)
}

// intersect returns the values in both sorted lists.
func intersect[T string | float64](a, b []T) []T {
	var out []T
	for _, x := range b {
		if _, ok := slices.BinarySearch(a, x); ok {
			out = append(out, x)
		}
	}
	return out
}
