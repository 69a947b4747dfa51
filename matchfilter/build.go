package matchfilter

import (
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
	// merged holds each identifier of the records compacted so far once,
	// sorted by tag; fresh, one element per identifier of each record added
	// since. Their indexes are into vocab, not yet the filter's.
	merged, fresh []pendingEntry
	seen          []Tag // the tags of the record being added
}

// pendingEntry is one identifier's tag and metadata while a Builder
// gathers them.
type pendingEntry struct {
	tag Tag
	m   meta
}

// minCompact is the least length of fresh at which a Builder compacts it
// into merged; it also compacts once fresh is as long as merged, so memory
// stays within a few times the distinct identifiers plus this.
const minCompact = 1 << 16

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
		typeIndex: map[string]uint8{}, categoryIndex: map[string]uint8{}}
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
		if len(b.fresh) == cap(b.fresh) { // double, rather than append's quarter for large slices
			b.fresh = slices.Grow(b.fresh, max(len(b.fresh), 64))
		}
		b.fresh = append(b.fresh, pendingEntry{t, meta{typ: b.typeIndex[id.Type], category: cat, count: 1, first: mon, last: mon}})
	}
	if len(b.fresh) >= max(len(b.merged), minCompact) {
		b.compact()
	}
	return nil
}

// compact sorts fresh by tag, merges the elements of each tag into one,
// and merges the result into merged, which then holds every distinct
// identifier added once. Sorting only what is new keeps the cost of the
// compactions of a build near that of one sort.
func (b *Builder) compact() {
	slices.SortFunc(b.fresh, func(x, y pendingEntry) int { return compareTags(x.tag, y.tag) })
	fresh := b.fresh[:0]
	for _, p := range b.fresh {
		if n := len(fresh); n > 0 && fresh[n-1].tag == p.tag {
			fresh[n-1].m = merge(fresh[n-1].m, p.m)
			continue
		}
		fresh = append(fresh, p)
	}
	out := make([]pendingEntry, 0, len(b.merged)+len(fresh))
	i, j := 0, 0
	for i < len(b.merged) && j < len(fresh) {
		switch c := compareTags(b.merged[i].tag, fresh[j].tag); {
		case c < 0:
			out = append(out, b.merged[i])
			i++
		case c > 0:
			out = append(out, fresh[j])
			j++
		default:
			out = append(out, pendingEntry{fresh[j].tag, merge(b.merged[i].m, fresh[j].m)})
			i, j = i+1, j+1
		}
	}
	b.merged = append(append(out, b.merged[i:]...), fresh[j:]...)
	b.fresh = b.fresh[:0]
}

// merge returns the metadata of one identifier from that of two disjoint
// sets of its records: counts add up, the month range widens, and the
// category is that of the latest record, the first in the vocabulary among
// those of the same month. The result does not depend on the order of the
// two, so neither does a filter on the order of Add.
func merge(x, y meta) meta {
	x.count = uint32(min(uint64(x.count)+uint64(y.count), math.MaxUint32))
	x.first = min(x.first, y.first)
	if y.last > x.last || y.last == x.last && y.category < x.category {
		x.last, x.category = y.last, y.category
	}
	return x
}

// Filter returns the filter of the records added so far, of the given
// generation and creation time. The category of an entry is that of its
// latest record; of several in that month, the one listed first in the
// vocabulary, so that the filter does not depend on the order of Add.
func (b *Builder) Filter(generation uint64, createdAt time.Time) (*Filter, error) {
	if generation > maxGeneration {
		return nil, fmt.Errorf("build filter: generation %d above %d", generation, uint64(maxGeneration))
	}
	b.compact()
	f := &Filter{Holder: b.holder, Recipient: b.recipient, Generation: generation,
		CreatedAt: createdAt.UTC(), Label: Label,
		tags: make([]Tag, len(b.merged)), meta: make([]meta, len(b.merged))}
	usedTypes := make([]bool, len(b.vocab.Types))
	usedCategories := make([]bool, len(b.vocab.Categories))
	for _, p := range b.merged {
		usedTypes[p.m.typ], usedCategories[p.m.category] = true, true
	}
	f.types, f.categories = usedOf(b.vocab.Types, usedTypes), usedOf(b.vocab.Categories, usedCategories)
	typeMap := dictionaryMap(b.vocab.Types, f.types)
	categoryMap := dictionaryMap(b.vocab.Categories, f.categories)
	for i, p := range b.merged {
		p.m.typ, p.m.category = typeMap[p.m.typ], categoryMap[p.m.category]
		f.tags[i], f.meta[i] = p.tag, p.m
	}
	f.index()
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
