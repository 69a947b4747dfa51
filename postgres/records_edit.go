package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.RecordEditor = (*Store)(nil)

// storedRecord is the state of a stored record that UpdateRecord and
// DeleteRecord check.
type storedRecord struct {
	kind, origin string
	version      int64
	body         []byte
}

// ownRecord reads the stored state of the live record id inside a write
// transaction (the heads lock keeps it from changing until commit):
// ENOTFOUND if there is none (or it is deleted or withdrawn), EFORBIDDEN
// if it is a copy received from a peer, which only its origin may change
// (what says how). A record is this node's own if it came via no peer
// and, once the database belongs to a node, its origin is that node.
func (w *writeTx) ownRecord(ctx context.Context, id, what string) (*storedRecord, error) {
	var r storedRecord
	var deleted bool
	var via *string
	var self string
	err := w.tx.QueryRow(ctx, `SELECT kind, origin, version, deleted, via, body, coalesce((SELECT node_id FROM node), '')
		FROM records WHERE id = $1`, id).Scan(&r.kind, &r.origin, &r.version, &deleted, &via, &r.body, &self)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || err == nil && deleted:
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
	case err != nil:
		return nil, fmt.Errorf("read record %s: %w", id, err)
	case via != nil || self != "" && r.origin != self:
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN,
			"%s %s is a copy of a record of %s: only its origin can %s it", r.kind, id, r.origin, what)
	}
	return &r, nil
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
		switch {
		case old.kind != r.Kind:
			return crossguard.Errorf(crossguard.EINVALID, "record %s is a %s, not a %s", r.ID, old.kind, r.Kind)
		case old.origin != r.Origin:
			return crossguard.Errorf(crossguard.EINVALID, "record %s belongs to %s, not %s", r.ID, old.origin, r.Origin)
		case old.version != r.Version-1:
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "%s %s is at version %d: version %d cannot follow it",
				r.Kind, r.ID, old.version, r.Version)
		}
		w.queue(wrapExec("update record"), updateRecord, r.ID, w.nextSeq(), r.Version, r.CreatedAt, r.UpdatedAt,
			r.Distribution, r.Marking.TLP, r.Target, string(r.Body))
		w.recordAudit(r.UpdatedAt, actor, crossguard.ActionRecordUpdate, r.Kind, r.ID,
			crossguard.AuditDetail("version", strconv.FormatInt(r.Version, 10)))
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
		if ifVersion != 0 && old.version != ifVersion {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED,
				"%s %s is at version %d, not %d: reload it before deleting", old.kind, id, old.version, ifVersion)
		}
		next, err := w.queueTombstone(old.kind, id, old.version, old.body, at)
		if err != nil {
			return err
		}
		w.recordAudit(at, actor, crossguard.ActionRecordDelete, old.kind, id,
			crossguard.AuditDetail("version", strconv.FormatInt(next, 10)))
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
	rows, err := s.pool.Query(ctx, `SELECT `+recordColumns+` FROM records WHERE kind = $1 AND NOT deleted ORDER BY created_at, id`, kind)
	if err != nil {
		return nil, fmt.Errorf("%s records: %w", kind, err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*crossguard.Record, error) { return scanRecord(r) })
	if err != nil {
		return nil, fmt.Errorf("%s records: %w", kind, err)
	}
	if rs == nil {
		rs = []*crossguard.Record{}
	}
	return rs, nil
}
