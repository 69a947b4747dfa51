package matchfilter

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"time"
)

// Record is what the builder needs of one of the holder's records that the
// recipient may not receive: its month (YYYY-MM, of when the seizure
// occurred or the declaration was decided), its commodity category and its
// identifiers. Which records these are is the caller's decision (the
// recipient's policy); the builder sees no record id.
type Record struct {
	Month       string
	Category    string
	Identifiers []Identifier
}

// Builder gathers records into a filter for one recipient. Add each record
// once; an identifier that a record carries twice counts once for it. It is
// not safe for concurrent use.
type Builder struct {
	holder, recipient string
	vocab             Vocabulary
	typeIndex         map[string]uint8
	categoryIndex     map[string]uint8
	tagger            *Tagger
	entries           map[Tag]meta // indexes into vocab, not yet the filter's
	seen              []Tag        // the tags of the record being added
}

// NewBuilder returns a Builder of holder's filter for recipient under key,
// the pair key of the two, naming only what vocab lists.
func NewBuilder(key PairKey, holder, recipient string, vocab Vocabulary) (*Builder, error) {
	if err := checkPair(holder, recipient); err != nil {
		return nil, fmt.Errorf("build filter: %w", err)
	}
	if !key.belongsTo(holder, recipient) {
		return nil, fmt.Errorf("build filter: the key is not the pair key of %s and %s", holder, recipient)
	}
	if err := vocab.check(); err != nil {
		return nil, fmt.Errorf("build filter: %w", err)
	}
	b := &Builder{holder: holder, recipient: recipient, vocab: vocab, tagger: NewTagger(key),
		typeIndex: map[string]uint8{}, categoryIndex: map[string]uint8{}, entries: map[Tag]meta{}}
	for i, t := range vocab.Types {
		b.typeIndex[t] = uint8(i)
	}
	for i, c := range vocab.Categories {
		b.categoryIndex[c] = uint8(i)
	}
	return b, nil
}

// checkPair returns an error unless holder and recipient are two different
// node ids.
func checkPair(holder, recipient string) error {
	if err := checkNodeID(holder); err != nil {
		return fmt.Errorf("holder %w", err)
	}
	if err := checkNodeID(recipient); err != nil {
		return fmt.Errorf("recipient %w", err)
	}
	if holder == recipient {
		return fmt.Errorf("holder and recipient are both %s", holder)
	}
	return nil
}

// Add counts one record. It refuses, adding nothing, a record whose month,
// category, or an identifier's type is not valid or not in the vocabulary,
// or that has an empty identifier value.
func (b *Builder) Add(r Record) error {
	mon, err := parseMonth(r.Month)
	if err != nil {
		return fmt.Errorf("build filter: %w", err)
	}
	cat, ok := b.categoryIndex[r.Category]
	if !ok {
		return fmt.Errorf("build filter: category %q is not in the vocabulary", r.Category)
	}
	for _, id := range r.Identifiers {
		if _, ok := b.typeIndex[id.Type]; !ok {
			return fmt.Errorf("build filter: identifier type %q is not in the vocabulary", id.Type)
		}
		if id.Value == "" {
			return fmt.Errorf("build filter: empty %s identifier", id.Type)
		}
	}
	b.seen = b.seen[:0]
	for _, id := range r.Identifiers {
		t := b.tagger.Tag(id)
		if slices.Contains(b.seen, t) {
			continue
		}
		b.seen = append(b.seen, t)
		m, ok := b.entries[t]
		if !ok {
			b.entries[t] = meta{typ: b.typeIndex[id.Type], category: cat, count: 1, first: mon, last: mon}
			continue
		}
		if m.count < math.MaxUint32 {
			m.count++
		}
		m.first = min(m.first, mon)
		if mon > m.last || mon == m.last && cat < m.category {
			m.last, m.category = mon, cat
		}
		b.entries[t] = m
	}
	return nil
}

// Filter returns the filter of the records added so far, of the given
// generation and creation time. The category of an entry is that of its
// latest record; of several in that month, the one listed first in the
// vocabulary, so that the filter does not depend on the order of Add.
func (b *Builder) Filter(generation uint64, createdAt time.Time) (*Filter, error) {
	if generation > maxGeneration {
		return nil, fmt.Errorf("build filter: generation %d above %d", generation, uint64(maxGeneration))
	}
	f := &Filter{Holder: b.holder, Recipient: b.recipient, Generation: generation,
		CreatedAt: createdAt.UTC(), Label: Label,
		tags: make([]Tag, 0, len(b.entries)), meta: make([]meta, len(b.entries))}
	usedTypes := make([]bool, len(b.vocab.Types))
	usedCategories := make([]bool, len(b.vocab.Categories))
	for t, m := range b.entries {
		f.tags = append(f.tags, t)
		usedTypes[m.typ], usedCategories[m.category] = true, true
	}
	slices.SortFunc(f.tags, func(a, b Tag) int { return bytes.Compare(a[:], b[:]) })
	f.types, f.categories = usedOf(b.vocab.Types, usedTypes), usedOf(b.vocab.Categories, usedCategories)
	typeMap := dictionaryMap(b.vocab.Types, f.types)
	categoryMap := dictionaryMap(b.vocab.Categories, f.categories)
	for i, t := range f.tags {
		m := b.entries[t]
		m.typ, m.category = typeMap[m.typ], categoryMap[m.category]
		f.meta[i] = m
	}
	return f, nil
}

// dictionaryMap maps each index into vocab that dict holds to its index in
// dict.
func dictionaryMap(vocab, dict []string) []uint8 {
	out := make([]uint8, len(vocab))
	for i, s := range vocab {
		if j := slices.Index(dict, s); j >= 0 {
			out[i] = uint8(j)
		}
	}
	return out
}

// maxGeneration is the largest generation: the largest integer a JSON
// number carries exactly (RFC 8785 numbers are IEEE doubles).
const maxGeneration = 1<<53 - 1
