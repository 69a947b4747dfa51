package postgres

import (
	"strconv"
	"strings"
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
