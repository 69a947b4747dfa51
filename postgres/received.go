package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
)

// receivedCols holds, column by column, the header columns that seizures
// and records share, for versions received from a peer: the shape that
// unnest turns into rows in a single statement.
type receivedCols struct {
	id, origin, body, via, signed, sig []string
	dist, tlp                          []string
	path                               []*string
	seq, version                       []int64
	created, updated                   []time.Time
	deleted                            []bool
}

// add appends the header columns of version in, stored with change
// sequence number seq, with body as its body, from the source via along
// path (the JSON of the path, "" for none).
func (c *receivedCols) add(in *crossguard.Incoming, seq int64, via, path, body string) {
	h := &in.Header
	c.id = append(c.id, h.ID)
	c.origin = append(c.origin, h.Origin)
	c.body = append(c.body, body)
	c.via = append(c.via, via)
	var p *string
	if path != "" {
		p = &path
	}
	c.path = append(c.path, p)
	c.signed = append(c.signed, string(in.Signed.Record))
	c.sig = append(c.sig, in.Signed.Signature)
	c.dist = append(c.dist, h.Distribution)
	c.tlp = append(c.tlp, h.Marking.TLP)
	c.seq = append(c.seq, seq)
	c.version = append(c.version, h.Version)
	c.created = append(c.created, h.CreatedAt)
	c.updated = append(c.updated, h.UpdatedAt)
	c.deleted = append(c.deleted, in.Deleted)
}

// empty reports whether there are no rows.
func (c *receivedCols) empty() bool { return len(c.id) == 0 }

// headerBody returns the body of a tombstone: the JSON of its header, as a
// local delete stores it.
func headerBody(h *crossguard.Header) (string, error) {
	b, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("encode tombstone of %s: %w", h.ID, err)
	}
	return string(b), nil
}

// seizureRows holds received seizure versions, live or deleted.
type seizureRows struct {
	receivedCols
	occurred []*time.Time
	country  []*string
	search   []string
}

// add appends a received seizure version, from the source via along path.
// A live one is stored and indexed as a local write stores it (body,
// search words); a tombstone keeps only its header, and no occurred_at or
// country of its own.
func (c *seizureRows) add(in *crossguard.Incoming, seq int64, via, path string) error {
	var body, search string
	var occurred *time.Time
	var country *string
	if in.Deleted {
		b, err := headerBody(&in.Header)
		if err != nil {
			return err
		}
		body = b
	} else {
		b, err := json.Marshal(in.Seizure)
		if err != nil {
			return fmt.Errorf("encode seizure %s: %w", in.Header.ID, err)
		}
		body, search = string(b), searchWords(in.Seizure)
		occurred, country = &in.Seizure.OccurredAt, &in.Seizure.Country
	}
	c.receivedCols.add(in, seq, via, path, body)
	c.occurred = append(c.occurred, occurred)
	c.country = append(c.country, country)
	c.search = append(c.search, search)
	return nil
}

// args returns the columns in the order of upsertReceivedSeizures'
// parameters.
func (c *seizureRows) args() []any {
	return []any{c.id, c.seq, c.origin, c.version, c.created, c.updated, c.occurred, c.country, c.dist, c.tlp,
		c.deleted, c.body, c.search, c.via, c.signed, c.sig, c.path}
}

// upsertReceivedSeizures stores many received seizure versions in one
// statement, replacing what was held. A tombstone keeps the occurred_at
// and country of the version it replaces, as a local delete does.
const upsertReceivedSeizures = `INSERT INTO seizures (id, seq, origin, version, created_at, updated_at, occurred_at,
    country, distribution, tlp, deleted, withdrawn, body, fts, via, signed, sig, path)
SELECT u.id, u.seq, u.origin, u.version, u.created_at, u.updated_at, u.occurred_at,
    u.country, u.distribution, u.tlp, u.deleted, false, u.body, array_to_tsvector(string_to_array(u.search, ' ')),
    u.via, u.signed, u.sig, u.path
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[],
    $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[],
    $14::text[], $15::text[], $16::text[], $17::text[])
    AS u(id, seq, origin, version, created_at, updated_at, occurred_at, country, distribution, tlp, deleted,
         body, search, via, signed, sig, path)
ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, origin = excluded.origin, version = excluded.version,
    created_at = excluded.created_at, updated_at = excluded.updated_at,
    occurred_at = coalesce(excluded.occurred_at, seizures.occurred_at),
    country = coalesce(excluded.country, seizures.country),
    distribution = excluded.distribution, tlp = excluded.tlp, deleted = excluded.deleted, withdrawn = false,
    body = excluded.body, fts = excluded.fts, via = excluded.via, signed = excluded.signed, sig = excluded.sig,
    path = excluded.path`

