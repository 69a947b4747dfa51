package crossguard

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// KindAuditHead is the kind of a signed audit head: a node's statement of
// what its audit log held when it signed, which its direct peers keep so
// that a rewrite of the log is detected against copies held elsewhere
// (the signed tree heads of Certificate Transparency, RFC 9162, kept by
// others). It travels in the change feed like a record, but it is not one
// of ShareableKinds: no sharing policy applies to it (see MayShare).
const KindAuditHead = "audit_head"

// MaxHeadEntries is the most audit entries one head covers. A node with
// more entries to anchor signs several heads, so that a head's digests
// stay at most 16 KiB of hex.
const MaxHeadEntries = 1024

// HeadDigestBytes is how many leading bytes of each covered entry's hash a
// head carries: enough to name the first rewritten entry, since forging
// a rewrite whose 64-bit prefixes all match costs about 2^64 hashes per
// entry, while the head's full Hash still detects any rewrite at all.
const HeadDigestBytes = 8

// headDigestChars is the hex length of one digest.
const headDigestChars = 2 * HeadDigestBytes

// AuditHead is the body of an audit_head record: the audit entries
// FirstSeq to Seq of its origin's log, the full hash of entry Seq, and the
// first HeadDigestBytes of every covered entry's hash, in order, as one
// hex string. Its header's CreatedAt is when it was signed. Consecutive
// heads of a node cover consecutive ranges: FirstSeq is the previous
// head's Seq plus one.
type AuditHead struct {
	Header
	FirstSeq int64  `json:"first_seq"`
	Seq      int64  `json:"seq"`
	Hash     string `json:"hash"`
	Digests  string `json:"digests"`
}

// Digest returns the digest the head holds for entry seq, which it must
// cover.
func (h *AuditHead) Digest(seq int64) string {
	i := (seq - h.FirstSeq) * headDigestChars
	return h.Digests[i : i+headDigestChars]
}

// Covers reports whether the head covers entry seq.
func (h *AuditHead) Covers(seq int64) bool { return h.FirstSeq <= seq && seq <= h.Seq }

// EntryDigest returns the digest a head keeps of an entry's hash.
func EntryDigest(hash string) string {
	if len(hash) < headDigestChars {
		return hash
	}
	return hash[:headDigestChars]
}

// Validate checks the head's fields: a range of at most MaxHeadEntries
// entries, a SHA-256 hex hash whose digest ends the digests, and one
// digest per covered entry.
func (h *AuditHead) Validate() error {
	v := &validator{}
	n := h.Seq - h.FirstSeq + 1
	switch {
	case h.FirstSeq < 1:
		v.addf("first_seq", "must be 1 or more")
	case h.Seq < h.FirstSeq:
		v.addf("seq", "must be at least first_seq (%d)", h.FirstSeq)
	case n > MaxHeadEntries:
		v.addf("seq", "covers %d entries, more than %d", n, MaxHeadEntries)
	}
	if b, err := hex.DecodeString(h.Hash); err != nil || len(b) != 32 || strings.ToLower(h.Hash) != h.Hash {
		v.addf("hash", "must be a lowercase hex SHA-256")
	}
	if _, err := hex.DecodeString(h.Digests); err != nil || strings.ToLower(h.Digests) != h.Digests {
		v.addf("digests", "must be lowercase hex")
	} else if n >= 1 && n <= MaxHeadEntries && int64(len(h.Digests)) != n*headDigestChars {
		v.addf("digests", "must hold %d characters per covered entry (%d), not %d", headDigestChars, n*headDigestChars, len(h.Digests))
	} else if n >= 1 && n <= MaxHeadEntries && len(h.Hash) == 64 && h.Digest(h.Seq) != EntryDigest(h.Hash) {
		v.addf("digests", "the last digest is not the head's hash")
	}
	if h.Kind != KindAuditHead {
		v.addf("kind", "must be %s", KindAuditHead)
	}
	return v.err("audit head")
}

