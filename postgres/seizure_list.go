package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// ListSeizures returns one page of live seizures matching f, newest
// occurred_at first, ties broken by id descending, or the reverse if
// f.Oldest (the same indexes, walked backwards).
//
// The query walks an index in list order and stops after one row more than
// the page: the seizure_goods index of the HS prefix (2 digits or more) or
// else of the category, whose entries carry occurred_at, the seizure id and
// its country; otherwise seizures_live_country, seizures_live_origin or
// seizures_live_occurred. The other filters are checked on the rows the
// walk meets.
func (s *Store) ListSeizures(ctx context.Context, f crossguard.SeizureFilter) (*crossguard.SeizurePage, error) {
	limit, err := crossguard.PageSize(f.Limit)
	if err != nil {
		return nil, err
	}
	if f.HS != "" && !isDigits(f.HS) {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid filter",
			Fields: []crossguard.FieldError{{Field: "hs", Message: fmt.Sprintf("%q must contain digits only, the start of an HS code such as 2939", f.HS)}}}
	}
	var cur *listCursor
	if f.Cursor != "" {
		at, id, err := f.DecodeCursor()
		if err != nil {
			return nil, err
		}
		cur = &listCursor{at: dbTime(at), id: id}
	}
	page := &crossguard.SeizurePage{Items: []*crossguard.Seizure{}}
	search := searchQuery(f.Query)
	if f.Query != "" && search == "" {
		return page, nil // a query without words matches nothing
	}

	sql, args := listSQL(f, cur, search, limit+1)
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list seizures: %w", err)
	}
	var body []byte
	_, err = pgx.ForEachRow(rows, []any{&body}, func() error {
		if len(page.Items) == limit {
			last := page.Items[limit-1]
			page.NextCursor = f.EncodeCursor(last.OccurredAt, last.ID)
			return nil
		}
		sz, err := decodeSeizure(body)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, sz)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list seizures: %w", err)
	}
	return page, nil
}

// listCursor is a decoded list cursor: the stored occurred_at and the id of
// the last seizure of the previous page.
type listCursor struct {
	at time.Time
	id string
}

// listSQL returns the query of a list and its arguments. search is the
// tsquery of f.Query ("" for none) and rows the number of rows to fetch.
func listSQL(f crossguard.SeizureFilter, cur *listCursor, search string, rows int) (string, []any) {
	var q query
	dir, after := " DESC", " < "
	if f.Oldest {
		dir, after = " ASC", " > "
	}
	// keys adds the conditions on the list order columns, occurred_at and
	// id, of the walked index.
	keys := func(at, id string) {
		q.where(at, ">=", dbTime(f.From), !f.From.IsZero())
		q.where(at, "<", dbTime(f.To), !f.To.IsZero())
		if cur != nil {
			q.cond("(" + at + ", " + id + ")" + after + "(" + q.arg(cur.at) + ", " + q.arg(cur.id) + ")")
		}
	}
	hsDrives := len(f.HS) >= 2
	var from, order string
	switch {
	case hsDrives || f.Category != "":
		// Walk the goods index, each seizure once (DISTINCT over the index
		// order), and join the seizure of each entry.
		if hsDrives {
			hsCondition(&q, "g.", f.HS)
		} else {
			q.where("g.category", "=", f.Category, true)
		}
		q.where("g.country", "=", f.Country, f.Country != "")
		keys("g.occurred_at", "g.seizure_id")
		walk := `(SELECT DISTINCT g.occurred_at, g.seizure_id FROM seizure_goods g` + q.whereClause() + `
      ORDER BY g.occurred_at` + dir + `, g.seizure_id` + dir + `) m`
		q.conds = nil
		from = walk + `
JOIN seizures s ON s.id = m.seizure_id`
		order = "m.occurred_at" + dir + ", m.seizure_id" + dir
		q.cond("NOT s.deleted")
		if hsDrives && f.Category != "" {
			q.cond("EXISTS (SELECT 1 FROM seizure_goods c WHERE c.seizure_id = s.id AND c.category = " + q.arg(f.Category) + ")")
		}
	default:
		from, order = "seizures s", "s.occurred_at"+dir+", s.id"+dir
		q.cond("NOT s.deleted")
		q.where("s.country", "=", f.Country, f.Country != "")
		keys("s.occurred_at", "s.id")
	}
	if f.HS != "" && !hsDrives { // one digit: no index narrows it
		q.cond("EXISTS (SELECT 1 FROM seizure_goods h WHERE h.seizure_id = s.id AND h.hs >= " +
			q.arg(f.HS) + " AND h.hs < " + q.arg(f.HS+":") + ")")
	}
	if search != "" {
		q.cond("s.fts @@ " + q.arg(search) + "::tsquery")
	}
	q.where("s.origin", "=", f.Origin, f.Origin != "")
	q.where("s.origin", "<>", f.NotOrigin, f.NotOrigin != "")
	if f.Place != "" {
		// The place lives only in the body; lower() folds every letter,
		// as the SQLite backend's crossguard_fold does.
		q.cond("((s.body::jsonb #>> '{place,locode}') = " + q.arg(strings.ToUpper(f.Place)) +
			" OR strpos(lower(s.body::jsonb #>> '{place,name}'), " + q.arg(strings.ToLower(f.Place)) + ") > 0)")
	}
	return `SELECT s.body FROM ` + from + q.whereClause() + `
ORDER BY ` + order + `
LIMIT ` + strconv.Itoa(rows), q.args
}

// hsCondition adds the condition that a goods line's HS code starts with
// prefix (2 digits or more), using the column of the 2, 4 or 6-digit prefix
// that fits and, for other lengths, a range on the full code. Codes are
// digits only, so every code that starts with prefix sorts before
// prefix+":" (':' follows '9').
func hsCondition(q *query, alias, prefix string) {
	switch n := len(prefix); {
	case n == 2 || n == 4 || n == 6:
		q.where(alias+"hs"+strconv.Itoa(n), "=", prefix, true)
		return
	case n > 6:
		q.where(alias+"hs6", "=", prefix[:6], true)
	case n > 4:
		q.where(alias+"hs4", "=", prefix[:4], true)
	default:
		q.where(alias+"hs2", "=", prefix[:2], true)
	}
	q.where(alias+"hs", ">=", prefix, true)
	q.where(alias+"hs", "<", prefix+":", true)
}

// isDigits reports whether s is made of the ASCII digits 0-9.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
