package matchfilter

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"time"
)

// Filter is one holder's match filter for one recipient: the tags of the
// holder's identifiers in records the recipient may not receive, each with
// aggregate metadata and never the value. Its entries are sorted by tag
// and distinct, so that Lookup is a binary search (within the bucket of a
// tag's top bits) and the encoding is canonical. Build one with a Builder; read one with DecodeFilter.
type Filter struct {
	Holder     string    // the node that holds the records, AGENCY/NODE
	Recipient  string    // the node the filter is for, AGENCY/NODE
	Generation uint64    // increases with every filter the holder makes for the recipient; a recipient keeps the highest
	CreatedAt  time.Time // when the holder built it, UTC
	Label      string    // the key derivation and format, Label for this package

	types      []string // the identifier types the entries name, sorted
	categories []string // the categories the entries name, sorted
	tags       []Tag    // sorted, distinct
	meta       []meta   // parallel to tags
	// starts[b] is the index of the first tag whose top bits are b or more,
	// with one element past the last bucket: Lookup searches one bucket.
	starts []uint32
	shift  uint // 64 less the bits of a bucket number
}

// meta is an entry's metadata as the filter keeps it: indexes into the
// filter's dictionaries, the count and the month range.
type meta struct {
	typ, category uint8
	count         uint32
	first, last   month
}

// Entry is what a filter says about one identifier: its type, how many of
// the holder's records carry it, the months of the first and the last of
// them (YYYY-MM) and a commodity category (that of the latest record).
type Entry struct {
	Tag        Tag
	Type       string
	Count      int
	FirstMonth string
	LastMonth  string
	Category   string
}

// Len returns the number of entries.
func (f *Filter) Len() int { return len(f.tags) }

// Entry returns the i-th entry in tag order.
func (f *Filter) Entry(i int) Entry {
	m := f.meta[i]
	return Entry{Tag: f.tags[i], Type: f.types[m.typ], Count: int(m.count),
		FirstMonth: m.first.String(), LastMonth: m.last.String(), Category: f.categories[m.category]}
}

// Lookup returns the entry whose tag is t, if the filter has one. Tags are
// uniform, so the bucket of t's top bits holds about four of them.
func (f *Filter) Lookup(t Tag) (Entry, bool) {
	if len(f.tags) == 0 {
		return Entry{}, false
	}
	b := binary.BigEndian.Uint64(t[:8]) >> f.shift
	lo, hi := f.starts[b], f.starts[b+1]
	if i, ok := slices.BinarySearchFunc(f.tags[lo:hi], t, compareTags); ok {
		return f.Entry(int(lo) + i), true
	}
	return Entry{}, false
}

// index makes the buckets Lookup searches: one for about four tags, at
// most 2^20 of them, so 1 byte an entry or less.
func (f *Filter) index() {
	bucketBits := min(max(bits.Len(uint(len(f.tags)))-2, 0), 20)
	f.shift = 64 - uint(bucketBits)
	f.starts = make([]uint32, 1<<bucketBits+1)
	i := 0
	for b := range f.starts {
		for i < len(f.tags) && binary.BigEndian.Uint64(f.tags[i][:8])>>f.shift < uint64(b) {
			i++
		}
		f.starts[b] = uint32(i)
	}
}