// HeadsOf cuts a run of consecutive audit entries into heads of at most
// MaxHeadEntries entries each, without their headers.
func HeadsOf(entries []*AuditEntry) []*AuditHead {
	var out []*AuditHead
	for len(entries) > 0 {
		n := min(len(entries), MaxHeadEntries)
		run := entries[:n]
		var d strings.Builder
		for _, e := range run {
			d.WriteString(EntryDigest(e.Hash))
		}
		out = append(out, &AuditHead{Header: Header{Kind: KindAuditHead}, FirstSeq: run[0].Seq,
			Seq: run[n-1].Seq, Hash: run[n-1].Hash, Digests: d.String()})
		entries = entries[n:]
	}
	return out
}

// StampHead fills a head's header: a head is version 1 of a record of its
// own, from origin, signed at at; it names no recipient and is marked
// TLP:CLEAR and H2 (a hash reveals nothing, and a head is never relayed).
func StampHead(h *AuditHead, id, origin string, at time.Time) {
	at = at.UTC().Truncate(time.Microsecond)
	h.Header = Header{ID: id, Kind: KindAuditHead, Origin: origin, Version: 1, CreatedAt: at, UpdatedAt: at,
		Distribution: DistPartners, Marking: Marking{TLP: TLPClear, Handling: "H2"}}
}

// DecodeAuditHead strictly decodes a head's record JSON (an unknown field
// is refused) and validates it against the header it travelled under.
func DecodeAuditHead(body []byte, h *Header) (*AuditHead, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var a AuditHead
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("malformed audit head: %v", err)
	}
	if h != nil && !SameHeader(&a.Header, h) {
		return nil, fmt.Errorf("malformed audit head: its header differs from the record's")
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return &a, nil
}

// HeldAuditHead is a signed audit head as a node holds it: this node's own
// (Via "") or one a peer sent, which is always that peer's own.
type HeldAuditHead struct {
	Head       *AuditHead
	Signed     SignedRecord // as its origin signed it
	Via        string       // the peer it came from; "" for this node's own
	ReceivedAt time.Time    // when it was stored here
}

// AuditHeadStore keeps signed audit heads: those this node signs, which
// its change feed serves to every direct peer, and those its peers sent,
// every one of them, as evidence of what their logs held. Storing or
// sending a head writes no audit entry: the log would otherwise grow
// because it is anchored, and anchor that growth, forever.
type AuditHeadStore interface {
	// WalkAuditAfter calls fn for every audit entry after seq, in chain
	// order, stopping at fn's first error.
	WalkAuditAfter(ctx context.Context, after int64, fn func(*AuditEntry) error) error
	// AddOwnAuditHead stores a head this node signed, with the next change
	// sequence number so that the feed serves it, and among the heads it
	// holds. It fails with ECONFLICT unless the head's FirstSeq follows
	// the Seq of the last own head (or is 1 for the first), so that two
	// processes signing at once cannot both store a head of one range.
	AddOwnAuditHead(ctx context.Context, h *HeldAuditHead) error
	// LastOwnAuditHead returns the own head of the highest Seq, or nil.
	LastOwnAuditHead(ctx context.Context) (*HeldAuditHead, error)
	// KeepAuditHeads stores p.AuditHeads, received from p.Peer at p.At,
	// each once however often it arrives. If advance is set it also moves
	// the peer's cursor to p.Cursor and its remote head and last exchange,
	// in the same transaction, as ApplyPage would but without an audit
	// entry and leaving the last error as it is; the caller sets it for a
	// page that brought nothing but heads.
	KeepAuditHeads(ctx context.Context, p *InboundPage, advance bool) error
	// AuditHeadsOf returns the heads held whose origin is origin (this
	// node's own included) and whose FirstSeq is after after, by FirstSeq
	// then Seq then id: those of the first limit heads' FirstSeqs, so
	// that heads of one FirstSeq never straddle two pages (limit 0: all).
	AuditHeadsOf(ctx context.Context, origin string, after int64, limit int) ([]*HeldAuditHead, error)
}

func init() {
	RegisterRecordKind(KindAuditHead, RecordKind{Check: func(body []byte, h *Header) (string, error) {
		_, err := DecodeAuditHead(body, h)
		return "", err
	}})
}
