package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.RecordEditor = (*Store)(nil)

// storedRecord is the state of a stored record that UpdateRecord and
// DeleteRecord check, with the key of its row.
type storedRecord struct {
	*storekit.StoredRecord
	key int64
}

// lookupOwnRecord reads the stored state of the live record id in tx, as
// storekit.ScanOwnRecord checks it: ENOTFOUND if there is none (or it is
// deleted or withdrawn), EFORBIDDEN if it is a copy received from a peer
// (what says how it was to change).
func lookupOwnRecord(ctx context.Context, tx *writeTx, id, what string) (*storedRecord, error) {
	var key int64
	r, err := storekit.ScanOwnRecord(tx.QueryRowContext(ctx, `SELECT kind, origin, version, deleted, via, body,
		coalesce((SELECT node_id FROM node WHERE singleton = 1), ''), key FROM records WHERE id = ?`, id).Scan, id, what, &key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storekit.RecordNotFound(id)
	} else if err != nil {
		return nil, err
	}
	return &storedRecord{StoredRecord: r, key: key}, nil
}

// UpdateRecord replaces an own live record whose stored version is
// r.Version-1 with r, under the next change sequence number, and audits
// it. The kind and origin of a record never change: r must keep them.
func (s *Store) UpdateRecord(ctx context.Context, actor string, r *crossguard.Record) error {
	return s.write(ctx, "update record", func(tx *writeTx) error {
		old, err := lookupOwnRecord(ctx, tx, r.ID, "update")
		if err != nil {
			return err
		}
		if err := old.CheckUpdate(r); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE records SET seq = ?, version = ?, created_at = ?, updated_at = ?, distribution = ?, tlp = ?,
			target = ?, body = ? WHERE key = ?`,
			tx.nextSeq(), r.Version, formatTime(r.CreatedAt), formatTime(r.UpdatedAt), r.Distribution, r.Marking.TLP,
			nullIfEmpty(r.Target), string(r.Body), old.key)
		if err != nil {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
		}
		return tx.audit(ctx, storekit.RecordUpdateAudit(actor, r))
	})
}

// DeleteRecord replaces an own live record with a tombstone, the header
// of its last version at the next version, updated at at, under the next
// change sequence number. The shares of the record stay, so that the
// change feed serves the tombstone to every peer that may hold it.
func (s *Store) DeleteRecord(ctx context.Context, actor, id string, ifVersion int64, at time.Time) error {
	return s.write(ctx, "delete record", func(tx *writeTx) error {
		old, err := lookupOwnRecord(ctx, tx, id, "delete")
		if err != nil {
			return err
		}
		if err := old.CheckDelete(ifVersion); err != nil {
			return err
		}
		version, err := tombstoneRecord(ctx, tx, id, old, at)
		if err != nil {
			return err
		}
		return tx.audit(ctx, storekit.RecordDeleteAudit(actor, old.Kind, id, version, at))
	})
}

// tombstoneRecord replaces the own live record id, stored as old, with a
// tombstone: the header of its last version at the next version, updated
// at at, under the next change sequence number. The shares of the record
// stay, so that the change feed serves the tombstone to every peer that
// may hold it. It returns that version.
func tombstoneRecord(ctx context.Context, tx *writeTx, id string, old *storedRecord, at time.Time) (int64, error) {
	version, body, err := storekit.Tombstone(old.Body, old.Version, at)
	if err != nil {
		return 0, fmt.Errorf("delete %s %s: %w", old.Kind, id, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE records SET seq = ?, version = ?, updated_at = ?, deleted = 1, body = ? WHERE key = ?`,
		tx.nextSeq(), version, formatTime(at), body, old.key)
	if err != nil {
		return 0, fmt.Errorf("delete %s %s: %w", old.Kind, id, err)
	}
	return version, nil
}

// RecordsOfKind lists the live records of a kind, own and received,
// oldest first (ties by id).
func (s *Store) RecordsOfKind(ctx context.Context, kind string) ([]*crossguard.Record, error) {
	return queryRows(ctx, s.r, "list "+kind+" records", storekit.All(storekit.ScanRecord),
		`SELECT `+recordColumns+` FROM records WHERE kind = ? AND deleted = 0 ORDER BY created_at, id`, kind)
}
