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
	var stored crossguard.ModelInfo
	err := s.write(ctx, func(w *writeTx) error {
		var last int64
		if err := w.tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM models`).Scan(&last); err != nil {
			return fmt.Errorf("read last version: %w", err)
		}
		var body []byte
		var err error
		if stored, body, err = storekit.NewModelVersion(info, last); err != nil {
			return err
		}
		w.queue(wrapExec("insert model"), `INSERT INTO models (version, active, activated_at, created_at, info, file) VALUES ($1, false, NULL, $2, $3, $4)`,
			stored.Version, stored.CreatedAt, string(body), file)
		w.audit(storekit.ModelSaveAudit(actor, &stored, len(file)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	*info = stored
	return nil
}

// modelColumns are the columns storekit.ScanModel reads, in order.
const modelColumns = `version, active, activated_at, info`

// Models lists every version, newest first, without files.
func (s *Store) Models(ctx context.Context) ([]*crossguard.ModelInfo, error) {
	return queryRows(ctx, s.pool, "models", storekit.All(storekit.ScanModel), `SELECT `+modelColumns+` FROM models ORDER BY version DESC`)
}

// ModelFile returns a version's info and file, or ENOTFOUND.
func (s *Store) ModelFile(ctx context.Context, version int64) (*crossguard.ModelInfo, []byte, error) {
	info, file, err := storekit.ScanModelFile(s.pool.QueryRow(ctx, `SELECT `+modelColumns+`, file FROM models WHERE version = $1`, version).Scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, crossguard.Errorf(crossguard.ENOTFOUND, "model version %d not found", version)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("model version %d: %w", version, err)
	}
	return info, file, nil
}

// ActivateModel makes a version the active one at at, and the version
// active before (if another) inactive, and audits it; ENOTFOUND if the
// version is unknown.
func (s *Store) ActivateModel(ctx context.Context, actor string, version int64, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		var exists bool
		var previous *int64
		err := w.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM models WHERE version = $1), (SELECT version FROM models WHERE active)`, version).
			Scan(&exists, &previous)
		if err != nil {
			return fmt.Errorf("look up versions: %w", err)
		}
		if !exists {
			return crossguard.Errorf(crossguard.ENOTFOUND, "model version %d not found", version)
		}
		w.queue(wrapExec("deactivate the active version"), `UPDATE models SET active = false WHERE active AND version <> $1`, version)
		w.queue(wrapExec("activate"), `UPDATE models SET active = true, activated_at = $2 WHERE version = $1`, version, at)
		w.audit(storekit.ModelActivateAudit(actor, version, previous, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("activate model version %d: %w", version, err)
	}
	return nil
}
