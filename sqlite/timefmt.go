package sqlite

import (
	"database/sql"
	"fmt"
	"math"
	"time"
)

// Time layouts of the text columns: UTC with a fixed-width fraction, so
// that text order is time order and a round trip is exact.
const (
	nanoLayout  = "2006-01-02T15:04:05.000000000Z"
	microLayout = "2006-01-02T15:04:05.000000Z" // audit entries, hashed at microseconds
)

// formatTime returns t as stored in a text column, to the nanosecond.
func formatTime(t time.Time) string { return t.UTC().Format(nanoLayout) }

// formatAuditTime returns t as stored in audit.at, to the microsecond.
func formatAuditTime(t time.Time) string { return t.UTC().Format(microLayout) }

// parseTime reads a time written by formatTime or formatAuditTime.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseNullTime reads an optional stored time.
func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// nullTime returns t for an optional text column.
func nullTime(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(*t), Valid: true}
}

// Bounds of times that unixNano represents exactly.
var (
	minNano = time.Unix(0, math.MinInt64)
	maxNano = time.Unix(0, math.MaxInt64)
)

// unixNano returns t as stored in the occurred_at columns, clamped to the
// years 1677 to 2262 that an int64 of nanoseconds can hold; no seizure
// occurs outside them, and filters beyond them select everything.
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minNano):
		return math.MinInt64
	case t.After(maxNano):
		return math.MaxInt64
	}
	return t.UnixNano()
}
