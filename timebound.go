package crossguard

import (
	"fmt"
	"time"
)

// ParseTimeBound parses a list filter's date: RFC 3339, or a calendar date
// YYYY-MM-DD in UTC. For an upper bound (end true) a calendar date means
// the end of that day, so that to=2026-11-20 includes the 20th. An empty
// string is the zero time (no bound).
func ParseTimeBound(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (2026-11-20) nor an RFC 3339 time (2026-11-20T09:30:00Z)", s)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
