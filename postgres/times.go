package postgres

import "time"

// utcPtr returns t in UTC, keeping nil. pgx returns timestamptz values in
// the local time zone; the store hands out UTC only.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// dbTime returns t as the database stores it: in UTC, truncated to the
// microsecond. Records keep full precision in their JSON body, so a cursor
// or filter bound taken from a record is truncated the same way as the
// column it is compared with.
func dbTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
