package matchfilter

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// wireFilter is a filter's encoding: a JSON object whose members are in
// RFC 8785 order and whose strings need no escaping, so that encoding/json
// writes it canonically. Tags is the base64 (standard, padded) of the
// sorted tags, 16 bytes each; Meta, of 10 bytes per entry in the same
// order: the type's index in Types, the category's index in Categories,
// the count (4 bytes), the first and the last month (2 bytes each, months
// since 1970-01), integers big-endian. Types and Categories hold, sorted,
// exactly the ones the entries name.
type wireFilter struct {
	Categories []string `json:"categories"`
	CreatedAt  string   `json:"created_at"`
	Entries    int      `json:"entries"`
	Generation uint64   `json:"generation"`
	Holder     string   `json:"holder"`
	Label      string   `json:"label"`
	Meta       string   `json:"meta"`
	Recipient  string   `json:"recipient"`
	Tags       string   `json:"tags"`
	Types      []string `json:"types"`
}

// metaSize is the length of one entry's metadata in the encoding.
const metaSize = 10

// Encode returns the filter's canonical encoding, which is also its
// RFC 8785 canonical JSON: about 35 bytes an entry.
func (f *Filter) Encode() ([]byte, error) {
	w := wireFilter{Categories: f.categories, CreatedAt: f.CreatedAt.UTC().Format(time.RFC3339Nano),
		Entries: len(f.tags), Generation: f.Generation, Holder: f.Holder, Label: f.Label,
		Recipient: f.Recipient, Types: f.types}
	if w.Categories == nil {
		w.Categories = []string{}
	}
	if w.Types == nil {
		w.Types = []string{}
	}
	// The small members go through encoding/json; the two columns, which
	// are nearly all of a large filter, are base64-encoded straight into
	// the output in place of the empty strings marshalled for them.
	head, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("encode filter: %w", err)
	}
	tags := make([]byte, 0, len(f.tags)*TagSize)
	for _, t := range f.tags {
		tags = append(tags, t[:]...)
	}
	meta := make([]byte, 0, len(f.meta)*metaSize)
	for _, m := range f.meta {
		meta = append(meta, m.typ, m.category)
		meta = binary.BigEndian.AppendUint32(meta, m.count)
		meta = binary.BigEndian.AppendUint16(meta, uint16(m.first))
		meta = binary.BigEndian.AppendUint16(meta, uint16(m.last))
	}
	enc := base64.StdEncoding
	out := make([]byte, 0, len(head)+enc.EncodedLen(len(tags))+enc.EncodedLen(len(meta)))
	i := bytes.Index(head, []byte(`"meta":""`)) + len(`"meta":"`)
	j := bytes.Index(head, []byte(`"tags":""`)) + len(`"tags":"`)
	out = enc.AppendEncode(append(out, head[:i]...), meta)
	out = enc.AppendEncode(append(out, head[i:j]...), tags)
	return append(out, head[j:]...), nil
}
