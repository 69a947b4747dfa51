package storekit

import (
	"fmt"
	"time"
)

// Time receives a time column of either store, NULL included: postgres
// hands a time.Time, sqlite the RFC 3339 text it wrote. Either way Time
// holds it in UTC, so that scanners read times once for both stores.
type Time struct {
	Time  time.Time
	Valid bool // false for NULL
}

// Scan implements sql.Scanner, which both drivers call for it.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = Time{}
	case time.Time:
		*t = Time{Time: v.UTC(), Valid: true}
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("stored time: cannot read a %T", src)
	}
	return nil
}

// parse reads a time stored as text.
func (t *Time) parse(s string) error {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	*t = Time{Time: v.UTC(), Valid: true}
	return nil
}

// Ptr returns the time, or nil for NULL.
func (t Time) Ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}
