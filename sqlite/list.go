package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"crossguard"
)

// listQuery is a seizure list query under construction: the conditions
// that every way of listing shares, over the seizures table aliased s and
// the table that drives the query, whose index is in list order: s itself
// or the goods lines, aliased g.
type listQuery struct {
	driver   string // alias of the driving table, "s" or "g"
	byOrigin bool   // the driving index is seizures_origin
	where    []string
	args     []any
}

// col returns a column of the driving table (occurred_at or country).
func (q *listQuery) col(name string) string { return q.driver + "." + name }

// add appends a condition and its arguments.
func (q *listQuery) add(cond string, args ...any) {
	q.where = append(q.where, cond)
	q.args = append(q.args, args...)
}

// seizureCursor is a decoded list cursor: the occurred_at (in nanoseconds)
// and id of the last seizure of the previous page.
type seizureCursor struct {
	occ int64
	id  string
}

// listFilter is a validated SeizureFilter.
type listFilter struct {
	crossguard.SeizureFilter
	limit  int
	cursor *seizureCursor
}

// validateFilter checks f and applies the page size rules.
func validateFilter(f crossguard.SeizureFilter) (*listFilter, error) {
	limit, err := crossguard.PageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	lf := &listFilter{SeizureFilter: f, limit: limit}
	if f.HS != "" && !digitsOnly(f.HS) {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid filter",
			Fields: []crossguard.FieldError{{Field: "hs", Message: fmt.Sprintf("%q must contain digits only, the start of an HS code such as 2939", f.HS)}}}
	}
	if f.Cursor != "" {
		at, id, err := f.DecodeCursor()
		if err != nil {
			return nil, err
		}
		lf.cursor = &seizureCursor{occ: unixNano(at), id: id}
	}
	return lf, nil
}

// digitsOnly reports whether s is made of the ASCII digits 0-9.
func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hsRange returns the range of HS codes that start with prefix: from
// prefix (inclusive) to the next prefix of the same length (exclusive).
func hsRange(prefix string) (lo, hi string) {
	n := len(prefix)
	return prefix, prefix[:n-1] + string(prefix[n-1]+1) // '9'+1 is ':', which sorts after every digit
}

// common adds the conditions that do not drive the query: dates, cursor,
// country, category, HS prefix and origins, skipping what the driving
// index already guarantees (the origin only when the query is driven by
// the origin index).
func (q *listQuery) common(f *listFilter, skipCountry, skipCategory, skipHS bool) {
	occ := q.col("occurred_at")
	if !f.From.IsZero() {
		q.add(occ+" >= ?", unixNano(f.From))
	}
	if !f.To.IsZero() {
		q.add(occ+" < ?", unixNano(f.To))
	}
	if f.cursor != nil && f.Oldest {
		q.add(occ+" >= ? AND ("+occ+" > ? OR s.id > ?)", f.cursor.occ, f.cursor.occ, f.cursor.id)
	} else if f.cursor != nil {
		q.add(occ+" <= ? AND ("+occ+" < ? OR s.id < ?)", f.cursor.occ, f.cursor.occ, f.cursor.id)
	}
	if f.Country != "" && !skipCountry {
		q.add(q.col("country")+" = ?", f.Country)
	}
	if f.Category != "" && !skipCategory {
		q.add("EXISTS (SELECT 1 FROM seizure_goods c WHERE c.seizure = s.key AND c.category = ?)", f.Category)
	}
	if f.HS != "" && !skipHS {
		lo, hi := hsRange(f.HS)
		q.add("EXISTS (SELECT 1 FROM seizure_goods h WHERE h.seizure = s.key AND h.hs >= ? AND h.hs < ?)", lo, hi)
	}
	if f.Origin != "" && !q.byOrigin {
		q.add("s.origin = ?", f.Origin)
	}
	if f.NotOrigin != "" {
		q.add("s.origin <> ?", f.NotOrigin)
	}
	if f.Place != "" {
		q.add(placeCondition, strings.ToUpper(f.Place), foldCase(f.Place))
	}
}

