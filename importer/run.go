package importer

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"crossguard"
)

// rejectOnlyRows is how many rows, in multiples of the batch size, may go
// by without a commit before progress is saved anyway, so that a resumed
// import of a file of mostly bad rows need not check them all again.
const rejectOnlyRows = 10

// run is one import of one file. A reading goroutine (execute) parses and
// validates rows and builds batches; a committing goroutine (commitLoop)
// stores them in order, so that parsing and storing overlap. An import of
// seizures reads rows with l and parser into batch; an import of
// declarations (decl set) with decl into its own batch.
type run struct {
	ctx    context.Context
	n      Target
	actor  string
	opts   Options
	noun   string // what the import stores, for messages: "seizures"
	decl   *declRun
	src    *source
	l      *layout
	size   int64
	rej    *rejectsFile
	report *reporter
	parser cellParser

	res         Result
	progress    crossguard.ImportProgress // totals as read, ahead of what is committed
	skipThrough int64                     // lines up to this were done by an earlier run
	rebuild     bool                      // check skipped rows again to rebuild the rejects file

	pending   *group
	batch     []*crossguard.Seizure
	lastEnd   int64 // last line of the last row dealt with
	sinceSave int   // rows dealt with since the last checkpoint

	lastProgress time.Time

	checkpoints chan *checkpoint
	committerOK chan struct{} // closed when commitLoop returns
	commitErr   error         // commitLoop's error, read after committerOK
	committed   crossguard.ImportProgress
	handed      int64 // LinesDone of the last progress handed to the committer
}

// start records the beginning of a new import, or prepares to resume an
// interrupted one from prev.
func (r *run) start(hash, path string, prev *crossguard.ImportProgress) error {
	if prev == nil {
		// From 0: a progress saved meanwhile by another import of the same
		// file makes this one stop here.
		r.progress = crossguard.ImportProgress{FileHash: hash, FileName: path, LinesDone: r.lastEnd, StartedAt: r.n.Clock.Now().UTC()}
		if err := r.rej.remove(); err != nil {
			return err
		}
		if err := r.n.Store.SaveImportProgress(r.ctx, &r.progress); err != nil {
			return fmt.Errorf("import %s: save progress: %w", path, err)
		}
		r.committed = r.progress
		r.handed = r.progress.LinesDone
		return nil
	}
	r.progress = *prev
	r.handed = prev.LinesDone
	r.progress.FileName = path
	r.committed = r.progress
	r.skipThrough = prev.LinesDone
	r.res.Resumed = true
	ok, err := r.rej.restore(prev.Rejected, prev.LinesDone)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	if !ok {
		if err := r.rej.remove(); err != nil {
			return fmt.Errorf("import %s: %w", path, err)
		}
		r.rebuild, r.res.RejectsRebuilt = true, true
		r.report.notef("The rejects file %s does not hold the %d rows rejected before the import was interrupted: writing it again by checking lines 2 to %d once more.",
			r.rej.path, prev.Rejected, prev.LinesDone)
	}
	return nil
}

// execute reads the file to the end, or until the context is cancelled or
// storing fails, and returns the result.
func (r *run) execute() (*Result, error) {
	r.checkpoints = make(chan *checkpoint, 1)
	r.committerOK = make(chan struct{})
	go r.commitLoop()

	err := r.readAll()
	if err == nil {
		err = r.finish()
	}
	close(r.checkpoints)
	<-r.committerOK
	if cerr := r.rej.close(err == nil); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.commitErr
	}
	r.res.Imported, r.res.Rejected = r.committed.Imported, r.committed.Rejected
	r.res.StartedAt = r.committed.StartedAt
	if r.committed.Rejected > 0 {
		r.res.RejectsPath = r.rej.path
	}
	r.report.summary(r.rej.path)
	if err != nil {
		r.res.Lines = r.committed.LinesDone
		return &r.res, r.stopError(err)
	}
	r.res.Lines = r.lastEnd
	if r.committed.FinishedAt != nil {
		r.res.FinishedAt = *r.committed.FinishedAt
	}
	r.opts.Progress(r.size, r.size)
	return &r.res, nil
}

