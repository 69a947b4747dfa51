package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"
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

// recordColumns are the columns storekit.ScanRecord reads.
const recordColumns = `target, body`

// Record returns a live record, or ENOTFOUND.
func (s *Store) Record(ctx context.Context, id string) (*crossguard.Record, error) {
	r, err := storekit.ScanRecord(s.r.QueryRowContext(ctx, `SELECT `+recordColumns+` FROM records WHERE id = ? AND deleted = 0`, id).Scan)
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
	return queryRows(ctx, s.r, fmt.Sprintf("list %s records about %s", kind, target), storekit.All(storekit.ScanRecord),
		`SELECT `+recordColumns+` FROM records WHERE target = ? AND kind = ? AND deleted = 0 ORDER BY created_at, id`, target, kind)
}
