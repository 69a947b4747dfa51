package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"crossguard"
)

// Limits of the protocol. A page is bounded in items and bytes; a single
// record version is bounded so that one huge record cannot starve a page.
const (
	DefaultPageItems = 500
	MaxPageItems     = 1000
	DefaultPageBytes = 4 << 20
	MaxPageBytes     = 16 << 20
	MaxRecordBytes   = 1 << 20
	MaxPathLength    = 32
	// pageSlack is what a page may exceed its byte budget by: one record
	// always fits, so a page of one record may reach MaxRecordBytes plus
	// the page's own framing.
	pageSlack = 64 << 10
)

// Item types of a page.
const (
	ItemRecord     = "record"
	ItemWithdrawal = "withdrawal"
)

// Page is one page of a node's change feed as it travels: the changes
// after the asking peer's cursor that the policy lets it have, the cursor
// to ask from next, and the serving node's head.
type Page struct {
	Protocol   int    `json:"protocol"`
	From       string `json:"from"`        // the serving node's id
	Items      []Item `json:"items"`       // in change order
	NextCursor int64  `json:"next_cursor"` // the cursor for the next pull
	Head       int64  `json:"head"`        // the serving node's last change
}

// Item is one entry of a page: a signed record version (live or a
// tombstone) or a withdrawal.
type Item struct {
	Seq        int64                    `json:"seq"`
	Type       string                   `json:"type"`
	Signed     *crossguard.SignedRecord `json:"signed,omitempty"`
	Withdrawal *crossguard.Withdrawal   `json:"withdrawal,omitempty"`
	// Path is the nodes a record version passed through, origin first and
	// the serving node last (see docs/federation.md, Paths and sources).
	Path []string `json:"path,omitempty"`
}

// ReadError is a failure to read a page off the connection, as opposed to
// a page that arrived and is wrong.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "read page: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// ErrPageTooLarge reports a page body over the size the client allows.
var ErrPageTooLarge = errors.New("page larger than the limit asked for")

// ReadLimit returns how many bytes a client reads of a page it asked to
// be at most maxBytes.
func ReadLimit(maxBytes int) int64 {
	return int64(max(maxBytes, MaxRecordBytes)) + pageSlack
}

// DecodePage reads and strictly decodes one page of at most limit bytes:
// unknown fields, trailing data, a wrong protocol, items out of order or
// of unknown types are errors, so that a malformed page is refused whole.
func DecodePage(r io.Reader, limit int64) (*Page, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &ReadError{Err: err}
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrPageTooLarge, limit)
	}
	return ParsePage(b)
}

// ParsePage strictly decodes a page already in memory (see DecodePage).
func ParsePage(b []byte) (*Page, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Page
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("malformed page: %w", err)
	}
	if dec.More() {
		return nil, errors.New("malformed page: data after the page")
	}
	if p.Protocol != crossguard.ProtocolVersion {
		return nil, fmt.Errorf("page of protocol %d; this node speaks protocol %d", p.Protocol, crossguard.ProtocolVersion)
	}
	if len(p.Items) > MaxPageItems {
		return nil, fmt.Errorf("page of %d items, more than the protocol's %d", len(p.Items), MaxPageItems)
	}
	last := int64(-1)
	for i, it := range p.Items {
		if it.Seq <= last {
			return nil, fmt.Errorf("malformed page: item %d has seq %d after %d", i, it.Seq, last)
		}
		last = it.Seq
		switch {
		case it.Type == ItemRecord && it.Signed != nil && it.Withdrawal == nil:
		case it.Type == ItemWithdrawal && it.Withdrawal != nil && it.Signed == nil:
		default:
			return nil, fmt.Errorf("malformed page: item %d (seq %d) is neither a signed record nor a withdrawal", i, it.Seq)
		}
	}
	if p.NextCursor < last || p.NextCursor < 0 {
		return nil, fmt.Errorf("malformed page: next cursor %d before its last item %d", p.NextCursor, last)
	}
	return &p, nil
}
