package node

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
)

// RetentionActor is the actor of the audit entries of retention runs.
const RetentionActor = "retention"

// retentionBatch is how many records or declarations one transaction of a
// retention run removes: a million expired records make a thousand
// bounded transactions, not one huge one.
const retentionBatch = 1000

// DefaultDeclarationRetention is how long declarations, with their
// decisions and inspections, are kept unless the node is told otherwise:
// five years of 365 days.
const DefaultDeclarationRetention = 5 * 365 * 24 * time.Hour

// RetentionGroup is one line of the retention status: a group of records
// held, the rule that applies to it, and when its first record goes.
type RetentionGroup struct {
	crossguard.RetentionGroup
	Retention crossguard.Retention `json:"retention"`
	// FirstGoes is when the oldest record of the group goes (nil if the
	// group is kept); a time in the past means the next run removes it.
	FirstGoes *time.Time `json:"first_goes,omitempty"`
}

// DeclarationRetention is the declarations' line of the retention status.
type DeclarationRetention struct {
	crossguard.DeclarationAges
	Period    time.Duration `json:"period_ns"`
	Days      int           `json:"period_days"`
	FirstGoes *time.Time    `json:"first_goes,omitempty"`
}

// RetentionStatus is what retention will remove and when, as of At.
type RetentionStatus struct {
	At           time.Time            `json:"at"`
	Groups       []*RetentionGroup    `json:"groups"`
	Declarations DeclarationRetention `json:"declarations"`
}

// RetentionReport counts what a retention run removed.
type RetentionReport struct {
	Tombstoned   int                            `json:"tombstoned"` // own records deleted with a tombstone
	Purged       int                            `json:"purged"`     // copies held from partners removed
	Declarations crossguard.DeclarationsDeleted `json:"declarations"`
}

// liveAgreements returns the live agreements the node holds.
func (ad *Admin) liveAgreements(ctx context.Context) ([]*crossguard.Agreement, error) {
	rs, err := ad.store.RecordsOfKind(ctx, crossguard.KindAgreement)
	if err != nil {
		return nil, fmt.Errorf("read agreements: %w", err)
	}
	out := make([]*crossguard.Agreement, 0, len(rs))
	for _, r := range rs {
		var a crossguard.Agreement
		if err := json.Unmarshal(r.Body, &a); err != nil {
			return nil, fmt.Errorf("decode agreement %s: %w", r.ID, err)
		}
		out = append(out, &a)
	}
	return out, nil
}

// RetentionStatus says what retention will remove and when: per kind,
// origin and distribution of the records held, how many there are, the
// rule and agreement that set their retention and when the first of them
// goes; and the same of declarations under declRetention.
func (ad *Admin) RetentionStatus(ctx context.Context, declRetention time.Duration) (*RetentionStatus, error) {
	now := ad.Clock.Now().UTC()
	agreements, err := ad.liveAgreements(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := ad.store.RetentionGroups(ctx)
	if err != nil {
		return nil, err
	}
	st := &RetentionStatus{At: now, Groups: []*RetentionGroup{}}
	for _, g := range groups {
		line := &RetentionGroup{RetentionGroup: *g, Retention: crossguard.RecordRetention(ad.Info.ID, g.Subject(), agreements, now)}
		if at, ok := line.Retention.Expires(g.Oldest); ok {
			line.FirstGoes = &at
		}
		st.Groups = append(st.Groups, line)
	}
	ages, err := ad.store.DeclarationAges(ctx, now.Add(-declRetention))
	if err != nil {
		return nil, err
	}
	st.Declarations = DeclarationRetention{DeclarationAges: *ages, Period: declRetention, Days: int(declRetention / (24 * time.Hour))}
	if ages.Total > 0 {
		at := ages.Oldest.Add(declRetention)
		st.Declarations.FirstGoes = &at
	}
	return st, nil
}

// ApplyRetention removes now, in bounded batches, what is past its
// retention: own records with tombstones that reach every peer holding
// them, copies held from partners as a withdrawal removes them (the feed
// then withdraws them from the peers this node passed them on to), each
// audited; and declarations received more than declRetention ago with
// their decisions and inspections, audited a batch at a time. progress,
// if not nil, hears of every batch. A run killed part way loses nothing
// that should stay: each batch commits whole, and the next run finishes.
func (ad *Admin) ApplyRetention(ctx context.Context, actor string, declRetention time.Duration, progress func(string)) (*RetentionReport, error) {
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	st, err := ad.RetentionStatus(ctx, declRetention)
	if err != nil {
		return nil, err
	}
	now := st.At
	rep := &RetentionReport{}
	for _, g := range st.Groups {
		r := g.Retention
		if r.Days == 0 || g.FirstGoes == nil || !g.FirstGoes.Before(now) {
			continue
		}
		cutoff := r.Cutoff(now)
		own := g.Origin == ad.Info.ID
		rm := &crossguard.Removal{Actor: actor, Action: crossguard.ActionRetentionPurge, At: now,
			Reason: fmt.Sprintf("retention of %d days under agreement %s (%s) ended", r.Days, r.Agreement, r.Title)}
		if own {
			rm.Action = crossguard.ActionRetentionDelete
		}
		for {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			ids, err := ad.store.CreatedBefore(ctx, &g.RetentionGroup, cutoff, retentionBatch)
			if err != nil || len(ids) == 0 {
				if err != nil {
					return rep, err
				}
				break
			}
			rm.IDs = ids
			var done int
			if own {
				done, err = ad.store.DeleteOwn(ctx, rm)
				rep.Tombstoned += done
			} else {
				done, err = ad.store.RemoveCopies(ctx, rm)
				rep.Purged += done
			}
			if err != nil {
				return rep, err
			}
			say("%s records of %s (%s): %d removed under agreement %s, %d days", g.Kind, g.Origin, g.Distribution, done, r.Agreement, r.Days)
			if done == 0 {
				break // nothing of these could go: leave them to the next run
			}
		}
	}
	cutoff := now.Add(-declRetention)
	for st.Declarations.Due > 0 {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		d, err := ad.store.DeleteDeclarations(ctx, actor, cutoff, now, retentionBatch)
		if err != nil {
			return rep, err
		}
		if d.Declarations == 0 {
			break
		}
		rep.Declarations.Declarations += d.Declarations
		rep.Declarations.Decisions += d.Decisions
		rep.Declarations.Inspections += d.Inspections
		say("declarations received before %s: %d removed with %d decisions and %d inspections", cutoff.Format(time.DateOnly),
			d.Declarations, d.Decisions, d.Inspections)
	}
	return rep, nil
}

// KeepRetention runs ApplyRetention every interval (and once at the
// start) until ctx ends, logging what each run removed and any failure.
func (ad *Admin) KeepRetention(ctx context.Context, interval, declRetention time.Duration) {
	for {
		rep, err := ad.ApplyRetention(ctx, RetentionActor, declRetention, func(line string) { ad.Logger.Info("retention", "progress", line) })
		switch {
		case err != nil && ctx.Err() == nil:
			ad.Logger.Error("retention run failed", "err", err)
		case err == nil:
			ad.Logger.Info("retention run", "tombstoned", rep.Tombstoned, "purged", rep.Purged,
				"declarations", rep.Declarations.Declarations)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
