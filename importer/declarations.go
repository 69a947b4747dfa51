package importer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"crossguard"
	"crossguard/declcsv"
)

// DeclarationOptions tune an import of declarations: the Options of every
// import (BatchSize counts declarations) and the decisions to make. Again
// reads a file imported completely once more, but as declaration ids are
// unique, every declaration of it that is stored is rejected.
type DeclarationOptions struct {
	Options
	// Decide, if not nil, decides the declarations that carry no label,
	// a batch at a time just before the batch is stored: it returns one
	// decision per declaration, in order, or nil for none. A failure
	// stops the import after the batches already stored, to be resumed.
	// When Decide is nil, declarations are stored without decisions.
	Decide func(ctx context.Context, ds []*crossguard.Declaration) ([]*crossguard.Decision, error)
}

// DeclarationResult says what an import of declarations did. Like the
// counts of Result, Labelled, Frauds and Critical cover the whole file,
// the part imported before an interruption included; they are zero when
// AlreadyDone is set.
type DeclarationResult struct {
	Result
	Labelled int64 // declarations stored with the inspection their label gives
	Frauds   int64 // of those, labelled as a fraud (Fraud 1)
	Critical int64 // of those, labelled as a critical fraud (Critical Fraud 2)
	Decided  int64 // declarations stored with a decision by this run
}

