package crossguard

import (
	"encoding/base64"
	"strings"
	"time"
)

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
