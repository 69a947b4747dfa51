package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.QuarantineStore = (*Store)(nil)

// heldVersionsSQL reads the received versions held, of both tables, in id
// order after ?1.
const heldVersionsSQL = `SELECT 'seizure', id, origin, version, deleted, via, signed, sig FROM seizures
	WHERE id > ?1 AND via IS NOT NULL AND signed IS NOT NULL AND withdrawn = 0
	UNION ALL
	SELECT kind, id, origin, version, deleted, via, signed, sig FROM records
	WHERE id > ?1 AND via IS NOT NULL AND signed IS NOT NULL AND withdrawn = 0
	ORDER BY 2 LIMIT ?2`

// HeldVersions returns up to limit received versions held, after the id
// after.
func (s *Store) HeldVersions(ctx context.Context, after string, limit int) ([]*crossguard.HeldVersion, error) {
	rows, err := s.r.QueryContext(ctx, heldVersionsSQL, after, max(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("read held versions after %q: %w", after, err)
	}
	defer rows.Close()
	var out []*crossguard.HeldVersion
	for rows.Next() {
		var v crossguard.HeldVersion
		var signed string
		if err := rows.Scan(&v.Kind, &v.ID, &v.Origin, &v.Version, &v.Deleted, &v.Via, &signed, &v.Signed.Signature); err != nil {
			return nil, fmt.Errorf("read held versions after %q: %w", after, err)
		}
		v.Signed.Record = []byte(signed)
		out = append(out, &v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read held versions after %q: %w", after, err)
	}
	return out, nil
}

// Quarantine removes the held version q names into the quarantine.
func (s *Store) Quarantine(ctx context.Context, q *crossguard.Quarantined) error {
	return s.write(ctx, "quarantine "+q.ID, func(tx *writeTx) error {
		held, err := readHeld(ctx, tx, []string{q.ID})
		if err != nil {
			return err
		}
		row := held[q.ID]
		if row == nil || row.via == "" {
			return crossguard.Errorf(crossguard.ENOTFOUND, "no received copy of %s is held here", q.ID)
		}
		table := "records"
		if row.table == tableSeizures {
			table = "seizures"
		}
		var signed, sig sql.NullString
		err = tx.QueryRowContext(ctx, `SELECT signed, sig FROM `+table+` WHERE key = ?`, row.key).Scan(&signed, &sig)
		if err != nil {
			return fmt.Errorf("quarantine %s: %w", q.ID, err)
		}
		if row.withdrawn || row.version != q.Version || row.deleted != q.Deleted || !signed.Valid ||
			!bytes.Equal([]byte(signed.String), q.Signed.Record) {
			return crossguard.Errorf(crossguard.ECONFLICT, "%s %s is no longer held at version %d as it was read: rescan again", row.kind, q.ID, q.Version)
		}
		if err := removeHeld(ctx, tx, q.ID, row); err != nil {
			return fmt.Errorf("quarantine %s: %w", q.ID, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO quarantine (id, kind, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, row.kind, row.origin, row.version, row.deleted, row.via, signed.String, sig.String,
			q.Reason, q.Actor, formatTime(q.At))
		if err != nil {
			return fmt.Errorf("quarantine %s: %w", q.ID, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: q.At, Actor: q.Actor, Action: crossguard.ActionFedQuarantine,
			RecordKind: row.kind, RecordID: q.ID, Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail(
				"origin", row.origin, "version", strconv.FormatInt(row.version, 10), "via", row.via, "reason", q.Reason)})
	})
}

// removeHeld removes the received copy row of record id as a withdrawal
// does: unindexed, its content dropped but for what names it, its
// sources forgotten, at the next change.
func removeHeld(ctx context.Context, tx *writeTx, id string, row *heldRow) error {
	body, err := storekit.WithdrawnBody(id, row.kind, row.origin, row.version)
	if err != nil {
		return err
	}
	st, err := prepareSeizureStmts(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	stmt := `UPDATE records SET seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL, path = NULL WHERE key = ?`
	if row.table == tableSeizures {
		if !row.deleted {
			if err := st.unindex(ctx, &storedSeizure{key: row.key, ftsKey: row.ftsKey}); err != nil {
				return err
			}
		}
		stmt = `UPDATE seizures SET fts_key = NULL, seq = ?, deleted = 1, withdrawn = 1, body = ?, signed = NULL, sig = NULL, path = NULL
			WHERE key = ?`
	}
	if _, err := tx.ExecContext(ctx, stmt, tx.nextSeq(), body, row.key); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id); err != nil {
		return fmt.Errorf("forget sources: %w", err)
	}
	return nil
}

// QuarantinedVersions lists the quarantine, oldest first.
func (s *Store) QuarantinedVersions(ctx context.Context) ([]*crossguard.Quarantined, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, origin, version, deleted, via, signed, sig, reason, actor, quarantined_at
		FROM quarantine ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	defer rows.Close()
	var out []*crossguard.Quarantined
	for rows.Next() {
		var q crossguard.Quarantined
		var signed, at string
		if err := rows.Scan(&q.ID, &q.Kind, &q.Origin, &q.Version, &q.Deleted, &q.Via, &signed, &q.Signed.Signature,
			&q.Reason, &q.Actor, &at); err != nil {
			return nil, fmt.Errorf("read the quarantine: %w", err)
		}
		q.Signed.Record = []byte(signed)
		if q.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("read the quarantine: %w", err)
		}
		out = append(out, &q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the quarantine: %w", err)
	}
	return out, nil
}
