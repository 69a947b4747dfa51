package profiles

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"

	"crossguard"
)

// Index finds the profiles a declaration meets. Each profile is filed
// under one anchor, its most selective field constraint: a hash bucket
// per field value (eq, in), a bucket per prefix (prefix, probed with every
// length of the declaration's value), or an interval tree per number
// field (ranges). Match looks up each anchor structure once and verifies
// the other constraints of the profiles found there, so its cost follows
// the number of candidates rather than the number of profiles. An Index
// is immutable and safe for concurrent use; the profiles it was compiled
// from must not be modified afterwards.
type Index struct {
	profiles []*crossguard.Profile // by rank: score descending, then id, then input order
	textEqs  []textAnchor
	prefixes []prefixAnchor
	numEqs   []numAnchor
	ranges   []rangeAnchor
	scratch  sync.Pool
}

// group is the profiles filed under one anchor key, laid out together so
// that verifying them reads memory in order: a slot per profile and the
// profile's other predicates, most selective first, in one array.
type group struct {
	slots []slot
	preds []pred
}

// slot is one profile of a group.
type slot struct {
	rank     int32
	from, to uint32 // validity as day keys (see dayKey)
	predAt   int32  // first of the profile's other predicates in the group
	nPreds   uint8
	slowDate bool // a validity date is not YYYY-MM-DD: compare the text
}

type textAnchor struct {
	f *field
	m map[string]*group
}

type prefixAnchor struct {
	f    *field
	m    map[string]*group
	lens uint64 // bit n-1 is set when some prefix has n bytes
}

type numAnchor struct {
	f *field
	m map[float64]*group
}

// rangeAnchor files the profiles anchored on a range of a number field
// in one group, with an interval tree over them whose ranks are
// positions in the group.
type rangeAnchor struct {
	f *field
	t *itree
	g *group
}

// scratch is the per-match working memory, pooled.
type scratch struct {
	vals  values
	cands []int32
	hits  []int32
	bits  []uint64 // one bit per rank, all clear between matches
}

// compiled is a checked profile with its predicates, anchor first.
type compiled struct {
	p     *crossguard.Profile
	preds []pred
}

// Compile checks every profile (see Check) and builds an index over them.
// It fails naming the first profile that does not pass.
func Compile(ps []*crossguard.Profile) (*Index, error) {
	cs := make([]compiled, 0, len(ps))
	for i, p := range ps {
		if p == nil {
			return nil, fmt.Errorf("profile %d: %w", i, crossguard.Errorf(crossguard.EINVALID, "no profile"))
		}
		cons, errs := analyse(p)
		if len(errs) > 0 {
			return nil, fmt.Errorf("profile %d (id %q, %q): %w", i, p.ID, p.Name, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid profile", Fields: errs})
		}
		preds := make([]pred, len(cons))
		for k, c := range cons {
			preds[k] = compilePred(c)
		}
		slices.SortStableFunc(preds, func(a, b pred) int { return cmp.Compare(anchorCost(&a), anchorCost(&b)) })
		cs = append(cs, compiled{p: p, preds: preds})
	}
	slices.SortStableFunc(cs, func(a, b compiled) int {
		if c := cmp.Compare(b.p.Score, a.p.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.p.ID, b.p.ID)
	})
	ix := &Index{profiles: make([]*crossguard.Profile, len(cs))}
	b := newBuilder()
	for r, c := range cs {
		ix.profiles[r] = c.p
		b.add(int32(r), c)
	}
	b.finish(ix)
	ix.scratch.New = func() any { return &scratch{vals: newValues()} }
	return ix, nil
}

// anchorCost orders a profile's predicates: the cheapest to look up
// among the most selective first. Range lookups cost more than hash
// lookups, so they count double.
func anchorCost(p *pred) float64 {
	if p.kind == numRange {
		return 2 * selectivity(p)
	}
	return selectivity(p)
}

// builder gathers the anchor groups while compiling.
type builder struct {
	textEqs  map[*field]map[string]*group
	prefixes map[*field]*prefixAnchor
	numEqs   map[*field]map[float64]*group
	ranges   map[*field]*group
	ivs      map[*field][]interval
}

func newBuilder() *builder {
	return &builder{
		textEqs:  map[*field]map[string]*group{},
		prefixes: map[*field]*prefixAnchor{},
		numEqs:   map[*field]map[float64]*group{},
		ranges:   map[*field]*group{},
		ivs:      map[*field][]interval{},
	}
}

// add files the profile of the given rank under its anchor, c.preds[0].
func (b *builder) add(rank int32, c compiled) {
	a := &c.preds[0]
	switch a.kind {
	case textEq, textSet:
		m := b.textEqs[a.f]
		if m == nil {
			m = map[string]*group{}
			b.textEqs[a.f] = m
		}
		for _, s := range a.textValues() {
			m[s] = m[s].with(rank, c)
		}
	case textPrefix:
		pa := b.prefixes[a.f]
		if pa == nil {
			pa = &prefixAnchor{f: a.f, m: map[string]*group{}}
			b.prefixes[a.f] = pa
		}
		pa.m[a.s] = pa.m[a.s].with(rank, c)
		pa.lens |= 1 << (len(a.s) - 1)
	case numEq, numSet:
		m := b.numEqs[a.f]
		if m == nil {
			m = map[float64]*group{}
			b.numEqs[a.f] = m
		}
		for _, x := range a.numValues() {
			m[x] = m[x].with(rank, c)
		}
	case numRange:
		g := b.ranges[a.f].with(rank, c)
		b.ranges[a.f] = g
		b.ivs[a.f] = append(b.ivs[a.f], interval{lo: a.lo, hi: a.hi, loOpen: a.loOpen, hiOpen: a.hiOpen, rank: int32(len(g.slots) - 1)})
	}
}

// with appends a profile to the group (a new group if g is nil).
func (g *group) with(rank int32, c compiled) *group {
	if g == nil {
		g = &group{}
	}
	from, okFrom := dayKey(c.p.ValidFrom)
	if c.p.ValidFrom == "" {
		from, okFrom = 0, true
	}
	to, okTo := dayKey(c.p.ValidTo)
	if c.p.ValidTo == "" {
		to, okTo = math.MaxUint32, true
	}
	g.slots = append(g.slots, slot{rank: rank, from: from, to: to, predAt: int32(len(g.preds)), nPreds: uint8(len(c.preds) - 1), slowDate: !okFrom || !okTo})
	g.preds = append(g.preds, c.preds[1:]...)
	return g
}

// finish puts the anchors into the index in field order.
func (b *builder) finish(ix *Index) {
	for _, f := range fields {
		if m := b.textEqs[f]; m != nil {
			ix.textEqs = append(ix.textEqs, textAnchor{f: f, m: m})
		}
		if pa := b.prefixes[f]; pa != nil {
			ix.prefixes = append(ix.prefixes, *pa)
		}
		if m := b.numEqs[f]; m != nil {
			ix.numEqs = append(ix.numEqs, numAnchor{f: f, m: m})
		}
		if g := b.ranges[f]; g != nil {
			ix.ranges = append(ix.ranges, rangeAnchor{f: f, t: newITree(b.ivs[f]), g: g})
		}
	}
}

// Len returns the number of profiles in the index.
func (ix *Index) Len() int { return len(ix.profiles) }

// Profiles returns the compiled profiles, by rank (score descending, then
// id). The slice is the index's own: callers must not modify it.
func (ix *Index) Profiles() []*crossguard.Profile { return ix.profiles }
