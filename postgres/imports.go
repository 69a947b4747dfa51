package postgres

import (
	"context"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"

	"github.com/jackc/pgx/v5"
)

// upsertImport saves an import's progress, replacing what was saved before
// only if that is still at the progress's From ($8); otherwise it changes
// no row.
const upsertImport = `INSERT INTO imports (file_hash, file_name, lines_done, imported, rejected, started_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (file_hash) DO UPDATE SET file_name = excluded.file_name, lines_done = excluded.lines_done,
    imported = excluded.imported, rejected = excluded.rejected, started_at = excluded.started_at,
    finished_at = excluded.finished_at
WHERE imports.lines_done = $8`

// importArgs returns p's fields in the order of upsertImport's parameters.
func importArgs(p *crossguard.ImportProgress) []any {
	return []any{p.FileHash, p.FileName, p.LinesDone, p.Imported, p.Rejected, p.StartedAt, p.FinishedAt, p.From}
}

// checkImportSaved reads upsertImport's result and fails with
// storekit.ImportMoved if it changed no row.
func checkImportSaved(p *crossguard.ImportProgress) func(pgx.BatchResults) error {
	return func(br pgx.BatchResults) error {
		tag, err := br.Exec()
		if err != nil {
			return fmt.Errorf("save import progress: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return storekit.ImportMoved(p)
		}
		return nil
	}
}

// ImportProgress returns the saved progress of the file with this hash, or
// nil if it was never started.
func (s *Store) ImportProgress(ctx context.Context, fileHash string) (*crossguard.ImportProgress, error) {
	var p crossguard.ImportProgress
	err := s.pool.QueryRow(ctx, `SELECT file_hash, file_name, lines_done, imported, rejected, started_at, finished_at
		FROM imports WHERE file_hash = $1`, fileHash).
		Scan(&p.FileHash, &p.FileName, &p.LinesDone, &p.Imported, &p.Rejected, &p.StartedAt, &p.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import progress: %w", err)
	}
	p.StartedAt = p.StartedAt.UTC()
	p.FinishedAt = utcPtr(p.FinishedAt)
	return &p, nil
}

// SaveImportProgress saves progress outside of a batch of seizures.
func (s *Store) SaveImportProgress(ctx context.Context, p *crossguard.ImportProgress) error {
	tag, err := s.pool.Exec(ctx, upsertImport, importArgs(p)...)
	if err != nil {
		return fmt.Errorf("save import progress: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return storekit.ImportMoved(p)
	}
	return nil
}

// ForgetImport deletes the saved progress of a file so that it can be
// imported again from the start.
func (s *Store) ForgetImport(ctx context.Context, fileHash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM imports WHERE file_hash = $1`, fileHash); err != nil {
		return fmt.Errorf("forget import: %w", err)
	}
	return nil
}
