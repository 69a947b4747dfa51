package crossguard

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

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
