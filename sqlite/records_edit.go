package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"crossguard"
)

var _ crossguard.RecordEditor = (*Store)(nil)

// storedRecord is the state of a stored record that UpdateRecord and
// DeleteRecord check.
type storedRecord struct {
	key     int64
	kind    string
	origin  string
	version int64
	body    []byte
}

// lookupOwnRecord reads the stored state of the live record id in tx:
// ENOTFOUND if there is none (or it is deleted or withdrawn), EFORBIDDEN
// if it is a copy received from a peer, which only its origin may change.
// A record is this node's own if it came via no peer and, once the
// database belongs to a node, its origin is that node.
func lookupOwnRecord(ctx context.Context, tx *writeTx, id, what string) (*storedRecord, error) {
	var r storedRecord
	var deleted bool
	var via sql.NullString
	var self string
	err := tx.QueryRowContext(ctx, `SELECT key, kind, origin, version, deleted, via, body,
		coalesce((SELECT node_id FROM node WHERE singleton = 1), '') FROM records WHERE id = ?`, id).
		Scan(&r.key, &r.kind, &r.origin, &r.version, &deleted, &via, &r.body, &self)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && deleted:
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
	case err != nil:
		return nil, fmt.Errorf("read record %s: %w", id, err)
	case via.Valid || self != "" && r.origin != self:
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN,
			"%s %s is a copy of a record of %s: only its origin can %s it", r.kind, id, r.origin, what)
	}
	return &r, nil
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
		switch {
		case old.kind != r.Kind:
			return crossguard.Errorf(crossguard.EINVALID, "record %s is a %s, not a %s", r.ID, old.kind, r.Kind)
		case old.origin != r.Origin:
			return crossguard.Errorf(crossguard.EINVALID, "record %s belongs to %s, not %s", r.ID, old.origin, r.Origin)
		case old.version != r.Version-1:
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "%s %s is at version %d: version %d cannot follow it",
				r.Kind, r.ID, old.version, r.Version)
		}
		_, err = tx.ExecContext(ctx, `UPDATE records SET seq = ?, version = ?, created_at = ?, updated_at = ?, distribution = ?, tlp = ?,
			target = ?, body = ? WHERE key = ?`,
			tx.nextSeq(), r.Version, formatTime(r.CreatedAt), formatTime(r.UpdatedAt), r.Distribution, r.Marking.TLP,
			nullIfEmpty(r.Target), string(r.Body), old.key)
		if err != nil {
			return fmt.Errorf("update %s %s: %w", r.Kind, r.ID, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: r.UpdatedAt, Actor: actor, Action: crossguard.ActionRecordUpdate,
			RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("version", fmt.Sprint(r.Version))})
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
		if ifVersion != 0 && ifVersion != old.version {
			return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "%s %s is at version %d, not %d: reload it before deleting",
				old.kind, id, old.version, ifVersion)
		}
		version, err := tombstoneRecord(ctx, tx, id, old, at)
		if err != nil {
			return err
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionRecordDelete,
			RecordKind: old.kind, RecordID: id, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("version", fmt.Sprint(version))})
	})
}

// tombstoneRecord replaces the own live record id, stored as old, with a
// tombstone: the header of its last version at the next version, updated
// at at, under the next change sequence number. The shares of the record
// stay, so that the change feed serves the tombstone to every peer that
// may hold it. It returns that version.
func tombstoneRecord(ctx context.Context, tx *writeTx, id string, old *storedRecord, at time.Time) (int64, error) {
	var h crossguard.Header
	if err := json.Unmarshal(old.body, &h); err != nil {
		return 0, fmt.Errorf("delete %s %s: decode stored record: %w", old.kind, id, err)
	}
	h.Version, h.UpdatedAt = old.version+1, at
	body, err := json.Marshal(h)
	if err != nil {
		return 0, fmt.Errorf("delete %s %s: encode tombstone: %w", old.kind, id, err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE records SET seq = ?, version = ?, updated_at = ?, deleted = 1, body = ? WHERE key = ?`,
		tx.nextSeq(), h.Version, formatTime(at), string(body), old.key)
	if err != nil {
		return 0, fmt.Errorf("delete %s %s: %w", old.kind, id, err)
	}
	return h.Version, nil
}

// RecordsOfKind lists the live records of a kind, own and received,
// oldest first (ties by id).
func (s *Store) RecordsOfKind(ctx context.Context, kind string) ([]*crossguard.Record, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT body, target FROM records WHERE kind = ? AND deleted = 0 ORDER BY created_at, id`, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s records: %w", kind, err)
	}
	defer rows.Close()
	out := []*crossguard.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s records: %w", kind, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s records: %w", kind, err)
	}
	return out, nil
}
