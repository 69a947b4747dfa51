package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"crossguard"
	"crossguard/node"
)

// Options tune an import. The zero value imports with the defaults.
type Options struct {
	// BatchSize is the number of seizures stored per transaction; 0 means
	// 1000.
	BatchSize int
	// RejectsPath is the file rejected rows are written to; "" means
	// FILE.rejects.csv beside the input FILE.csv.
	RejectsPath string
	// Errors receives one "line N: column: message" line per error of a
	// rejected row, up to MaxErrorLines, then one summary line. Nil
	// discards them.
	Errors io.Writer
	// MaxErrorLines is the number of error lines written to Errors; 0
	// means 100, a negative number none.
	MaxErrorLines int
	// Progress, if not nil, is called with the bytes read so far and the
	// size of the file, a few times per second and once at the end.
	Progress func(doneBytes, totalBytes int64)
	// Again imports a file that was already imported completely once
	// more, as new records.
	Again bool
}

// DefaultBatchSize is the number of seizures per transaction when
// Options.BatchSize is 0.
const DefaultBatchSize = 1000

// withDefaults fills the zero fields of o for importing path.
func (o Options) withDefaults(path string) Options {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.RejectsPath == "" {
		o.RejectsPath = DefaultRejectsPath(path)
	}
	if o.Errors == nil {
		o.Errors = io.Discard
	}
	switch {
	case o.MaxErrorLines == 0:
		o.MaxErrorLines = 100
	case o.MaxErrorLines < 0:
		o.MaxErrorLines = 0
	}
	if o.Progress == nil {
		o.Progress = func(int64, int64) {}
	}
	return o
}

// DefaultRejectsPath returns the rejects file for an input file:
// seizures.csv gives seizures.rejects.csv in the same directory.
func DefaultRejectsPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
}

// Result says what an import did. Counts cover the whole file, including
// the part imported before an interruption when the import was resumed.
type Result struct {
	Lines    int64 // physical lines read, the header included
	Rows     int64 // data rows (CSV records after the header)
	Imported int64 // seizures stored; a group of rows sharing a ref is one
	Rejected int64 // rows rejected and written to the rejects file
	Blank    int64 // rows whose cells were all empty, skipped
	// RejectsPath is the rejects file, or "" if no row was rejected.
	RejectsPath string
	// Resumed is set when the import went on from where an interrupted
	// import of the same file stopped.
	Resumed bool
	// RejectsRebuilt is set when a resumed import found the rejects file
	// missing or changed and wrote it again by checking the rows already
	// done once more.
	RejectsRebuilt bool
	// AlreadyDone is set, and nothing imported, when the file was already
	// imported completely (FinishedAt says when) and Options.Again was not
	// set. The counts are those of that import.
	AlreadyDone bool
	// StartedAt is when the import of the file began (in the first run,
	// if it was resumed); FinishedAt when it ended, zero if it has not.
	StartedAt  time.Time
	FinishedAt time.Time
}

// ImportSeizures imports the seizures in the CSV file at path (layout in
// CSV.md) into the node, as actor. Good rows are validated and stamped by
// n.PrepareSeizure and stored in transactions of opts.BatchSize seizures,
// each of which also saves the import's progress; bad rows are reported
// to opts.Errors and written to the rejects file.
//
// A file whose encoding or header is wrong is refused with an EINVALID
// *crossguard.Error before anything is imported. A file that was imported
// completely before returns AlreadyDone unless opts.Again is set. A file
// whose import was interrupted is resumed after its last committed batch.
// When ctx is cancelled the import stops once the batch being stored is
// committed, and returns the result so far with an error wrapping
// ctx.Err(); running it again resumes it.
func ImportSeizures(ctx context.Context, n *node.Node, actor, path string, opts Options) (*Result, error) {
	opts = opts.withDefaults(path)
	if filepath.Clean(opts.RejectsPath) == filepath.Clean(path) {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the rejects file cannot be the file being imported (%s)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, crossguard.Errorf(crossguard.EINVALID, "%s is a directory, not a CSV file", path)
	}
	base, err := sniff(f, path)
	if err != nil {
		return nil, err
	}
	hash, err := fileHash(f)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	src, err := newSource(f, base)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	l, headerEnd, err := readHeader(src, path)
	if err != nil {
		return nil, err
	}

	prev, err := n.Store.ImportProgress(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("import %s: read progress: %w", path, err)
	}
	if prev != nil && prev.FinishedAt != nil {
		if !opts.Again {
			return alreadyDone(prev, opts.RejectsPath), nil
		}
		if err := n.Store.ForgetImport(ctx, hash); err != nil {
			return nil, fmt.Errorf("import %s again: %w", path, err)
		}
		prev = nil
	}

	r := &run{
		ctx: ctx, n: n, actor: actor, opts: opts, src: src, l: l, size: st.Size(),
		rej:     newRejectsFile(opts.RejectsPath, l, base > 0),
		report:  newReporter(opts.Errors, opts.MaxErrorLines),
		parser:  cellParser{l: l},
		lastEnd: headerEnd,
		batch:   make([]*crossguard.Seizure, 0, opts.BatchSize),
	}
	if err := r.start(hash, path, prev); err != nil {
		return nil, err
	}
	return r.execute()
}

// readHeader reads and checks the header row and returns the layout it
// describes and the line it ends on.
func readHeader(src *source, path string) (*layout, int64, error) {
	rec, err := src.next()
	if err == io.EOF {
		return nil, 0, crossguard.Errorf(crossguard.EINVALID, "%s has no header row: it must start with a row of column names (see importer/CSV.md); nothing was imported", path)
	} else if err != nil {
		return nil, 0, err
	}
	if rec.cells == nil {
		return nil, 0, crossguard.Errorf(crossguard.EINVALID, "%s: line %d: the header row is not valid CSV: %v; nothing was imported", path, rec.line, csvMessage(rec.err))
	}
	for _, c := range rec.cells {
		if !utf8.ValidString(c) {
			return nil, 0, crossguard.Errorf(crossguard.EINVALID, "%s: line 1: the header row is not valid UTF-8: save the file as UTF-8 (in Excel: Save As, \"CSV UTF-8\"); nothing was imported", path)
		}
	}
	l, err := parseLayout(rec.cells)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	src.cr.FieldsPerRecord = l.width()
	return l, rec.end, nil
}

// alreadyDone returns the result for a file imported completely before.
func alreadyDone(p *crossguard.ImportProgress, rejectsPath string) *Result {
	res := &Result{AlreadyDone: true, Lines: p.LinesDone, Imported: p.Imported, Rejected: p.Rejected, StartedAt: p.StartedAt}
	if p.FinishedAt != nil {
		res.FinishedAt = *p.FinishedAt
	}
	if p.Rejected > 0 {
		res.RejectsPath = rejectsPath
	}
	return res
}

// fileHash returns the hex SHA-256 of the file's content, which identifies
// the file across runs whatever its name.
func fileHash(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
