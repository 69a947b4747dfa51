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

// SaveModel stores a model file as the next version (1, 2, ...), sets
// info.Version to it and info.Active and info.ActivatedAt to their zero
// values (the new version is not active), and audits it at
// info.CreatedAt.
func (s *Store) SaveModel(ctx context.Context, actor string, info *crossguard.ModelInfo, file []byte) error {
	if err := storekit.CheckModel(info); err != nil {
		return err
	}
	if file == nil {
		file = []byte{}
	}
	return s.write(ctx, "save model", func(tx *writeTx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM models`).Scan(&last); err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		stored, body, err := storekit.NewModelVersion(info, last)
		if err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO models (version, active, activated_at, created_at, info, file) VALUES (?, 0, NULL, ?, ?, ?)`,
			stored.Version, formatTime(stored.CreatedAt), string(body), file)
		if err != nil {
			return fmt.Errorf("save model version %d: %w", stored.Version, err)
		}
		if err := tx.audit(ctx, storekit.ModelSaveAudit(actor, &stored, len(file))); err != nil {
			return fmt.Errorf("save model version %d: %w", stored.Version, err)
		}
		*info = stored
		return nil
	})
}

// modelColumns are the columns storekit.ScanModel reads, in order.
const modelColumns = `version, active, activated_at, info`

// Models lists every version, newest first, without files.
func (s *Store) Models(ctx context.Context) ([]*crossguard.ModelInfo, error) {
	return queryRows(ctx, s.r, "models", storekit.All(storekit.ScanModel), `SELECT `+modelColumns+` FROM models ORDER BY version DESC`)
}

// ModelFile returns a version's info and file, or ENOTFOUND.
func (s *Store) ModelFile(ctx context.Context, version int64) (*crossguard.ModelInfo, []byte, error) {
	info, file, err := storekit.ScanModelFile(s.r.QueryRowContext(ctx, `SELECT `+modelColumns+`, file FROM models WHERE version = ?`, version).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, crossguard.Errorf(crossguard.ENOTFOUND, "model version %d not found", version)
	} else if err != nil {
		return nil, nil, fmt.Errorf("read model version %d: %w", version, err)
	}
	return info, file, nil
}

// ActivateModel makes a version the active one at at, and the version
// active before (if another) inactive, and audits it; ENOTFOUND if the
// version is unknown.
func (s *Store) ActivateModel(ctx context.Context, actor string, version int64, at time.Time) error {
	return s.write(ctx, "activate model", func(tx *writeTx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM models WHERE version = ?`, version).Scan(&exists); err != nil {
			return fmt.Errorf("activate model version %d: %w", version, err)
		}
		if exists == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "model version %d not found", version)
		}
		var previous *int64
		err := tx.QueryRowContext(ctx, `SELECT version FROM models WHERE active = 1`).Scan(&previous)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("activate model version %d: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE models SET active = 0 WHERE active = 1 AND version <> ?`, version); err != nil {
			return fmt.Errorf("activate model version %d: deactivate the active version: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE models SET active = 1, activated_at = ? WHERE version = ?`, formatTime(at), version); err != nil {
			return fmt.Errorf("activate model version %d: %w", version, err)
		}
		return tx.audit(ctx, storekit.ModelActivateAudit(actor, version, previous, at))
	})
}
