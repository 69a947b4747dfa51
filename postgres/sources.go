package postgres

import (
	"crossguard/federation/apply"
	"crossguard/storekit"
)

// sourceRows holds sources of received records column by column, the
// shape that unnest turns into rows in a single statement.
type sourceRows struct {
	id, peer, path []string
	version        []int64
}

// add appends the source that s names, with the version and path it
// offers (none if it is gone).
func (c *sourceRows) add(s apply.SourceChange) {
	c.id, c.peer = append(c.id, s.ID), append(c.peer, s.Peer)
	c.version, c.path = append(c.version, s.Source.Version), append(c.path, storekit.EncodePath(s.Source.Path))
}

// empty reports whether there are no rows.
func (c *sourceRows) empty() bool { return len(c.id) == 0 }

// deleteSources removes the sources named by the records $1 and the peers
// $2, pairwise.
const deleteSources = `DELETE FROM sources USING unnest($1::text[], $2::text[]) AS u(id, peer)
WHERE sources.id = u.id AND sources.peer = u.peer`

// upsertSources stores many sources (record, peer, version, path), each
// replacing the peer's earlier offer of the record.
const upsertSources = `INSERT INTO sources (id, peer, version, path)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
ON CONFLICT (id, peer) DO UPDATE SET version = excluded.version, path = excluded.path`

// switchRows holds live received copies whose current source changed:
// their ids, new change sequence numbers, and the source's peer and path.
type switchRows struct {
	id, via []string
	path    []*string // NULL for none
	seq     []int64
}

// add appends a copy now held from the source via along path (its JSON,
// "" for none).
func (c *switchRows) add(id string, seq int64, via, path string) {
	var p *string
	if path != "" {
		p = &path
	}
	c.id, c.seq = append(c.id, id), append(c.seq, seq)
	c.via, c.path = append(c.via, via), append(c.path, p)
}

// empty reports whether there are no rows.
func (c *switchRows) empty() bool { return len(c.id) == 0 }

// args returns the columns in the order of switchSources' parameters.
func (c *switchRows) args() []any { return []any{c.id, c.seq, c.via, c.path} }

// switchSources gives live received copies, seizures or records, a new
// current source and path under a new change sequence number, their
// content unchanged, in one statement.
const switchSources = `WITH u AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS u(id, seq, via, path)),
s AS (UPDATE seizures SET seq = u.seq, via = u.via, path = u.path FROM u WHERE seizures.id = u.id)
UPDATE records SET seq = u.seq, via = u.via, path = u.path FROM u WHERE records.id = u.id`