// readAll reads and deals with every row of the file.
func (r *run) readAll() error {
	r.opts.Progress(r.src.done(), r.size)
	r.lastProgress = time.Now()
	for i := 0; ; i++ {
		if i%64 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			if time.Since(r.lastProgress) > 200*time.Millisecond {
				r.opts.Progress(r.src.done(), r.size)
				r.lastProgress = time.Now()
			}
		}
		rec, err := r.src.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			// Keep what came before the unreadable part.
			if ferr := r.finishPending(); ferr != nil {
				return ferr
			}
			if cerr := r.checkpoint(false); cerr != nil {
				return cerr
			}
			return err
		}
		r.res.Rows++
		if err := r.row(rec); err != nil {
			return err
		}
	}
}

// finish deals with the last group and commits the last batch together
// with the import's end.
func (r *run) finish() error {
	if err := r.finishPending(); err != nil {
		return err
	}
	if err := r.rej.close(true); err != nil {
		return err
	}
	return r.checkpoint(true)
}

// row deals with one record: it joins it to the group being read, or
// finishes that group and starts another, or rejects the record on its
// own when it cannot be read as a row of the layout.
func (r *run) row(rec record) error {
	skipped := rec.line <= r.skipThrough
	// Rows done by an earlier run are passed over, except the well-formed
	// rows of declarations, which are read again for their counts.
	if skipped && !r.rebuild && (r.decl == nil || rec.cells == nil || rec.err != nil) {
		if rec.err == nil && blank(rec.cells) {
			r.res.Blank++
		}
		r.lastEnd = rec.end
		return nil
	}
	switch {
	case rec.cells == nil:
		if err := r.finishPending(); err != nil {
			return err
		}
		msg := fmt.Sprintf("line %d: csv: %s", rec.line, csvMessage(rec.err))
		if err := r.rejectText(rec, skipped, msg); err != nil {
			return err
		}
		return r.dealt(rec.end)
	case rec.err != nil:
		if err := r.finishPending(); err != nil {
			return err
		}
		msg := fmt.Sprintf("line %d: row: has %d cells, but the header has %d columns", rec.line, len(rec.cells), r.l.width())
		if err := r.rejectCells(rec, skipped, msg); err != nil {
			return err
		}
		return r.dealt(rec.end)
	case blank(rec.cells):
		if err := r.finishPending(); err != nil {
			return err
		}
		r.res.Blank++
		return r.dealt(rec.end)
	case r.decl != nil:
		return r.declarationRow(rec, skipped)
	}
	ref := r.l.cell(rec.cells, colRef)
	if g := r.pending; g != nil && ref != "" && ref == g.ref {
		return r.continueGroup(g, rec)
	}
	if err := r.finishPending(); err != nil {
		return err
	}
	r.parser.errs = nil
	r.parser.checkUTF8(rec.cells)
	s := r.parser.seizure(rec.cells)
	r.pending = &group{ref: ref, seizure: s, skipped: skipped,
		rows: []groupRow{{line: rec.line, end: rec.end, cells: slices.Clone(rec.cells), errs: r.parser.errs}}}
	return nil
}

// continueGroup adds a row's line of goods to the group being read. A
// group that grows past the most lines of goods a seizure may have is
// rejected, and so is every further row with its ref.
func (r *run) continueGroup(g *group, rec record) error {
	if g.overflow {
		msg := fmt.Sprintf("line %d: ref: more than %d rows share the ref %q, but a seizure has at most %d lines of goods", rec.line, crossguard.MaxGoods, g.ref, crossguard.MaxGoods)
		if err := r.rejectCells(rec, g.skipped, msg); err != nil {
			return err
		}
		r.lastEnd = rec.end
		return nil
	}
	r.parser.errs = nil
	r.parser.checkUTF8(rec.cells)
	g.seizure.Goods = append(g.seizure.Goods, r.parser.goods(rec.cells))
	g.rows = append(g.rows, groupRow{line: rec.line, end: rec.end, cells: slices.Clone(rec.cells), errs: r.parser.errs})
	if len(g.rows) <= crossguard.MaxGoods {
		return nil
	}
	g.overflow = true
	for _, row := range g.rows {
		msg := fmt.Sprintf("line %d: ref: more than %d rows share the ref %q, but a seizure has at most %d lines of goods", row.line, crossguard.MaxGoods, g.ref, crossguard.MaxGoods)
		if err := r.rejectCells(record{cells: row.cells, line: row.line}, g.skipped, msg); err != nil {
			return err
		}
	}
	g.rows, g.seizure = nil, nil
	r.lastEnd = rec.end
	return nil
}

