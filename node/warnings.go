package node

import (
	"context"
	"fmt"
	"slices"
	"time"

	"crossguard"
)

// CreateWarning records this node's warning in an operation it takes
// part in. It goes to the named participants (To) or, when none are
// named, to every participant; on each node that holds it, it becomes a
// watch-list entry per identifier for its window. Without a marking it
// takes the operation's.
func (co *Cooperation) CreateWarning(ctx context.Context, actor, opID string, w *crossguard.Warning) (*crossguard.Warning, error) {
	op, err := co.participantOperation(ctx, opID)
	if err != nil {
		return nil, err
	}
	now := co.Clock.Now().UTC()
	if op.Status(now) == crossguard.OperationEnded {
		return nil, crossguard.Errorf(crossguard.ECONFLICT, "operation %s ended at %s: it takes no more warnings", op.Name, op.EndsAt.Format(time.RFC3339))
	}
	w.ID, w.Origin, w.Version = co.NewID(), co.Info.ID, 1
	w.CreatedAt, w.UpdatedAt = now, now
	w.Operation = op.ID
	w.Marking = markingOr(w.Marking, op.Marking)
	w.Normalize()
	w.Recipients = slices.Clone(op.Participants)
	if len(w.To) > 0 {
		w.Recipients = slices.Compact(slices.Sorted(slices.Values(w.To)))
	}
	var late error
	if !w.Window.To.IsZero() && !w.Window.To.After(now) {
		late = &crossguard.Error{Code: crossguard.EINVALID, Fields: []crossguard.FieldError{{Field: "window.to",
			Message: fmt.Sprintf("%s is already past", w.Window.To.Format(time.RFC3339))}}}
	}
	if err := joinFieldErrors("invalid warning", w.Validate(), crossguard.CheckWarningAgainst(w, op), late); err != nil {
		return nil, err
	}
	if err := co.createOpRecord(ctx, actor, &w.Header, op.ID, w); err != nil {
		return nil, err
	}
	return w, co.targeting.Refresh(ctx)
}

// WithdrawWarning withdraws this node's warning: the record is deleted,
// and its tombstone takes the warning off every participant's watch list.
func (co *Cooperation) WithdrawWarning(ctx context.Context, actor, id string) error {
	var w crossguard.Warning
	if err := heldOpRecord(ctx, co.store, id, crossguard.KindWarning, &w); err != nil {
		return err
	}
	if w.Origin != co.Info.ID {
		return crossguard.Errorf(crossguard.EFORBIDDEN, "warning %s belongs to %s: only its origin may withdraw it", id, w.Origin)
	}
	if err := co.store.DeleteRecord(ctx, actor, id, 0, co.Clock.Now().UTC()); err != nil {
		return fmt.Errorf("withdraw warning %s: %w", id, err)
	}
	return co.targeting.Refresh(ctx)
}

// Warning returns a warning this node holds, or ENOTFOUND; reading
// another node's warning is audited.
func (co *Cooperation) Warning(ctx context.Context, actor, id string) (*crossguard.Warning, error) {
	var w crossguard.Warning
	if err := heldOpRecord(ctx, co.store, id, crossguard.KindWarning, &w); err != nil {
		return nil, err
	}
	if err := co.auditOpRead(ctx, actor, &w.Header); err != nil {
		return nil, err
	}
	return &w, nil
}

// Warnings lists the live warnings of an operation this node holds,
// oldest first; reading other nodes' warnings is audited.
func (co *Cooperation) Warnings(ctx context.Context, actor, opID string) ([]*crossguard.Warning, error) {
	if _, err := co.operation(ctx, opID); err != nil {
		return nil, err
	}
	return opRecordsAbout(ctx, co, actor, crossguard.KindWarning, opID, func(w *crossguard.Warning) *crossguard.Header { return &w.Header })
}

// WarningWatchlist returns the watch-list entries that the warnings in
// force give now (see warningEntries).
func (co *Cooperation) WarningWatchlist(ctx context.Context) ([]*crossguard.WatchEntry, error) {
	return warningEntries(ctx, co.store, co.Clock.Now())
}

// warningEntries turns every live warning this node holds whose window
// has not ended at now into watch-list entries, one per identifier, with
// the warning's suggested channel from the window's start to its end. The
// reason names the warning, its origin agency and its operation. A
// withdrawn warning is no longer live, so its entries go at the next
// reload of targeting. Targeting reads them at each reload, as Cooperation
// does for WarningWatchlist.
func warningEntries(ctx context.Context, records recordReader, now time.Time) ([]*crossguard.WatchEntry, error) {
	recs, err := records.RecordsOfKind(ctx, crossguard.KindWarning)
	if err != nil {
		return nil, fmt.Errorf("list warnings: %w", err)
	}
	names := map[string]string{}
	var out []*crossguard.WatchEntry
	for _, r := range recs {
		var w crossguard.Warning
		if err := decodeOpRecord(r, crossguard.KindWarning, &w); err != nil {
			return nil, err
		}
		if !w.InForce(now) {
			continue
		}
		name, ok := names[w.Operation]
		if !ok {
			name = w.Operation
			var op crossguard.Operation
			if err := heldOpRecord(ctx, records, w.Operation, crossguard.KindOperation, &op); err == nil {
				name = op.Name
			} else if crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
				return nil, err
			}
			names[w.Operation] = name
		}
		reason := fmt.Sprintf("warning %s of %s in operation %s: %s", w.ID, crossguard.Agency(w.Origin), name, w.Reason)
		for i, id := range w.Identifiers {
			from := w.Window.From
			out = append(out, &crossguard.WatchEntry{ID: fmt.Sprintf("%s#%d", w.ID, i), Identifier: id,
				Channel: w.SuggestedChannel, Reason: reason, StartsAt: &from, ExpiresAt: w.Window.To,
				CreatedAt: w.CreatedAt, Source: crossguard.WatchFromWarning})
		}
	}
	return out, nil
}

