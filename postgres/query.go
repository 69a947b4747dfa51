package postgres

import (
	"strconv"
	"strings"

	"crossguard"
)

// query collects the conditions and arguments of a dynamic WHERE clause,
// numbering the placeholders as they are added.
type query struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// where adds "column op value" if ok.
func (q *query) where(column, op string, v any, ok bool) {
	if ok {
		q.cond(column + " " + op + " " + q.arg(v))
	}
}

// cond adds a condition written by the caller.
func (q *query) cond(c string) {
	q.conds = append(q.conds, c)
}

// whereClause returns " WHERE c1 AND c2 ...", or "" without conditions.
func (q *query) whereClause() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// pageLimit applies the page size rules of every list: 0 means the
// default, more than the maximum means the maximum, negative is invalid.
func pageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid limit",
			Fields: []crossguard.FieldError{{Field: "limit", Message: "must not be negative"}}}
	case limit == 0:
		return crossguard.DefaultPageSize, nil
	case limit > crossguard.MaxPageSize:
		return crossguard.MaxPageSize, nil
	}
	return limit, nil
}