// finishPending validates the group being read, if any, and puts its
// seizure in the batch or rejects its rows; in an import of declarations
// it deals with the rows waiting to be checked against the store.
func (r *run) finishPending() error {
	if err := r.flushDeclarations(); err != nil {
		return err
	}
	g := r.pending
	if g == nil {
		return nil
	}
	r.pending = nil
	if g.overflow {
		return r.dealt(r.lastEnd)
	}
	bad := false
	for _, row := range g.rows {
		bad = bad || len(row.errs) > 0
	}
	var err error
	switch {
	case bad || g.skipped:
		// Validate without stamping, to report every problem at once, or
		// to tell only whether a row done before was rejected.
		g.seizure.Normalize()
		err = g.seizure.Validate(r.n.Clock.Now().UTC())
	default:
		err = r.n.Prepare(g.seizure)
	}
	if err != nil {
		g.addValidation(err)
		bad = true
	}
	if bad {
		for i, msg := range g.rejections() {
			row := g.rows[i]
			if err := r.rejectCells(record{cells: row.cells, line: row.line}, g.skipped, msg, rowLines(row)...); err != nil {
				return err
			}
		}
	} else if !g.skipped {
		r.batch = append(r.batch, g.seizure)
		r.progress.Imported++
		if g.seizure.Distribution == crossguard.DistLocal {
			// A local record keeps personal data with a warning, as
			// the API keeps it; the import says so, as the API does.
			for _, w := range g.seizure.Warnings() {
				r.report.warn(fmt.Sprintf("line %d: warning: %s: %s", g.rows[0].line, w.Field, w.Message))
			}
		}
	}
	return r.dealt(g.rows[len(g.rows)-1].end)
}

// rowLines returns the lines that report a row's errors.
func rowLines(row groupRow) []string {
	lines := make([]string, len(row.errs))
	for i, e := range row.errs {
		lines[i] = fmt.Sprintf("line %d: %s", row.line, e)
	}
	return lines
}

// rejectCells writes a rejected row to the rejects file and reports it
// with lines (msg if none are given). A row done by an earlier run is only
// written again, while rebuilding the rejects file.
func (r *run) rejectCells(rec record, skipped bool, msg string, lines ...string) error {
	if err := r.rej.writeRow(rec.cells, msg); err != nil {
		return err
	}
	r.rejected(skipped, msg, lines)
	return nil
}

// rejectText writes a row that could not be parsed to the rejects file and
// reports it.
func (r *run) rejectText(rec record, skipped bool, msg string) error {
	if err := r.rej.writeText(rec.raw, msg); err != nil {
		return err
	}
	r.rejected(skipped, msg, nil)
	return nil
}

// rejected counts and reports a rejected row.
func (r *run) rejected(skipped bool, msg string, lines []string) {
	if skipped {
		return
	}
	r.progress.Rejected++
	if len(lines) == 0 {
		lines = []string{msg}
	}
	r.report.row(lines...)
}

// blank reports whether every cell of row is empty or spaces, as in the
// trailing rows a spreadsheet may export.
func blank(row []string) bool {
	for _, c := range row {
		for i := 0; i < len(c); i++ {
			if c[i] != ' ' && c[i] != '\t' {
				return false
			}
		}
	}
	return true
}

// csvMessage explains a CSV syntax error in words a spreadsheet user can
// act on.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	switch pe.Err {
	case csv.ErrBareQuote:
		return fmt.Sprintf("a quote (\") inside a cell that does not start with one (line %d, column %d): quote the whole cell and double the quotes inside it, e.g. \"5 \"\"No. 4\"\" blocks\"", pe.Line, pe.Column)
	case csv.ErrQuote:
		return fmt.Sprintf("a quoted cell is not closed properly (line %d, column %d): a quote inside a quoted cell must be doubled (\"\")", pe.Line, pe.Column)
	}
	return pe.Err.Error()
}