// joinFieldErrors merges the field errors of validation errors into one
// EINVALID error with message msg, or returns the first error that is not
// a validation error; nil if all are nil.
func joinFieldErrors(msg string, errs ...error) error {
	var fields []crossguard.FieldError
	for _, err := range errs {
		if err == nil {
			continue
		}
		if crossguard.ErrorCode(err) != crossguard.EINVALID {
			return err
		}
		for _, f := range crossguard.ErrorFields(err) {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &crossguard.Error{Code: crossguard.EINVALID, Message: msg, Fields: fields}
}

// CreateFeedback records this node's answer to a warning it holds, in an
// operation it takes part in. The feedback goes to every participant.
// A linked seizure (SeizureID) must be this node's own: it is shared with
// the operation's participants (see shareSeizureWith) before the feedback
// is stored. Without a marking the feedback takes the warning's.
func (co *Cooperation) CreateFeedback(ctx context.Context, actor, warningID string, f *crossguard.Feedback) (*crossguard.Feedback, error) {
	var w crossguard.Warning
	if err := heldOpRecord(ctx, co.store, warningID, crossguard.KindWarning, &w); err != nil {
		return nil, err
	}
	op, err := co.participantOperation(ctx, w.Operation)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(w.Recipients, co.Info.Agency) && crossguard.Agency(w.Origin) != co.Info.Agency {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "warning %s was not sent to %s", w.ID, co.Info.Agency)
	}
	now := co.Clock.Now().UTC()
	f.ID, f.Origin, f.Version = co.NewID(), co.Info.ID, 1
	f.CreatedAt, f.UpdatedAt = now, now
	f.Warning, f.Operation, f.Recipients = w.ID, op.ID, slices.Clone(op.Participants)
	f.Marking = markingOr(f.Marking, w.Marking)
	f.Normalize()
	var seizure *crossguard.Seizure
	var linkErr error
	if f.SeizureID != "" && f.Result == crossguard.FeedbackSeized {
		seizure, linkErr = co.linkableSeizure(ctx, f.SeizureID)
	}
	if err := joinFieldErrors("invalid feedback", f.Validate(), linkErr); err != nil {
		return nil, err
	}
	if seizure != nil {
		if err := co.shareSeizureWith(ctx, actor, seizure, op); err != nil {
			return nil, err
		}
	}
	if err := co.createOpRecord(ctx, actor, &f.Header, w.ID, f); err != nil {
		return nil, err
	}
	return f, nil
}

// FeedbackOn lists the feedback on a warning this node holds, from every
// participant, oldest first; reading other nodes' feedback is audited.
func (co *Cooperation) FeedbackOn(ctx context.Context, actor, warningID string) ([]*crossguard.Feedback, error) {
	var w crossguard.Warning
	if err := heldOpRecord(ctx, co.store, warningID, crossguard.KindWarning, &w); err != nil {
		return nil, err
	}
	return opRecordsAbout(ctx, co, actor, crossguard.KindFeedback, warningID, func(f *crossguard.Feedback) *crossguard.Header { return &f.Header })
}

// linkableSeizure returns the seizure id if feedback may link it: a live
// seizure of this node whose marking lets it leave the agency. Otherwise
// it returns an EINVALID error on seizure_id.
func (co *Cooperation) linkableSeizure(ctx context.Context, id string) (*crossguard.Seizure, error) {
	s, err := co.store.Seizure(ctx, id)
	refuse := func(format string, args ...any) error {
		return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid feedback",
			Fields: []crossguard.FieldError{{Field: "seizure_id", Message: fmt.Sprintf(format, args...)}}}
	}
	switch {
	case crossguard.ErrorCode(err) == crossguard.ENOTFOUND:
		return nil, refuse("no seizure %s on this node", id)
	case err != nil:
		return nil, fmt.Errorf("read seizure %s: %w", id, err)
	case s.Origin != co.Info.ID:
		return nil, refuse("seizure %s belongs to %s: feedback links only this node's own seizures", id, s.Origin)
	case s.Marking.TLP == crossguard.TLPAmberStrict:
		return nil, refuse("seizure %s is TLP:AMBER+STRICT, which keeps it within %s: lower its marking to share it with the operation", id, co.Info.Agency)
	}
	return s, nil
}

// shareSeizureWith widens an own seizure's sharing so that it reaches the
// operation's participants, with a new version: a seizure with named
// recipients gains the participants; a local or agency seizure becomes a
// network record for this agency and the participants. A partners or
// network seizure without named recipients already reaches every partner
// the sharing policy allows and stays as it is.
func (co *Cooperation) shareSeizureWith(ctx context.Context, actor string, s *crossguard.Seizure, op *crossguard.Operation) error {
	c := *s
	switch {
	case c.Distribution == crossguard.DistLocal || c.Distribution == crossguard.DistAgency:
		c.Distribution = crossguard.DistNetwork
		c.Recipients = sortedUnion(c.Recipients, op.Participants, []string{co.Info.Agency})
	case len(c.Recipients) > 0:
		c.Recipients = sortedUnion(c.Recipients, op.Participants)
	}
	if c.Distribution == s.Distribution && slices.Equal(c.Recipients, sortedUnion(s.Recipients)) {
		return nil
	}
	if _, err := co.seizures.UpdateSeizure(ctx, actor, s.ID, s.Version, &c); err != nil {
		return fmt.Errorf("share seizure %s with operation %s: %w", s.ID, op.ID, err)
	}
	return nil
}

// sortedUnion returns the sorted sortedUnion of lists, without duplicates.
func sortedUnion(lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}
