package importer

import (
	"context"
	"errors"
	"fmt"

	"crossguard"
)

// checkpoint is a batch of seizures or of declarations and the progress
// that committing it reaches; an empty batch saves only the progress.
// Counts are the counts of declarations that the progress reaches.
type checkpoint struct {
	items    []*crossguard.Seizure
	entries  []*crossguard.DeclarationEntry
	progress crossguard.ImportProgress
	counts   declCounts
}

// dealt records that the rows up to line end have been dealt with and
// commits a checkpoint when the batch is full, or when many rows have
// gone by without one.
func (r *run) dealt(end int64) error {
	r.lastEnd = end
	r.sinceSave++
	if len(r.batch) >= r.opts.BatchSize || r.decl.batchLen() >= r.opts.BatchSize || r.sinceSave >= rejectOnlyRows*r.opts.BatchSize {
		return r.checkpoint(false)
	}
	return nil
}

// checkpoint hands the batch and the progress it reaches to the committer.
// Rejected rows are flushed to the rejects file first, so that the file
// holds at least the rows the committed progress counts.
func (r *run) checkpoint(final bool) error {
	r.sinceSave = 0
	if !final && r.lastEnd <= r.skipThrough {
		return nil // nothing new since the earlier run
	}
	if err := r.rej.flush(); err != nil {
		return err
	}
	p := r.progress
	p.From, p.LinesDone = r.handed, r.lastEnd
	r.handed = p.LinesDone
	if final {
		now := r.n.Clock.Now().UTC()
		p.FinishedAt = &now
	}
	cp := &checkpoint{items: r.batch, progress: p}
	r.batch = make([]*crossguard.Seizure, 0, r.opts.BatchSize)
	if r.decl != nil {
		r.decl.take(cp, r.opts.BatchSize)
	}
	select {
	case r.checkpoints <- cp:
		return nil
	case <-r.committerOK:
		return r.commitErr
	}
}

// commitLoop stores checkpoints in order until the channel closes, the
// context is cancelled or storing fails. A commit under way when the
// context is cancelled is completed, so that an interrupted import stops
// cleanly after its current batch.
func (r *run) commitLoop() {
	defer close(r.committerOK)
	for cp := range r.checkpoints {
		if err := r.ctx.Err(); err != nil {
			r.commitErr = err
			return
		}
		ctx := context.WithoutCancel(r.ctx)
		var err error
		switch {
		case len(cp.entries) > 0:
			err = r.saveDeclarations(ctx, cp)
		case len(cp.items) == 0:
			err = r.n.Store.SaveImportProgress(ctx, &cp.progress)
		default:
			err = r.n.Store.CreateSeizures(ctx, r.actor, cp.items, &cp.progress)
		}
		if err != nil {
			r.commitErr = fmt.Errorf("store rows up to line %d: %w", cp.progress.LinesDone, err)
			return
		}
		r.committed = cp.progress
		if r.decl != nil {
			r.decl.committed = cp.counts
		}
	}
}

// stopError explains why an import stopped before the end of the file and
// what to do. A file that cannot be read further (EINVALID) fails the
// same way when imported again: it must be corrected, and as the rows
// before the fault are already in, only the rows after them imported.
// Anything else (a cancelled context, a storage failure) is resumed by
// running the same import again.
func (r *run) stopError(err error) error {
	c := r.committed
	var e *crossguard.Error
	if errors.As(err, &e) && e.Code == crossguard.EINVALID {
		return &crossguard.Error{Code: crossguard.EINVALID, Message: fmt.Sprintf(
			"%s: %s; the %d %s before it were imported (lines up to %d): correct the file and import only the rows after line %d",
			c.FileName, e.Message, c.Imported, r.noun, c.LinesDone, c.LinesDone)}
	}
	return fmt.Errorf("import of %s stopped after line %d (%d %s imported); run the same import again to resume: %w",
		c.FileName, c.LinesDone, c.Imported, r.noun, err)
}
