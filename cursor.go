package crossguard

import (
	"encoding/base64"
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
	bad := &Error{Code: EINVALID, Message: "invalid cursor", Fields: []FieldError{{Field: "cursor", Message: "not a cursor returned by this list"}}}
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