// direction returns the SQL direction of f's list order.
func (f *listFilter) direction() string {
	if f.Oldest {
		return " ASC"
	}
	return " DESC"
}

// hsIndex returns the goods column (hs2, hs4 or hs6) whose index serves an
// HS prefix, the value to look up, and whether the index answers the
// prefix exactly (lengths 2, 4 and 6) or only narrows it.
func hsIndex(prefix string) (column, value string, exact bool) {
	switch n := len(prefix); {
	case n >= 6:
		return "hs6", prefix[:6], n == 6
	case n >= 4:
		return "hs4", prefix[:4], n == 4
	case n >= 2:
		return "hs2", prefix[:2], n == 2
	}
	return "", "", false
}

// indexedList builds the query of a list without full-text search. It
// walks, in list order (backwards for oldest first), the most selective index the filter allows (HS
// prefix, then category, then country, then origin, then all live
// seizures) and stops after limit+1 rows.
func indexedList(f *listFilter) (string, []any) {
	var from string
	q := &listQuery{}
	hsCol, hsVal, hsExact := hsIndex(f.HS)
	switch {
	case hsCol != "":
		from = "seizure_goods g CROSS JOIN seizures s ON s.key = g.seizure"
		q.driver = "g"
		q.add("g."+hsCol+" = ? AND g.first_"+hsCol+" = 1", hsVal)
		q.common(f, false, false, hsExact)
	case f.Category != "":
		from = "seizure_goods g CROSS JOIN seizures s ON s.key = g.seizure"
		q.driver = "g"
		q.add("g.category = ? AND g.first_category = 1", f.Category)
		q.common(f, false, true, false)
	case f.Country != "":
		from = "seizures s"
		q.driver = "s"
		q.add("s.deleted = 0 AND s.country = ?", f.Country)
		q.common(f, true, false, false)
	case f.Origin != "":
		from = "seizures s INDEXED BY seizures_origin"
		q.driver, q.byOrigin = "s", true
		q.add("s.deleted = 0 AND s.origin = ?", f.Origin)
		q.common(f, false, false, false)
	default:
		from = "seizures s"
		q.driver = "s"
		q.add("s.deleted = 0")
		q.common(f, false, false, false)
	}
	sql := "SELECT s.body FROM " + from + " WHERE " + strings.Join(q.where, " AND ") +
		" ORDER BY " + q.col("occurred_at") + f.direction() + ", s.id" + f.direction() + " LIMIT ?"
	return sql, append(q.args, f.limit+1)
}

// ListSeizures returns one page of live seizures matching f, newest
// occurred_at first, ties broken by id descending, or the reverse if
// f.Oldest.
func (s *Store) ListSeizures(ctx context.Context, filter crossguard.SeizureFilter) (*crossguard.SeizurePage, error) {
	f, err := validateFilter(filter)
	if err != nil {
		return nil, err
	}
	var items []*crossguard.Seizure
	if f.Query != "" {
		items, err = s.search(ctx, f)
	} else {
		items, err = s.indexedList(ctx, f)
	}
	if err != nil {
		return nil, err
	}
	page := &crossguard.SeizurePage{Items: items}
	if len(items) > f.limit {
		page.Items = items[:f.limit]
		last := page.Items[f.limit-1]
		page.NextCursor = filter.EncodeCursor(last.OccurredAt, last.ID)
	}
	return page, nil
}

// indexedList runs the query of indexedList and decodes up to limit+1
// seizures.
func (s *Store) indexedList(ctx context.Context, f *listFilter) ([]*crossguard.Seizure, error) {
	q, args := indexedList(f)
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list seizures: %w", err)
	}
	defer rows.Close()
	items := make([]*crossguard.Seizure, 0, f.limit+1)
	var body []byte
	for rows.Next() {
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("list seizures: %w", err)
		}
		var sz crossguard.Seizure
		if err := json.Unmarshal(body, &sz); err != nil {
			return nil, fmt.Errorf("list seizures: decode: %w", err)
		}
		items = append(items, &sz)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list seizures: %w", err)
	}
	return items, nil
}
