package postgres

import (
	"context"
	"fmt"

	"crossguard"
	"crossguard/federation/apply"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// ApplyPage applies a page of a peer's feed in one transaction: it reads
// what the store holds of the records the page names, lets apply.Page
// decide what the page does, and writes the batch that comes back (see
// queueBatch). ENOTFOUND if the peer is unknown.
//
// A page of any size costs a fixed number of round trips: one to lock the
// heads row, one to read the peer, the node's id, the rows the page names
// and their sources, and one that sends every write as multi-row
// statements (goods lines, seizures, records, sources, withdrawals, audit
// entries, status, heads).
func (s *Store) ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error) {
	var res *crossguard.ApplyResult
	err := s.write(ctx, func(w *writeTx) error {
		held, err := w.readHeld(ctx, p.Peer, apply.IDs(p))
		if err != nil {
			return err
		}
		b, err := apply.Page(p, held)
		if err != nil {
			return err
		}
		if err := w.queueBatch(b); err != nil {
			return err
		}
		w.queueStatus(p, b.Status)
		res = &b.Result
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply a page from %s: %w", p.Peer, err)
	}
	return res, nil
}

// heldSQL reads the rows of the ids $1 in both tables.
const heldSQL = `SELECT id, 'seizure', origin, version, deleted, withdrawn, coalesce(via, ''), coalesce(path, '')
FROM seizures WHERE id = ANY($1)
UNION ALL
SELECT id, kind, origin, version, deleted, withdrawn, coalesce(via, ''), coalesce(path, '')
FROM records WHERE id = ANY($1)`

// sourcesSQL reads the sources of the ids $1.
const sourcesSQL = `SELECT id, peer, version, path FROM sources WHERE id = ANY($1)`

// readHeld reads, in one round trip, this node's id, the rows of the
// records ids and their sources. Unless peer is "", it first checks that
// the peer is known: ENOTFOUND if not.
func (w *writeTx) readHeld(ctx context.Context, peer string, ids []string) (*apply.Held, error) {
	var b pgx.Batch
	b.Queue(`SELECT EXISTS (SELECT 1 FROM peers WHERE id = $1), coalesce((SELECT node_id FROM node), '')`, peer)
	b.Queue(heldSQL, ids)
	b.Queue(sourcesSQL, ids)
	br := w.tx.SendBatch(ctx, &b)
	defer br.Close()
	held := &apply.Held{Rows: make(map[string]*apply.Row, len(ids)), Sources: map[string]map[string]apply.Source{}}
	var known bool
	if err := br.QueryRow().Scan(&known, &held.Self); err != nil {
		return nil, fmt.Errorf("read peer: %w", err)
	}
	if !known && peer != "" {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", peer)
	}
	if err := readRows(br, held); err != nil {
		return nil, err
	}
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("read held records: %w", err)
	}
	return held, nil
}

// readRows reads the results of heldSQL and sourcesSQL, queued in that
// order, into held.
func readRows(br pgx.BatchResults, held *apply.Held) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("read held records: %w", err)
	}
	var id, path string
	var r apply.Row
	_, err = pgx.ForEachRow(rows, []any{&id, &r.Kind, &r.Origin, &r.Version, &r.Deleted, &r.Withdrawn, &r.Via, &path}, func() error {
		c := r
		var err error
		c.Path, err = storekit.DecodePath(path)
		held.Rows[id] = &c
		return err
	})
	if err != nil {
		return fmt.Errorf("read held records: %w", err)
	}
	rows, err = br.Query()
	if err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	var peer string
	var src apply.Source
	_, err = pgx.ForEachRow(rows, []any{&id, &peer, &src.Version, &path}, func() error {
		m := held.Sources[id]
		if m == nil {
			m = map[string]apply.Source{}
			held.Sources[id] = m
		}
		var err error
		src.Path, err = storekit.DecodePath(path)
		m[peer] = src
		return err
	})
	if err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	return nil
}
