package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"crossguard"
	"crossguard/storekit"
)

// execer is what *sql.DB and *sql.Tx have in common for writes.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// saveProgress upserts p if no progress is saved for its file or the saved
// progress is still at p.From, and fails with storekit.ImportMoved
// otherwise.
func saveProgress(ctx context.Context, db execer, p *crossguard.ImportProgress) error {
	res, err := db.ExecContext(ctx, `INSERT INTO imports (file_hash, file_name, lines_done, imported, rejected, started_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (file_hash) DO UPDATE SET file_name = excluded.file_name, lines_done = excluded.lines_done,
			imported = excluded.imported, rejected = excluded.rejected, started_at = excluded.started_at, finished_at = excluded.finished_at
		WHERE imports.lines_done = ?`,
		p.FileHash, p.FileName, p.LinesDone, p.Imported, p.Rejected, formatTime(p.StartedAt), nullTime(p.FinishedAt), p.From)
	if err != nil {
		return fmt.Errorf("save progress of import %s: %w", p.FileHash, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save progress of import %s: %w", p.FileHash, err)
	} else if n == 0 {
		return storekit.ImportMoved(p)
	}
	return nil
}

// ImportProgress returns the saved progress of the file with this hash, or
// nil if it was never started.
func (s *Store) ImportProgress(ctx context.Context, fileHash string) (*crossguard.ImportProgress, error) {
	p := crossguard.ImportProgress{FileHash: fileHash}
	var started string
	var finished sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT file_name, lines_done, imported, rejected, started_at, finished_at FROM imports WHERE file_hash = ?`, fileHash).
		Scan(&p.FileName, &p.LinesDone, &p.Imported, &p.Rejected, &started, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read progress of import %s: %w", fileHash, err)
	}
	if p.StartedAt, err = parseTime(started); err != nil {
		return nil, fmt.Errorf("read progress of import %s: %w", fileHash, err)
	}
	if p.FinishedAt, err = parseNullTime(finished); err != nil {
		return nil, fmt.Errorf("read progress of import %s: %w", fileHash, err)
	}
	return &p, nil
}

// SaveImportProgress saves progress outside of a batch of seizures.
func (s *Store) SaveImportProgress(ctx context.Context, p *crossguard.ImportProgress) error {
	return saveProgress(ctx, s.w, p)
}

// ForgetImport deletes the saved progress of a file, if any.
func (s *Store) ForgetImport(ctx context.Context, fileHash string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM imports WHERE file_hash = ?`, fileHash); err != nil {
		return fmt.Errorf("forget import %s: %w", fileHash, err)
	}
	return nil
}
