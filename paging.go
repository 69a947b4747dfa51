package crossguard

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Page sizes of lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// PageSize applies the page size rules of every list to a requested
// limit: 0 means DefaultPageSize, more than MaxPageSize means MaxPageSize,
// and a negative limit is invalid.
func PageSize(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, &Error{Code: EINVALID, Message: "invalid limit", Fields: []FieldError{{Field: "limit", Message: "must not be negative"}}}
	case limit == 0:
		return DefaultPageSize, nil
	case limit > MaxPageSize:
		return MaxPageSize, nil
	}
	return limit, nil
}

// Every list returns pages of at most MaxPageSize items and an opaque
// cursor that continues it: the base64 (URL alphabet, unpadded) of a prefix
// naming its list and order, if any, and the key of the last item
// returned. A list refuses a cursor it did not make with EINVALID. The
// decoders live here beside their encoders because node, httpapi and web
// check cursors (SeizureFilter.DecodeCursor, DecisionFilter.Normalize)
// before a store is asked.

// EncodeSeizureCursor returns the opaque list cursor that continues after a
// seizure with this occurred_at and id.
func EncodeSeizureCursor(occurredAt time.Time, id string) string {
	raw := occurredAt.UTC().Format(time.RFC3339Nano) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeSeizureCursor reverses EncodeSeizureCursor, failing with EINVALID on
// a cursor it did not make.
func DecodeSeizureCursor(cursor string) (time.Time, string, error) {
	bad := badCursor()
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return time.Time{}, "", bad
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", bad
	}
	return t, id, nil
}

// badCursor is the error of a cursor a list did not make.
func badCursor() *Error {
	return &Error{Code: EINVALID, Message: "invalid cursor", Fields: []FieldError{{Field: "cursor", Message: "not a cursor returned by this list"}}}
}

// auditCursorPrefix marks audit list cursors.
const auditCursorPrefix = "audit|"

// EncodeAuditCursor returns the opaque cursor that continues an audit list
// after the entry with this sequence number.
func EncodeAuditCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(auditCursorPrefix + strconv.FormatInt(seq, 10)))
}

// DecodeAuditCursor reverses EncodeAuditCursor, failing with EINVALID.
func DecodeAuditCursor(cursor string) (int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if n, ok := strings.CutPrefix(string(raw), auditCursorPrefix); ok {
			if seq, err := strconv.ParseInt(n, 10, 64); err == nil && seq > 0 {
				return seq, nil
			}
		}
	}
	return 0, badCursor()
}

// oldestCursorPrefix marks the cursors of oldest-first seizure lists, so
// that a cursor of one order is refused by a list of the other rather
// than silently skipping or repeating records.
const oldestCursorPrefix = "oldest|"

// EncodeCursor returns the opaque cursor that continues a list in f's
// order after a seizure with this occurred_at and id. Newest-first cursors
// are those of EncodeSeizureCursor.
func (f SeizureFilter) EncodeCursor(occurredAt time.Time, id string) string {
	if !f.Oldest {
		return EncodeSeizureCursor(occurredAt, id)
	}
	raw := oldestCursorPrefix + occurredAt.UTC().Format(time.RFC3339Nano) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor decodes f.Cursor, failing with EINVALID on a cursor that
// EncodeCursor did not make for a list in f's order.
func (f SeizureFilter) DecodeCursor() (time.Time, string, error) {
	if !f.Oldest {
		return DecodeSeizureCursor(f.Cursor) // refuses oldest-first cursors: "oldest" is no time
	}
	raw, err := base64.RawURLEncoding.DecodeString(f.Cursor)
	if err != nil {
		return time.Time{}, "", badCursor()
	}
	rest, ok := strings.CutPrefix(string(raw), oldestCursorPrefix)
	if !ok {
		return time.Time{}, "", badCursor()
	}
	return DecodeSeizureCursor(base64.RawURLEncoding.EncodeToString([]byte(rest)))
}

// decisionCursorPrefix marks declaration queue cursors.
const decisionCursorPrefix = "decision|"

// EncodeDecisionCursor returns the opaque cursor that continues the
// declaration queue after the decision made at decidedAt on declaration
// id.
func EncodeDecisionCursor(decidedAt time.Time, id string) string {
	raw := decisionCursorPrefix + decidedAt.UTC().Format(time.RFC3339Nano) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeDecisionCursor reverses EncodeDecisionCursor, failing with
// EINVALID on a cursor it did not make.
func DecodeDecisionCursor(cursor string) (time.Time, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", badCursor()
	}
	rest, ok := strings.CutPrefix(string(raw), decisionCursorPrefix)
	if !ok {
		return time.Time{}, "", badCursor()
	}
	at, id, ok := strings.Cut(rest, "|")
	if !ok || id == "" {
		return time.Time{}, "", badCursor()
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return time.Time{}, "", badCursor()
	}
	return t.UTC(), id, nil
}
