package matchfilter

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Errors a refused filter wraps, for errors.Is; the error's text is the
// reason to give the holder.
var (
	// ErrTooLarge: the filter has more entries, or more bytes, than the
	// recipient accepts.
	ErrTooLarge = errors.New("filter too large")
	// ErrWrongPair: the filter is not from the expected holder to this node.
	ErrWrongPair = errors.New("filter for another pair")
	// ErrMalformed: the filter is not in this package's canonical encoding,
	// or names what its vocabulary does not hold.
	ErrMalformed = errors.New("malformed filter")
)

// DefaultMaxEntries is how many entries DecodeFilter accepts when
// DecodeOptions does not say: two million identifiers withheld from one
// partner, about 70 MB encoded and 58 MB held.
const DefaultMaxEntries = 2_000_000

// DecodeOptions is what the recipient expects of a filter.
type DecodeOptions struct {
	Holder     string     // the node it came from (the record's origin)
	Recipient  string     // this node
	Vocabulary Vocabulary // the types and categories a filter may name
	MaxEntries int        // at most this many entries; 0 means DefaultMaxEntries
}

// maxEntries returns the entry limit in force.
func (o DecodeOptions) maxEntries() int {
	if o.MaxEntries > 0 {
		return o.MaxEntries
	}
	return DefaultMaxEntries
}

// DecodeFilter reads a filter in its canonical encoding, strictly: it
// refuses unknown members, anything not in canonical form, a label other
// than Label, a filter not from opt.Holder or not for opt.Recipient
// (ErrWrongPair), more than the entry limit (ErrTooLarge, checked on the
// length of data before anything is parsed), tags of the wrong length, tags
// out of order or repeated, and metadata outside the vocabulary or out of
// range (ErrMalformed).
func DecodeFilter(data []byte, opt DecodeOptions) (*Filter, error) {
	limit := opt.maxEntries()
	if maxLen := 64<<10 + (limit*(TagSize+metaSize)+2)/3*4; len(data) > maxLen {
		return nil, fmt.Errorf("%w: %d bytes, more than %d entries take", ErrTooLarge, len(data), limit)
	}
	if err := opt.Vocabulary.check(); err != nil {
		return nil, fmt.Errorf("decode filter: %w", err)
	}
	var w wireFilter
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the filter", ErrMalformed)
	}
	if w.Label != Label {
		return nil, fmt.Errorf("%w: label %q, not %q", ErrMalformed, w.Label, Label)
	}
	if w.Recipient != opt.Recipient {
		return nil, fmt.Errorf("%w: filter for %q, not for this node %s", ErrWrongPair, w.Recipient, opt.Recipient)
	}
	if w.Holder != opt.Holder {
		return nil, fmt.Errorf("%w: filter of %q, not of %s", ErrWrongPair, w.Holder, opt.Holder)
	}
	if err := checkPair(w.Holder, w.Recipient); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrWrongPair, err)
	}
	if w.Entries < 0 {
		return nil, fmt.Errorf("%w: %d entries", ErrMalformed, w.Entries)
	}
	if w.Entries > limit {
		return nil, fmt.Errorf("%w: %d entries, more than %d", ErrTooLarge, w.Entries, limit)
	}
	f, err := decodeWire(&w, opt.Vocabulary)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	again, err := f.Encode()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, data) {
		return nil, fmt.Errorf("%w: not in canonical form", ErrMalformed)
	}
	return f, nil
}

// decodeWire checks and unpacks the members of w after its pair and size.
func decodeWire(w *wireFilter, vocab Vocabulary) (*Filter, error) {
	created, err := time.Parse(time.RFC3339Nano, w.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("created_at: %v", err)
	}
	if w.Generation > maxGeneration {
		return nil, fmt.Errorf("generation %d above %d", w.Generation, uint64(maxGeneration))
	}
	if err := checkDictionary("types", w.Types, vocab.Types); err != nil {
		return nil, err
	}
	if err := checkDictionary("categories", w.Categories, vocab.Categories); err != nil {
		return nil, err
	}
	tags, err := base64.StdEncoding.Strict().DecodeString(w.Tags)
	if err != nil || len(tags) != w.Entries*TagSize {
		return nil, fmt.Errorf("tags are not the base64 of %d tags of %d bytes", w.Entries, TagSize)
	}
	metas, err := base64.StdEncoding.Strict().DecodeString(w.Meta)
	if err != nil || len(metas) != w.Entries*metaSize {
		return nil, fmt.Errorf("meta is not the base64 of %d entries of %d bytes", w.Entries, metaSize)
	}
	f := &Filter{Holder: w.Holder, Recipient: w.Recipient, Generation: w.Generation, CreatedAt: created.UTC(),
		Label: w.Label, types: w.Types, categories: w.Categories,
		tags: make([]Tag, w.Entries), meta: make([]meta, w.Entries)}
	usedTypes, usedCategories := make([]bool, len(w.Types)), make([]bool, len(w.Categories))
	for i := range f.tags {
		f.tags[i] = Tag(tags[i*TagSize:])
		if i > 0 && compareTags(f.tags[i-1], f.tags[i]) >= 0 {
			return nil, fmt.Errorf("entry %d: tags not in increasing order (unsorted or repeated)", i)
		}
		b := metas[i*metaSize:]
		m := meta{typ: b[0], category: b[1], count: binary.BigEndian.Uint32(b[2:]),
			first: month(binary.BigEndian.Uint16(b[6:])), last: month(binary.BigEndian.Uint16(b[8:]))}
		if int(m.typ) >= len(w.Types) || int(m.category) >= len(w.Categories) {
			return nil, fmt.Errorf("entry %d: type or category index out of range", i)
		}
		if m.count == 0 || m.first > m.last {
			return nil, fmt.Errorf("entry %d: count 0 or first month after last", i)
		}
		usedTypes[m.typ], usedCategories[m.category] = true, true
		f.meta[i] = m
	}
	if slices.Contains(usedTypes, false) || slices.Contains(usedCategories, false) {
		return nil, fmt.Errorf("a type or category that no entry names")
	}
	f.index()
	return f, nil
}

// checkDictionary returns an error unless dict is sorted, without
// repetition, and holds only members of vocab.
func checkDictionary(name string, dict, vocab []string) error {
	for i, s := range dict {
		if i > 0 && dict[i-1] >= s {
			return fmt.Errorf("%s not sorted or repeated at %q", name, s)
		}
		if !slices.Contains(vocab, s) {
			return fmt.Errorf("%s: %q is not in the vocabulary", name, s)
		}
	}
	return nil
}
