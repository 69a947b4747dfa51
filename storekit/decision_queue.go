package storekit

import (
	"strings"

	"crossguard"
)

// DecisionQueueQuery returns the query of a page of the declaration
// queue for f, and the size of the page (see
// crossguard.DecisionFilter.Normalize): head, which selects from decisions c LEFT JOIN
// inspections i, with the conditions of f, newest decision first (ties by
// declaration id, descending), limited to one row more than the page so
// as to know whether another follows. It walks decisions_crossing (one
// crossing) or decisions_decided (all) backwards from the cursor; the
// channel and inspection filters apply to the rows walked. arg adds a
// value to the query's arguments and returns its placeholder; the time of
// the cursor is a time.Time.
func DecisionQueueQuery(head string, f crossguard.DecisionFilter, arg func(v any) string) (string, int, error) {
	f, err := f.Normalize()
	if err != nil {
		return "", 0, err
	}
	var where []string
	if f.Crossing != "" {
		where = append(where, "c.crossing = "+arg(f.Crossing))
	}
	if f.Channel != "" {
		where = append(where, "c.channel = "+arg(f.Channel))
	}
	if f.Uninspected {
		where = append(where, "i.declaration_id IS NULL")
	}
	if f.Cursor != "" {
		at, id, err := crossguard.DecodeDecisionCursor(f.Cursor)
		if err != nil {
			return "", 0, err
		}
		where = append(where, "(c.decided_at, c.declaration_id) < ("+arg(at)+", "+arg(id)+")")
	}
	q := head
	if len(where) > 0 {
		q += "\nWHERE " + strings.Join(where, " AND ")
	}
	return q + "\nORDER BY c.decided_at DESC, c.declaration_id DESC LIMIT " + arg(f.Limit+1), f.Limit, nil
}

// DecisionPage returns the page of the declaration queue of items, read
// with one more than limit so as to know whether another page follows.
func DecisionPage(items []*crossguard.DeclarationEntry, limit int) *crossguard.DecisionPage {
	page := &crossguard.DecisionPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = crossguard.EncodeDecisionCursor(last.Decision.DecidedAt, last.Decision.DeclarationID)
	}
	return page
}