// recordRows holds received versions of records of other kinds.
type recordRows struct {
	receivedCols
	kind   []string
	target []*string
}

// add appends a received record version, from the source via along path:
// the origin's signed record JSON as the body of a live one, the header
// JSON for a tombstone.
func (c *recordRows) add(in *crossguard.Incoming, seq int64, via, path string) error {
	body := string(in.Signed.Record)
	var target *string
	if in.Deleted {
		b, err := headerBody(&in.Header)
		if err != nil {
			return err
		}
		body = b
	} else if in.Target != "" {
		target = &in.Target
	}
	c.receivedCols.add(in, seq, via, path, body)
	c.kind = append(c.kind, in.Header.Kind)
	c.target = append(c.target, target)
	return nil
}

// args returns the columns in the order of upsertReceivedRecords'
// parameters.
func (c *recordRows) args() []any {
	return []any{c.id, c.kind, c.seq, c.origin, c.version, c.created, c.updated, c.dist, c.tlp, c.deleted,
		c.target, c.body, c.via, c.signed, c.sig, c.path}
}

// upsertReceivedRecords stores many received record versions in one
// statement, replacing what was held. A tombstone keeps the target of the
// version it replaces.
const upsertReceivedRecords = `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at,
    distribution, tlp, deleted, withdrawn, target, body, via, signed, sig, path)
SELECT u.id, u.kind, u.seq, u.origin, u.version, u.created_at, u.updated_at, u.distribution, u.tlp, u.deleted,
    false, u.target, u.body, u.via, u.signed, u.sig, u.path
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::timestamptz[],
    $7::timestamptz[], $8::text[], $9::text[], $10::boolean[], $11::text[], $12::text[], $13::text[],
    $14::text[], $15::text[], $16::text[])
    AS u(id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, deleted, target, body,
         via, signed, sig, path)
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, seq = excluded.seq, origin = excluded.origin,
    version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at,
    distribution = excluded.distribution, tlp = excluded.tlp, deleted = excluded.deleted, withdrawn = false,
    target = CASE WHEN excluded.deleted THEN coalesce(excluded.target, records.target) ELSE excluded.target END,
    body = excluded.body, via = excluded.via, signed = excluded.signed, sig = excluded.sig, path = excluded.path`

// withdrawRows holds copies to withdraw: their ids, change sequence
// numbers and the header that is all their rows keep.
type withdrawRows struct {
	id, body []string
	seq      []int64
}

// add appends a copy to withdraw.
func (c *withdrawRows) add(id string, seq int64, body string) {
	c.id, c.seq, c.body = append(c.id, id), append(c.seq, seq), append(c.body, body)
}

// empty reports whether there are no rows.
func (c *withdrawRows) empty() bool { return len(c.id) == 0 }

// args returns the columns in the order of withdrawSeizures' parameters.
func (c *withdrawRows) args() []any { return []any{c.id, c.seq, c.body} }

// withdrawSeizures removes many seizure copies: each row keeps only its id,
// origin, version, timestamps and last source, under a new change sequence
// number.
const withdrawSeizures = `UPDATE seizures SET seq = u.seq, deleted = true, withdrawn = true, body = u.body,
    occurred_at = NULL, country = NULL, distribution = NULL, tlp = NULL, fts = ''::tsvector,
    signed = NULL, sig = NULL, path = NULL
FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(id, seq, body)
WHERE seizures.id = u.id`

// withdrawRecords removes many record copies, as withdrawSeizures does.
const withdrawRecords = `UPDATE records SET seq = u.seq, deleted = true, withdrawn = true, body = u.body,
    distribution = NULL, tlp = NULL, target = NULL, signed = NULL, sig = NULL, path = NULL
FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(id, seq, body)
WHERE records.id = u.id`
