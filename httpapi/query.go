package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// query reads the URL query parameters of a list request, collecting every
// problem so that the client sees them all in one 400 answer, each under
// the name of its parameter.
type query struct {
	values url.Values
	fields []crossguard.FieldError
}

// parseQuery parses r's query string, refusing parameters not in allowed
// (a typo such as "categroy" would otherwise silently list everything) and
// parameters given more than once.
func parseQuery(r *http.Request, allowed ...string) *query {
	q := &query{}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		q.addf("query", "malformed query string: %s", clip(err.Error(), 200))
	}
	q.values = values
	for name, vs := range values {
		switch {
		case !slices.Contains(allowed, name):
			q.addf(clip(name, 100), "unknown parameter; this endpoint takes %s", strings.Join(allowed, ", "))
		case len(vs) > 1:
			q.addf(name, "given %d times; give it at most once", len(vs))
		}
	}
	slices.SortFunc(q.fields, func(a, b crossguard.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return q
}

// addf records a problem with parameter name.
func (q *query) addf(name, format string, args ...any) {
	q.fields = append(q.fields, crossguard.FieldError{Field: name, Message: fmt.Sprintf(format, args...)})
}

// str returns the parameter's value, "" if absent.
func (q *query) str(name string) string {
	return strings.TrimSpace(q.values.Get(name))
}

// time returns the parameter as an instant (crossguard.ParseTimeBound):
// RFC 3339, or a date YYYY-MM-DD meaning the start of that day in UTC, or
// with end the start of the next day, so that to=2026-11-20 includes the
// whole of the 20th. The "+" of an offset sent unescaped arrives as a space
// and is accepted.
func (q *query) time(name string, end bool) time.Time {
	s := q.str(name)
	t, err := crossguard.ParseTimeBound(strings.Replace(s, " ", "+", 1), end)
	if err != nil {
		q.addf(name, "%q is neither an RFC 3339 date and time (2026-11-20T09:30:00Z) nor a date (2026-11-20)", clip(s, 100))
	}
	return t
}

// int returns the parameter as a non-negative integer, 0 if absent.
func (q *query) int(name string) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		q.addf(name, "%q is not a whole number of 0 or more", clip(s, 100))
		return 0
	}
	return n
}

// timeRange reads the from and to parameters and checks their order.
func (q *query) timeRange() (from, to time.Time) {
	from, to = q.time("from", false), q.time("to", true)
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		q.addf("to", "must be after from")
	}
	return from, to
}

// err returns the collected problems as one EINVALID error, or nil.
func (q *query) err() error {
	if len(q.fields) == 0 {
		return nil
	}
	return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid query parameters", Fields: q.fields}
}

// origin reads the origin parameter of a list on the node self: "self"
// keeps this node's own records, "others" the records received from other
// nodes, and a node id AGENCY/NODE the records of that node. It returns
// the origin to keep and the origin to leave out, "" for no filter.
func (q *query) origin(name, self string) (only, not string) {
	s := q.str(name)
	switch s {
	case "":
		return "", ""
	case "self":
		return self, ""
	case "others":
		return "", self
	}
	agency, node, ok := strings.Cut(s, "/")
	if !ok {
		q.addf(name, "%q is neither self, others nor a node id AGENCY/NODE such as pk-customs/sost", clip(s, 100))
		return "", ""
	}
	before := len(q.fields)
	if err := crossguard.CheckAgencyID(agency); err != nil {
		q.addf(name, "%s", clip(err.Error(), 200))
	}
	if err := crossguard.CheckNodeName(node); err != nil {
		q.addf(name, "%s", clip(err.Error(), 200))
	}
	if len(q.fields) > before {
		return "", ""
	}
	return s, ""
}
