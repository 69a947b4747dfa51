package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"crossguard"
)

var _ crossguard.RecordStore = (*Store)(nil)

// CreateRecord stores a new own record (version 1) with the next change
// sequence number and audits it; ECONFLICT if the id is taken.
func (s *Store) CreateRecord(ctx context.Context, actor string, r *crossguard.Record) error {
	return s.write(ctx, "create record", func(tx *writeTx) error {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM seizures WHERE id = ?`, r.ID).Scan(&taken); err != nil {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		if taken > 0 {
			return crossguard.Errorf(crossguard.ECONFLICT, "record %s already exists, as a seizure", r.ID)
		}
		var target any
		if r.Target != "" {
			target = r.Target
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO records (id, kind, seq, origin, version, created_at, updated_at, distribution, tlp, target, body)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Kind, tx.nextSeq(), r.Origin, r.Version, formatTime(r.CreatedAt), formatTime(r.UpdatedAt),
			r.Distribution, r.Marking.TLP, target, string(r.Body))
		if isUnique(err, "records.id") {
			return crossguard.Errorf(crossguard.ECONFLICT, "record %s already exists", r.ID)
		} else if err != nil {
			return fmt.Errorf("create %s %s: %w", r.Kind, r.ID, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: r.CreatedAt, Actor: actor, Action: crossguard.ActionRecordCreate,
			RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeOK})
	})
}

// scanRecord reads a row of body and target.
func scanRecord(row interface{ Scan(...any) error }) (*crossguard.Record, error) {
	var body []byte
	var target sql.NullString
	if err := row.Scan(&body, &target); err != nil {
		return nil, err
	}
	r := &crossguard.Record{Target: target.String, Body: body}
	if err := json.Unmarshal(body, &r.Header); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	return r, nil
}

// Record returns a live record, or ENOTFOUND.
func (s *Store) Record(ctx context.Context, id string) (*crossguard.Record, error) {
	r, err := scanRecord(s.r.QueryRowContext(ctx, `SELECT body, target FROM records WHERE id = ? AND deleted = 0`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("read record %s: %w", id, err)
	}
	return r, nil
}

// RecordsAbout lists the live records of a kind that refer to target,
// oldest first (ties by id).
func (s *Store) RecordsAbout(ctx context.Context, kind, target string) ([]*crossguard.Record, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT body, target FROM records WHERE target = ? AND kind = ? AND deleted = 0 ORDER BY created_at, id`, target, kind)
	if err != nil {
		return nil, fmt.Errorf("list %s records about %s: %w", kind, target, err)
	}
	defer rows.Close()
	out := []*crossguard.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("list %s records about %s: %w", kind, target, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list %s records about %s: %w", kind, target, err)
	}
	return out, nil
}
