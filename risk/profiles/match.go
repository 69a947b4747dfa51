package profiles

import (
	"math"
	"math/bits"
	"slices"

	"crossguard"
)

// Match appends to dst every profile in force on day (YYYY-MM-DD, see
// Profile.ValidOn) whose conditions all hold for d, by score descending,
// then id, then the order given to Compile, and returns dst. It does not
// allocate once dst has room and the index has warmed up.
func (ix *Index) Match(dst []*crossguard.Profile, d *crossguard.Declaration, day string) []*crossguard.Profile {
	if d == nil {
		return dst
	}
	s := ix.scratch.Get().(*scratch)
	s.vals.reset()
	s.hits = s.hits[:0]
	m := matcher{ix: ix, s: s, d: d, day: day}
	m.key, m.keyOK = dayKey(day)
	for i := range ix.textEqs {
		a := &ix.textEqs[i]
		if g := a.m[s.vals.text(a.f, d)]; g != nil {
			m.all(g)
		}
	}
	for i := range ix.prefixes {
		a := &ix.prefixes[i]
		v := s.vals.text(a.f, d)
		for n := 1; n <= len(v) && n <= 64; n++ {
			if a.lens&(1<<(n-1)) == 0 {
				continue
			}
			if g := a.m[v[:n]]; g != nil {
				m.all(g)
			}
		}
	}
	for i := range ix.numEqs {
		a := &ix.numEqs[i]
		if x := s.vals.number(a.f, d); !math.IsNaN(x) {
			if g := a.m[x]; g != nil {
				m.all(g)
			}
		}
	}
	for i := range ix.ranges {
		a := &ix.ranges[i]
		s.cands = a.t.stab(s.vals.number(a.f, d), s.cands[:0])
		for _, k := range s.cands {
			m.one(a.g, k)
		}
	}
	ix.sortHits(s)
	for _, r := range s.hits {
		dst = append(dst, ix.profiles[r])
	}
	ix.scratch.Put(s)
	return dst
}

// sortHits puts the ranks of the hits in order: by a sort when they are
// few, else through a bitmap of ranks, in time linear in their number
// and span.
func (ix *Index) sortHits(s *scratch) {
	if len(s.hits) <= 32 {
		slices.Sort(s.hits)
		return
	}
	if len(s.bits) == 0 {
		s.bits = make([]uint64, (len(ix.profiles)+63)/64)
	}
	lo, hi := s.hits[0], s.hits[0]
	for _, r := range s.hits {
		s.bits[r/64] |= 1 << (r % 64)
		lo, hi = min(lo, r), max(hi, r)
	}
	out := s.hits[:0]
	for w := lo / 64; w <= hi/64; w++ {
		for x := s.bits[w]; x != 0; x &= x - 1 {
			out = append(out, w*64+int32(bits.TrailingZeros64(x)))
		}
		s.bits[w] = 0
	}
	s.hits = out
}

// matcher is one call of Match.
type matcher struct {
	ix    *Index
	s     *scratch
	d     *crossguard.Declaration
	day   string
	key   uint32
	keyOK bool
}

// all verifies every profile of a group.
func (m *matcher) all(g *group) {
	for k := range g.slots {
		m.one(g, int32(k))
	}
}

// one adds the rank of the profile in slot k of g to the hits if it is
// in force and its other predicates hold.
func (m *matcher) one(g *group, k int32) {
	sl := &g.slots[k]
	if m.keyOK && !sl.slowDate {
		if m.key < sl.from || m.key > sl.to {
			return
		}
	} else if !m.ix.profiles[sl.rank].ValidOn(m.day) {
		return
	}
	preds := g.preds[sl.predAt : sl.predAt+int32(sl.nPreds)]
	for i := range preds {
		if !preds[i].holds(&m.s.vals, m.d) {
			return
		}
	}
	m.s.hits = append(m.s.hits, sl.rank)
}

// dayKey turns a YYYY-MM-DD day into a number that orders as the text
// does, or reports false if day is not of that form.
func dayKey(day string) (uint32, bool) {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return 0, false
	}
	var k uint32
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := day[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + uint32(c-'0')
	}
	return k, true
}
