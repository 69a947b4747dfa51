package postgres

import (
	"context"
	"fmt"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// ApplyPage applies a page of a peer's feed in one transaction: it stores
// newer versions (indexing seizures as local writes do), keeps track of
// the peers that offered each copy (its sources) and of the path along
// which each did, removes copies that no source supports any more (after
// withdrawals, or offers whose path runs through this node), refuses older
// versions, ids of another origin or kind and withdrawals from a peer that
// is not a source of the copy, advances the peer's cursor and status, and
// audits all of it. ENOTFOUND if the peer is unknown.
//
// A page of any size costs a fixed number of round trips: one to lock the
// heads row, one to read the peer, the node's id, the rows the page names
// and their sources, and one that sends every write as multi-row
// statements (goods lines, seizures, records, sources, withdrawals, audit
// entries, status, heads).
func (s *Store) ApplyPage(ctx context.Context, p *crossguard.InboundPage) (*crossguard.ApplyResult, error) {
	var res *crossguard.ApplyResult
	err := s.write(ctx, func(w *writeTx) error {
		a, err := w.readForApply(ctx, p)
		if err != nil {
			return err
		}
		for _, r := range p.Records {
			if r != nil {
				if err := a.record(r); err != nil {
					return err
				}
			}
		}
		for _, wd := range p.Withdrawals {
			a.withdraw(wd)
		}
		if err := a.queue(w); err != nil {
			return err
		}
		res = a.res
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

// readForApply checks that the page's peer is known and reads, in one round
// trip, this node's id, the rows of every record the page names and their
// sources, into a new applier for the page.
func (w *writeTx) readForApply(ctx context.Context, p *crossguard.InboundPage) (*applier, error) {
	ids := make([]string, 0, len(p.Records)+len(p.Withdrawals))
	for _, r := range p.Records {
		if r != nil {
			ids = append(ids, r.Header.ID)
		}
	}
	for _, wd := range p.Withdrawals {
		ids = append(ids, wd.ID)
	}
	var b pgx.Batch
	b.Queue(`SELECT EXISTS (SELECT 1 FROM peers WHERE id = $1), coalesce((SELECT node_id FROM node), '')`, p.Peer)
	b.Queue(heldSQL, ids)
	b.Queue(sourcesSQL, ids)
	br := w.tx.SendBatch(ctx, &b)
	defer br.Close()
	var known bool
	a := newApplier(p, len(ids))
	if err := br.QueryRow().Scan(&known, &a.self); err != nil {
		return nil, fmt.Errorf("read peer: %w", err)
	}
	if !known {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "peer %s not found", p.Peer)
	}
	if err := a.readHeld(br); err != nil {
		return nil, err
	}
	if err := br.Close(); err != nil {
		return nil, fmt.Errorf("read held records: %w", err)
	}
	return a, nil
}

// readHeld reads the results of heldSQL and sourcesSQL, queued in that
// order, into the applier.
func (a *applier) readHeld(br pgx.BatchResults) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("read held records: %w", err)
	}
	var id string
	var h heldRow
	_, err = pgx.ForEachRow(rows, []any{&id, &h.kind, &h.origin, &h.version, &h.deleted, &h.withdrawn, &h.via, &h.path}, func() error {
		c := h
		a.held[id] = &c
		return nil
	})
	if err != nil {
		return fmt.Errorf("read held records: %w", err)
	}
	rows, err = br.Query()
	if err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	var peer string
	var src source
	_, err = pgx.ForEachRow(rows, []any{&id, &peer, &src.version, &src.path}, func() error {
		a.sourcesOf(id)[peer] = src
		return nil
	})
	if err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	return nil
}
