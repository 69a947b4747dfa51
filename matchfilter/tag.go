package matchfilter

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
)

// TagSize is the length of a tag in bytes: HMAC-SHA256 truncated to 128
// bits. Matching needs set membership, not a signature, so 128 bits suffice:
// among n = 10^7 entries and as many probes the chance that any two
// different identifiers share a tag is about n²/2^129 ≈ 1.5·10^-25, and a
// false hit is as unlikely; half the size of the full HMAC halves a filter.
const TagSize = 16

// Tag is the keyed hash of one identifier under a pair key.
type Tag [TagSize]byte

// Identifier is one identifier as the identifier package normalises it: its
// type (e.g. "container") and its normalised value (e.g. "COSU1099521").
type Identifier struct {
	Type  string
	Value string
}

// Tagger computes the tags of identifiers under one pair key:
// HMAC-SHA256(key, type || 0x00 || value), first 16 bytes. The type, a
// lowercase token, holds no zero byte, so the input names the pair
// unambiguously. A Tagger keeps the HMAC's keyed state between calls, so a
// tag costs two SHA-256 blocks and no allocation; it is not safe for
// concurrent use.
type Tagger struct {
	mac hash.Hash
	in  []byte
	sum []byte
}

// NewTagger returns a Tagger for the pair key k.
func NewTagger(k PairKey) *Tagger {
	return &Tagger{mac: hmac.New(sha256.New, k.secret[:]), sum: make([]byte, 0, sha256.Size)}
}

// Tag returns the tag of id.
func (t *Tagger) Tag(id Identifier) Tag {
	t.in = append(append(append(t.in[:0], id.Type...), 0), id.Value...)
	t.mac.Reset()
	t.mac.Write(t.in)
	t.sum = t.mac.Sum(t.sum[:0])
	return Tag(t.sum[:TagSize])
}

// compareTags orders tags as byte strings, the order of a filter's
// entries: as two big-endian 64-bit halves, which is the same order and
// faster than comparing bytes one by one.
func compareTags(a, b Tag) int {
	if c := cmp.Compare(binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(b[:8])); c != 0 {
		return c
	}
	return cmp.Compare(binary.BigEndian.Uint64(a[8:]), binary.BigEndian.Uint64(b[8:]))
}
