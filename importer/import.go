package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crossguard"
)

// Options tune an import. The zero value imports with the defaults.
type Options struct {
	// BatchSize is the number of seizures (or declarations) stored per
	// transaction; 0 means 1000.
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

// DefaultBatchSize is the number of seizures or declarations per
// transaction when Options.BatchSize is 0.
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
// n.Prepare and stored in transactions of opts.BatchSize seizures,
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
func ImportSeizures(ctx context.Context, n Target, actor, path string, opts Options) (*Result, error) {
	opts = opts.withDefaults(path)
	in, err := openInput(path, opts)
	if err != nil {
		return nil, err
	}
	defer in.f.Close()
	l, err := parseLayout(in.header)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := &run{
		ctx: ctx, n: n, actor: actor, opts: opts, noun: "seizures", l: l,
		rej:    newRejectsFile(opts.RejectsPath, l, in.base > 0),
		parser: cellParser{l: l},
		batch:  make([]*crossguard.Seizure, 0, opts.BatchSize),
	}
	return r.importFrom(in)
}

// input is a file opened for import, read up to the end of its header
// row.
type input struct {
	f         *os.File
	path      string
	size      int64
	base      int64 // bytes of byte-order mark before the CSV text
	hash      string
	src       *source
	header    []string // the header row's cells
	headerEnd int64    // the line the header row ends on
}

// openInput opens the file at path for import: it refuses what is not a
// CSV file in UTF-8, hashes the content and reads the header row, leaving
// the checking of its column names to the caller. The caller closes in.f.
func openInput(path string, opts Options) (*input, error) {
	if filepath.Clean(opts.RejectsPath) == filepath.Clean(path) {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the rejects file cannot be the file being imported (%s)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	in, err := readInput(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return in, nil
}

// readInput does the work of openInput on the opened file f.
func readInput(f *os.File, path string) (*input, error) {
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
	header, end, err := readHeader(src, path)
	if err != nil {
		return nil, err
	}
	src.cr.FieldsPerRecord = len(header)
	return &input{f: f, path: path, size: st.Size(), base: base, hash: hash, src: src, header: header, headerEnd: end}, nil
}

// importFrom imports the rows of in with the run r: it looks up the
// progress of an earlier import of the same file, returns AlreadyDone for
// a file imported completely unless Options.Again is set, and otherwise
// starts or resumes the import and runs it to the end.
func (r *run) importFrom(in *input) (*Result, error) {
	r.src, r.size, r.lastEnd = in.src, in.size, in.headerEnd
	r.report = newReporter(r.opts.Errors, r.opts.MaxErrorLines)
	prev, err := r.n.Store.ImportProgress(r.ctx, in.hash)
	if err != nil {
		return nil, fmt.Errorf("import %s: read progress: %w", in.path, err)
	}
	if prev != nil && prev.FinishedAt != nil {
		if !r.opts.Again {
			return alreadyDone(prev, r.opts.RejectsPath), nil
		}
		if err := r.n.Store.ForgetImport(r.ctx, in.hash); err != nil {
			return nil, fmt.Errorf("import %s again: %w", in.path, err)
		}
		prev = nil
	}
	if err := r.start(in.hash, in.path, prev); err != nil {
		return nil, err
	}
	return r.execute()
}

// readHeader reads the header row and returns its cells and the line it
// ends on, refusing a row that is not valid CSV or not UTF-8.
func readHeader(src *source, path string) ([]string, int64, error) {
	rec, err := src.next()
	if err == io.EOF {
		return nil, 0, crossguard.Errorf(crossguard.EINVALID, "%s has no header row: it must start with a row of column names; nothing was imported", path)
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
	return slices.Clone(rec.cells), rec.end, nil
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
