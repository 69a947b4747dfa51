package sqlite

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"crossguard"
)

// searchHit is a full-text match before its body is read.
type searchHit struct {
	key    int64 // seizures.key
	ftsKey int64 // seizures.fts_key
	occ    int64
	id     string
}

// search lists the seizures matching a full-text query and the rest of f.
//
// Sorting every match by occurred_at would cost time proportional to the
// number of matches, which for a common word is most of the database.
// Instead, since a seizure's FTS key starts with the second it occurred,
// the query walks the FTS index by rowid descending, that is second by
// second newest first. The category, country and HS filters are facet
// tokens of the same FTS query (see fts.go), so the index applies them
// too; dates and the cursor bound the rowid and are checked exactly on the
// seizures. Once it holds limit+1 hits, the query reads on to the end of
// the second of the last one: any later row occurred in an earlier second,
// so the newest limit+1 of the hits, sorted exactly, are the page. Only
// their bodies are read. Oldest first, the walk goes by rowid ascending,
// second by second oldest first, and stops likewise.
func (s *Store) search(ctx context.Context, f *listFilter) ([]*crossguard.Seizure, error) {
	match := ftsMatch(f.Query, f.Category, f.Country, f.HS)
	if match == "" {
		return []*crossguard.Seizure{}, nil
	}
	q, args := searchQuery(f, match)
	hits, err := s.searchHits(ctx, q, args, f.limit+1, f.Oldest)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(hits, func(a, b searchHit) int {
		c := cmp.Compare(b.occ, a.occ)
		if c == 0 {
			c = strings.Compare(b.id, a.id)
		}
		if f.Oldest {
			return -c
		}
		return c
	})
	if len(hits) > f.limit+1 {
		hits = hits[:f.limit+1]
	}
	return s.seizuresByKey(ctx, hits)
}

// searchQuery builds the query of search: full-text matches joined to
// their seizures in FTS key order, newest second first (oldest first if
// f.Oldest), with the rest of f's conditions.
func searchQuery(f *listFilter, match string) (string, []any) {
	q := &listQuery{driver: "s"}
	q.add("seizure_fts MATCH ?", match)
	q.add("s.deleted = 0")
	upper := int64(-1) // exclusive upper bound of keys, -1 for none
	lower := bucketStart(0)
	if !f.To.IsZero() {
		upper = keyAfterBucket(f.To)
	}
	if f.cursor != nil && !f.Oldest {
		if u := keyAfterBucket(unixTime(f.cursor.occ)); u >= 0 && (upper < 0 || u < upper) {
			upper = u
		}
	}
	if !f.From.IsZero() {
		lower = bucketStart(keyBucket(f.From))
	}
	if f.cursor != nil && f.Oldest {
		lower = max(lower, bucketStart(keyBucket(unixTime(f.cursor.occ))))
	}
	if upper >= 0 {
		q.add("f.rowid < ?", upper)
	}
	if lower > 0 {
		q.add("f.rowid >= ?", lower)
	}
	q.common(f, true, true, true) // category, country and HS are in match
	return "SELECT s.key, f.rowid, s.occurred_at, s.id FROM seizure_fts f CROSS JOIN seizures s ON s.fts_key = f.rowid WHERE " +
		strings.Join(q.where, " AND ") + " ORDER BY f.rowid" + f.direction(), q.args
}

// searchHits runs a search query whose rows come in FTS key order, newest
// second first (oldest first if oldest), and returns at least want hits
// (or all there are) and every hit in the second of the want-th.
func (s *Store) searchHits(ctx context.Context, sql string, args []any, want int, oldest bool) ([]searchHit, error) {
	rows, err := s.r.QueryContext(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("search seizures: %w", err)
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.key, &h.ftsKey, &h.occ, &h.id); err != nil {
			return nil, fmt.Errorf("search seizures: %w", err)
		}
		if len(hits) >= want && bucketOf(h.ftsKey) != bucketOf(hits[want-1].ftsKey) {
			break
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search seizures: %w", err)
	}
	return hits, nil
}

// seizuresByKey reads and decodes the seizures of hits, in their order.
func (s *Store) seizuresByKey(ctx context.Context, hits []searchHit) ([]*crossguard.Seizure, error) {
	items := make([]*crossguard.Seizure, 0, len(hits))
	if len(hits) == 0 {
		return items, nil
	}
	args := make([]any, len(hits))
	for i, h := range hits {
		args[i] = h.key
	}
	rows, err := s.r.QueryContext(ctx, "SELECT key, body FROM seizures WHERE key IN (?"+strings.Repeat(", ?", len(hits)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("search seizures: read: %w", err)
	}
	defer rows.Close()
	bodies := make(map[int64][]byte, len(hits))
	for rows.Next() {
		var key int64
		var body []byte
		if err := rows.Scan(&key, &body); err != nil {
			return nil, fmt.Errorf("search seizures: read: %w", err)
		}
		bodies[key] = body
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search seizures: read: %w", err)
	}
	for _, h := range hits {
		var sz crossguard.Seizure
		if err := json.Unmarshal(bodies[h.key], &sz); err != nil {
			return nil, fmt.Errorf("search seizures: decode %s: %w", h.id, err)
		}
		items = append(items, &sz)
	}
	return items, nil
}
