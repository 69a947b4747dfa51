package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
	"crossguard/refdata"
)

// seizureCols holds the seizures-table values of many seizures column by
// column, the shape that unnest turns into rows in a single statement.
type seizureCols struct {
	id, origin, country, dist, tlp, body, search []string
	seq, version                                 []int64
	created, updated, occurred                   []time.Time
}

// add appends s, stored with change sequence number seq. The record is
// encoded as JSON once, here.
func (c *seizureCols) add(s *crossguard.Seizure, seq int64) error {
	body, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode seizure %s: %w", s.ID, err)
	}
	c.id = append(c.id, s.ID)
	c.origin = append(c.origin, s.Origin)
	c.country = append(c.country, s.Country)
	c.dist = append(c.dist, s.Distribution)
	c.tlp = append(c.tlp, s.Marking.TLP)
	c.body = append(c.body, string(body))
	c.search = append(c.search, searchWords(s))
	c.seq = append(c.seq, seq)
	c.version = append(c.version, s.Version)
	c.created = append(c.created, s.CreatedAt)
	c.updated = append(c.updated, s.UpdatedAt)
	c.occurred = append(c.occurred, s.OccurredAt)
	return nil
}

// args returns the columns in the order of insertSeizures' parameters.
func (c *seizureCols) args() []any {
	return []any{c.id, c.seq, c.origin, c.version, c.created, c.updated, c.occurred,
		c.country, c.dist, c.tlp, c.body, c.search}
}

// insertSeizures inserts many live seizures in one statement, skipping (and
// so not returning) any whose id is already taken.
const insertSeizures = `INSERT INTO seizures (id, seq, origin, version, created_at, updated_at, occurred_at,
    country, distribution, tlp, deleted, body, fts)
SELECT u.id, u.seq, u.origin, u.version, u.created_at, u.updated_at, u.occurred_at,
    u.country, u.distribution, u.tlp, false, u.body, array_to_tsvector(string_to_array(u.search, ' '))
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[],
    $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
    AS u(id, seq, origin, version, created_at, updated_at, occurred_at, country, distribution, tlp, body, search)
ON CONFLICT (id) DO NOTHING
RETURNING id`

// goodsCols holds the seizure_goods rows of many seizures column by column.
type goodsCols struct {
	seizure, category, hs, hs2, hs4, hs6, country []string
	line                                          []int32
	occurred                                      []time.Time
}

// add appends one row per goods line of s.
func (g *goodsCols) add(s *crossguard.Seizure) {
	for i, line := range s.Goods {
		hs2, hs4, hs6 := refdata.HSPrefixes(line.HS)
		g.seizure = append(g.seizure, s.ID)
		g.line = append(g.line, int32(i))
		g.category = append(g.category, line.Category)
		g.hs = append(g.hs, line.HS)
		g.hs2 = append(g.hs2, hs2)
		g.hs4 = append(g.hs4, hs4)
		g.hs6 = append(g.hs6, hs6)
		g.occurred = append(g.occurred, s.OccurredAt)
		g.country = append(g.country, s.Country)
	}
}

// empty reports whether there are no rows.
func (g *goodsCols) empty() bool { return len(g.seizure) == 0 }

// args returns the columns in the order of insertGoods' parameters.
func (g *goodsCols) args() []any {
	return []any{g.seizure, g.line, g.category, g.hs, g.hs2, g.hs4, g.hs6, g.occurred, g.country}
}

// insertGoods inserts many goods lines in one statement.
const insertGoods = `INSERT INTO seizure_goods (seizure_id, line, category, hs, hs2, hs4, hs6, occurred_at, country)
SELECT u.seizure_id, u.line, u.category, u.hs, nullif(u.hs2, ''), nullif(u.hs4, ''), nullif(u.hs6, ''),
    u.occurred_at, u.country
FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::timestamptz[], $9::text[])
    AS u(seizure_id, line, category, hs, hs2, hs4, hs6, occurred_at, country)`
