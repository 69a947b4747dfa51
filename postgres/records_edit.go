package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.RecordEditor = (*Store)(nil)

// ownRecord reads the stored state of the live record id inside a write
// transaction (the heads lock keeps it from changing until commit), as
// storekit.ScanOwnRecord checks it: ENOTFOUND if there is none (or it is
// deleted or withdrawn), EFORBIDDEN if it is a copy received from a peer
// (what says how it was to change).
func (w *writeTx) ownRecord(ctx context.Context, id, what string) (*storekit.StoredRecord, error) {
	r, err := storekit.ScanOwnRecord(w.tx.QueryRow(ctx, `SELECT kind, origin, version, deleted, via, body,
		coalesce((SELECT node_id FROM node), '') FROM records WHERE id = $1`, id).Scan, id, what)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, storekit.RecordNotFound(id)
	}
	return r, err
}

// updateRecord rewrites a live own record row.
const updateRecord = `UPDATE records SET seq = $2, version = $3, created_at = $4, updated_at = $5, distribution = $6,
    tlp = $7, target = nullif($8::text, ''), body = $9
WHERE id = $1`

// UpdateRecord replaces an own live record whose stored version is
// r.Version-1 with r, under the next change sequence number, and audits
// it. The kind and origin of a record never change: r must keep them.
func (s *Store) UpdateRecord(ctx context.Context, actor string, r *crossguard.Record) error {
	err := s.write(ctx, func(w *writeTx) error {
		old, err := w.ownRecord(ctx, r.ID, "update")
		if err != nil {
			return err
		}
		if err := old.CheckUpdate(r); err != nil {
			return err
		}
		w.queue(wrapExec("update record"), updateRecord, r.ID, w.nextSeq(), r.Version, r.CreatedAt, r.UpdatedAt,
			r.Distribution, r.Marking.TLP, r.Target, string(r.Body))
		w.audit(storekit.RecordUpdateAudit(actor, r))
		return nil
	})
	if err != nil {
		return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// tombstoneRecord turns a record row into a tombstone.
const tombstoneRecord = `UPDATE records SET seq = $2, version = $3, updated_at = $4, deleted = true, body = $5
WHERE id = $1`

// DeleteRecord replaces an own live record with a tombstone, the header
// of its last version at the next version, updated at at, under the next
// change sequence number. The shares of the record stay, so that the
// change feed serves the tombstone to every peer that may hold it.
func (s *Store) DeleteRecord(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		old, err := w.ownRecord(ctx, id, "delete")
		if err != nil {
			return err
		}
		if err := old.CheckDelete(ifVersion); err != nil {
			return err
		}
		next, err := w.queueTombstone(old.Kind, id, old.Version, old.Body, at)
		if err != nil {
			return err
		}
		w.audit(storekit.RecordDeleteAudit(actor, old.Kind, id, next, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	return nil
}

// RecordsOfKind lists the live records of a kind, own and received,
// oldest first (by created_at, then id).
func (s *Store) RecordsOfKind(ctx context.Context, kind string) ([]*crossguard.Record, error) {
	return queryRows(ctx, s.pool, kind+" records", storekit.All(storekit.ScanRecord),
		`SELECT `+recordColumns+` FROM records WHERE kind = $1 AND NOT deleted ORDER BY created_at, id`, kind)
}
