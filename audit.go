package crossguard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Audit outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeFailed = "failed"
)

// GenesisHash is the PrevHash of the first audit entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEntry is one entry of the append-only, hash-chained audit log: who
// did what to which record, when, and with what outcome. Hash covers every
// other field and PrevHash, so changing or removing any entry breaks the
// chain from there on.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	RecordKind string    `json:"record_kind,omitempty"`
	RecordID   string    `json:"record_id,omitempty"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail,omitempty"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// ComputeHash returns the hex SHA-256 of the entry's fields and PrevHash,
// each length-prefixed so that no two different entries hash alike.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		e.Actor, e.Action, e.RecordKind, e.RecordID, e.Outcome, e.Detail,
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Chain sets e's Seq, PrevHash and Hash to follow the entry with sequence
// number prevSeq and hash prevHash. Stores call it while holding the
// chain's write lock.
func (e *AuditEntry) Chain(prevSeq int64, prevHash string) {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = e.ComputeHash()
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Actor    string
	Action   string
	RecordID string
	From, To time.Time
	Limit    int
	Cursor   string // opaque, from a previous page
}

// AuditPage is one page of audit entries, newest first.
type AuditPage struct {
	Items      []*AuditEntry `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

// AuditBreak describes the first entry at which a chain fails to verify.
type AuditBreak struct {
	Seq    int64
	Reason string
}

// Error implements error.
func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.Seq, b.Reason)
}

// VerifyAudit walks the whole chain and returns the number of entries that
// verified. It returns an *AuditBreak naming the first broken entry: one
// whose hash does not match its content, whose PrevHash is not the previous
// entry's hash, whose sequence number skips, or that differs from the head
// the store recorded before the walk; or, if the chain ends before that
// head, the first missing entry. Entries appended during the walk are
// verified too.
func VerifyAudit(ctx context.Context, s AuditStore) (int64, error) {
	headSeq, headHash, err := s.AuditHead(ctx)
	if err != nil {
		return 0, fmt.Errorf("read audit head: %w", err)
	}
	var n, prevSeq int64
	prevHash := GenesisHash
	err = s.WalkAudit(ctx, func(e *AuditEntry) error {
		switch {
		case e.Seq != prevSeq+1:
			return &AuditBreak{e.Seq, fmt.Sprintf("sequence jumps from %d to %d (entries removed)", prevSeq, e.Seq)}
		case e.PrevHash != prevHash:
			return &AuditBreak{e.Seq, "previous-hash does not match the entry before it"}
		case e.ComputeHash() != e.Hash:
			return &AuditBreak{e.Seq, "content does not match its hash (entry altered)"}
		case e.Seq == headSeq && e.Hash != headHash:
			return &AuditBreak{e.Seq, "its hash differs from the one the log's head records"}
		}
		n, prevSeq, prevHash = n+1, e.Seq, e.Hash
		return nil
	})
	switch {
	case err != nil:
		return n, err
	case prevSeq < headSeq:
		return n, &AuditBreak{prevSeq + 1, fmt.Sprintf("the log ends at entry %d but its head records entry %d (entries removed from the end)", prevSeq, headSeq)}
	}
	return n, nil
}

// AuditDetail joins key=value pairs into an entry's detail text.
func AuditDetail(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(kv[i] + "=" + strconv.Quote(kv[i+1]))
	}
	return b.String()
}
