package matchfilter

import "fmt"

// Hit is what the recipient learns when one of its identifiers is in a
// partner's filter: which agency holds something, the identifier type, how
// many records, their month range and a commodity category. It never
// carries the holder's record id, nor a value.
type Hit struct {
	Agency     string `json:"agency"`
	Type       string `json:"type"`
	Count      int    `json:"count"`
	FirstMonth string `json:"first_month"`
	LastMonth  string `json:"last_month"`
	Category   string `json:"category"`
	// Identifier is the index, in the slice passed to Match, of the
	// recipient's own identifier that hit; the recipient's, not the
	// holder's, and never sent anywhere.
	Identifier int `json:"-"`
}

// Partner is one partner's filter and the pair key it was made under.
type Partner struct {
	Key    PairKey
	Filter *Filter
}

// Matcher matches identifiers against several partners' filters. For each
// identifier it computes the tag once per partner key and looks it up in
// the tag's bucket, so a declaration with k identifiers against p partners
// costs k·p HMACs and about 2·k·p tag comparisons. It is not safe for
// concurrent use; make one per goroutine.
type Matcher struct {
	partners []matcherPartner
}

// matcherPartner is one partner of a Matcher with its tagger.
type matcherPartner struct {
	agency string
	filter *Filter
	tagger *Tagger
}

// NewMatcher returns a Matcher over partners, refusing a filter whose
// holder and recipient are not the two nodes of its key, or of another
// label.
func NewMatcher(partners ...Partner) (*Matcher, error) {
	m := &Matcher{}
	for _, p := range partners {
		f := p.Filter
		if f.Label != Label {
			return nil, fmt.Errorf("match: filter of %s has label %q, not %q", f.Holder, f.Label, Label)
		}
		if !p.Key.belongsTo(f.Holder, f.Recipient) {
			return nil, fmt.Errorf("match: filter of %s for %s: %w", f.Holder, f.Recipient, ErrWrongPair)
		}
		m.partners = append(m.partners, matcherPartner{agency: agency(f.Holder), filter: f, tagger: NewTagger(p.Key)})
	}
	return m, nil
}

// Match returns the hits of ids against every partner's filter, partner by
// partner in the order given to NewMatcher, each in the order of ids.
func (m *Matcher) Match(ids []Identifier) []Hit {
	var hits []Hit
	for _, p := range m.partners {
		for i, id := range ids {
			e, ok := p.filter.Lookup(p.tagger.Tag(id))
			if !ok || e.Type != id.Type {
				continue
			}
			hits = append(hits, Hit{Agency: p.agency, Type: e.Type, Count: e.Count,
				FirstMonth: e.FirstMonth, LastMonth: e.LastMonth, Category: e.Category, Identifier: i})
		}
	}
	return hits
}

// Match returns the hits of ids against one filter made under key.
func Match(f *Filter, key PairKey, ids []Identifier) ([]Hit, error) {
	m, err := NewMatcher(Partner{Key: key, Filter: f})
	if err != nil {
		return nil, err
	}
	return m.Match(ids), nil
}
