package crossguard

import (
	"context"
	"time"
)

// ImportProgress is the durable state of one CSV import, keyed by the
// SHA-256 of the file, so that an import killed part way resumes after the
// last committed batch instead of duplicating records.
type ImportProgress struct {
	FileHash   string     `json:"file_hash"`
	FileName   string     `json:"file_name"`
	LinesDone  int64      `json:"lines_done"` // input lines consumed, header included
	Imported   int64      `json:"imported"`
	Rejected   int64      `json:"rejected"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// From is the LinesDone this progress advances from. Stores save it
	// only if no progress is saved for the file or the saved progress is
	// still at From, and fail with ECONFLICT otherwise, so that two imports
	// of one file running at once can never both store the same rows.
	From int64 `json:"-"`
}

// ImportStore keeps the progress of CSV imports.
type ImportStore interface {
	// ImportProgress returns the saved progress of the file with this hash,
	// or nil if it was never started.
	ImportProgress(ctx context.Context, fileHash string) (*ImportProgress, error)
	// SaveImportProgress saves progress outside of a batch (at the start and
	// the end of an import, and after a batch of rejected rows only), under
	// the rule of ImportProgress.From.
	SaveImportProgress(ctx context.Context, p *ImportProgress) error
	// ForgetImport deletes the saved progress so the file can be imported
	// again from the start.
	ForgetImport(ctx context.Context, fileHash string) error
}