// ImportDeclarations imports the declarations in the CSV file at path,
// in the layout of the customs declaration files (see package declcsv),
// into the node, as actor. Every row is checked by declcsv; a declaration
// id already stored, or on an earlier line of the file, is refused. Good
// rows are stored in transactions of opts.BatchSize declarations with
// Store.SaveDeclarations, each of which also saves the import's progress;
// bad rows are reported to opts.Errors and written to the rejects file.
// A row with a label (the Fraud and Critical Fraud columns) is stored
// with the inspection the label stands for; a row without one with the
// decision opts.Decide makes, if it is set.
//
// Everything else is as for ImportSeizures: a file whose encoding or
// header is wrong is refused before anything is imported, a file imported
// completely before is not imported again unless opts.Again is set, an
// interrupted import resumes after its last committed batch, and a
// cancelled context stops the import once the batch being stored is
// committed. The rejects file keeps an error column, which an import
// ignores, so that a corrected rejects file can be imported as it is.
func ImportDeclarations(ctx context.Context, n Target, actor, path string, opts DeclarationOptions) (*DeclarationResult, error) {
	o := opts.Options.withDefaults(path)
	in, err := openInput(path, o)
	if err != nil {
		return nil, err
	}
	defer in.f.Close()
	dl, err := declcsv.ParseHeader(in.header, errorColumn)
	if err != nil {
		var e *crossguard.Error
		if errors.As(err, &e) {
			err = &crossguard.Error{Code: e.Code, Fields: e.Fields,
				Message: e.Message + " (see importer/DECLARATIONS.md); nothing was imported"}
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	l := headerLayout(in.header)
	r := &run{
		ctx: ctx, n: n, actor: actor, opts: o, noun: "declarations", l: l,
		rej: newRejectsFile(o.RejectsPath, l, in.base > 0),
		decl: &declRun{layout: dl, decide: opts.Decide, seen: map[crossguard.Code]int64{},
			batch: make([]*crossguard.DeclarationEntry, 0, o.BatchSize)},
	}
	res, err := r.importFrom(in)
	if res == nil {
		return nil, err
	}
	c := r.decl.committed
	return &DeclarationResult{Result: *res, Labelled: c.labelled, Frauds: c.frauds, Critical: c.critical, Decided: r.decl.decided}, err
}

// headerLayout returns the layout of a file that is not of seizures: only
// its header and error column, which the rejects file needs.
func headerLayout(header []string) *layout {
	l := &layout{header: header, errorIdx: slices.Index(header, errorColumn)}
	for i := range l.index {
		l.index[i] = -1
	}
	return l
}

// declRun is the part of a run that imports declarations.
type declRun struct {
	layout *declcsv.Layout
	decide func(ctx context.Context, ds []*crossguard.Declaration) ([]*crossguard.Decision, error)
	batch  []*crossguard.DeclarationEntry
	// waiting holds the rows read but not yet checked against the store,
	// in file order, to look their ids up a batch at a time.
	waiting []waitingRow
	// seen holds the line of each declaration id accepted so far, to
	// refuse an id given twice in the file.
	seen map[crossguard.Code]int64
	// read counts the rows accepted so far, the reading goroutine's;
	// committed those that the committed progress reaches, the
	// committing goroutine's once rows past an earlier run's are read.
	read, committed declCounts
	decided         int64 // decisions stored, by the committing goroutine
}

// declCounts counts accepted declarations by label.
type declCounts struct {
	labelled, frauds, critical int64
}

// add counts a declaration with this label, or none.
func (c *declCounts) add(label *crossguard.Label) {
	if label == nil {
		return
	}
	c.labelled++
	if label.Positive() {
		c.frauds++
	}
	if label.Critical >= 2 {
		c.critical++
	}
}

// batchLen returns the number of declarations waiting to be stored, 0 in
// an import of seizures.
func (d *declRun) batchLen() int {
	if d == nil {
		return 0
	}
	return len(d.batch)
}

// take moves the batch and the counts it reaches into cp.
func (d *declRun) take(cp *checkpoint, size int) {
	cp.entries, cp.counts = d.batch, d.read
	d.batch = make([]*crossguard.DeclarationEntry, 0, size)
}

// waitingRow is a well-formed row of declarations read but not yet dealt
// with: its record (with its own copy of the cells), and the declaration
// and label it holds or its problems.
type waitingRow struct {
	rec      record
	d        *crossguard.Declaration
	label    *crossguard.Label
	problems []crossguard.FieldError
}

// declarationRow deals with a well-formed row of a declaration file. A
// row of this run waits, with the rows after it, until a batch of them
// is read (or until another kind of row, or the end of the file, comes):
// flushDeclarations then looks their ids up in the store at once and
// deals with them in order. A row done by an earlier run is dealt with at
// once: it is not checked against the store, which holds it.
func (r *run) declarationRow(rec record, skipped bool) error {
	dr := r.decl
	d, label, problems := dr.layout.Row(rec.cells)
	if skipped {
		if err := r.flushDeclarations(); err != nil {
			return err
		}
		return r.dealDeclaration(waitingRow{rec: rec, d: d, label: label, problems: problems}, true, false)
	}
	rec.cells = slices.Clone(rec.cells)
	dr.waiting = append(dr.waiting, waitingRow{rec: rec, d: d, label: label, problems: problems})
	if len(dr.waiting) >= r.opts.BatchSize {
		return r.flushDeclarations()
	}
	return nil
}

// flushDeclarations deals with the rows waiting, in order, after looking
// up in the store, with one call, the ids that are neither bad nor on an
// earlier line of the file. It does nothing in an import of seizures.
func (r *run) flushDeclarations() error {
	dr := r.decl
	if dr == nil || len(dr.waiting) == 0 {
		return nil
	}
	rows := dr.waiting
	dr.waiting = nil
	ids := make([]string, 0, len(rows))
	for _, w := range rows {
		if w.problems == nil {
			if _, dup := dr.seen[w.d.DeclarationID]; !dup {
				ids = append(ids, string(w.d.DeclarationID))
			}
		}
	}
	var stored map[string]*crossguard.Decision
	if len(ids) > 0 {
		var err error
		if stored, err = r.n.Store.StoredDecisions(r.ctx, ids); err != nil {
			return fmt.Errorf("look for declarations %s to %s: %w", ids[0], ids[len(ids)-1], err)
		}
	}
	for _, w := range rows {
		isStored := false
		if w.problems == nil {
			_, isStored = stored[string(w.d.DeclarationID)]
		}
		if err := r.dealDeclaration(w, false, isStored); err != nil {
			return err
		}
	}
	clear(rows)
	dr.waiting = rows[:0]
	return nil
}

// dealDeclaration deals with a row: it puts its declaration in the batch
// or rejects the row, for its problems, for an id on an earlier line of
// the file or for one stored (as stored says). A row done by an earlier
// run (skipped) is only read again to count it, and, while the rejects
// file is being rebuilt, to write it there again if it was rejected.
//
// A row of an earlier run is not checked against the store, which holds
// it: the counts of a resumed import take such a row for one it stored
// even when it was refused then for an id imported from another file.
func (r *run) dealDeclaration(w waitingRow, skipped, stored bool) error {
	dr, rec, d, label, problems := r.decl, w.rec, w.d, w.label, w.problems
	if problems == nil {
		if first, dup := dr.seen[d.DeclarationID]; dup {
			problems = []crossguard.FieldError{{Field: "Declaration ID",
				Message: fmt.Sprintf("%q is already on line %d of this file", d.DeclarationID, first)}}
		} else if stored {
			problems = []crossguard.FieldError{{Field: "Declaration ID",
				Message: fmt.Sprintf("%q is already stored (imported or received before)", d.DeclarationID)}}
		}
	}
	if problems != nil {
		if skipped && !r.rebuild {
			return r.dealt(rec.end)
		}
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = fmt.Sprintf("line %d: %s: %s", rec.line, p.Field, p.Message)
		}
		if err := r.rejectCells(rec, skipped, strings.Join(lines, "; "), lines...); err != nil {
			return err
		}
		return r.dealt(rec.end)
	}
	dr.seen[d.DeclarationID] = rec.line
	dr.read.add(label)
	if skipped {
		dr.committed.add(label)
		return r.dealt(rec.end)
	}
	now := r.n.Clock.Now().UTC()
	e := &crossguard.DeclarationEntry{Declaration: d, ReceivedAt: now}
	if label != nil {
		e.Inspection = &crossguard.Inspection{DeclarationID: string(d.DeclarationID), Result: crossguard.LabelResult(*label),
			Label: *label, Source: crossguard.InspectionFromFile, At: now}
	}
	dr.batch = append(dr.batch, e)
	r.progress.Imported++
	return r.dealt(rec.end)
}

// saveDeclarations decides the unlabelled declarations of a checkpoint,
// if the import makes decisions, and stores the batch with its progress.
func (r *run) saveDeclarations(ctx context.Context, cp *checkpoint) error {
	dr := r.decl
	decided := int64(0)
	if dr.decide != nil {
		var undecided []*crossguard.DeclarationEntry
		var ds []*crossguard.Declaration
		for _, e := range cp.entries {
			if e.Inspection == nil {
				undecided = append(undecided, e)
				ds = append(ds, e.Declaration)
			}
		}
		if len(ds) > 0 {
			decisions, err := dr.decide(ctx, ds)
			if err != nil {
				return fmt.Errorf("decide: %w", err)
			}
			if len(decisions) != len(ds) {
				return fmt.Errorf("decide: %d decisions for %d declarations", len(decisions), len(ds))
			}
			for i, dec := range decisions {
				undecided[i].Decision = dec
				if dec != nil {
					decided++
				}
			}
		}
	}
	if err := r.n.Store.SaveDeclarations(ctx, r.actor, cp.entries, &cp.progress); err != nil {
		return err
	}
	dr.decided += decided
	return nil
}
