package node

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"crossguard"
)

// activityField returns an EINVALID error naming one field of an
// activity.
func activityField(field, format string, args ...any) error {
	return &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid activity",
		Fields: []crossguard.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// CreateActivity validates a new activity written by this node, stamps
// and stores it. An activity of an agreement must name an agreement this
// node holds, and a commitment of it of a matching type if any; its
// agencies must be the agreement's parties, to whom it goes. An activity
// of no agreement goes to its participating agencies. The marking
// defaults to the agreement's.
func (co *Cooperation) CreateActivity(ctx context.Context, actor string, a *crossguard.Activity) (*crossguard.Activity, error) {
	a.Distribution = crossguard.DistNetwork
	if a.Agreement == "" {
		a.Recipients = slices.Clone(a.Agencies)
	} else {
		ag, err := co.agreement(ctx, a.Agreement)
		if err != nil {
			if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
				return nil, activityField("agreement", "no agreement %s on this node", a.Agreement)
			}
			return nil, err
		}
		if err := checkActivityAgreement(a, ag); err != nil {
			return nil, err
		}
		a.Recipients = slices.Clone(ag.Parties)
		if a.Marking == (crossguard.Marking{}) {
			a.Marking = ag.Scope.DefaultMarking
		}
		if a.Marking == (crossguard.Marking{}) {
			a.Marking = ag.Marking
		}
	}
	now := co.Clock.Now().UTC()
	a.ID, a.Kind, a.Origin, a.Version = co.NewID(), crossguard.KindActivity, co.Info.ID, 1
	a.CreatedAt, a.UpdatedAt = now, now
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := co.storeProgrammeRecord(ctx, actor, &a.Header, a.Agreement, a, true); err != nil {
		return nil, err
	}
	return a, nil
}

// checkActivityAgreement checks an activity against the agreement it
// names: a known commitment of a matching type, and parties as agencies.
func checkActivityAgreement(a *crossguard.Activity, ag *crossguard.Agreement) error {
	if a.Commitment != "" {
		c := ag.Commitment(a.Commitment)
		switch {
		case c == nil:
			return activityField("commitment", "%q is not a commitment of agreement %s", a.Commitment, ag.ID)
		case slices.Contains(crossguard.ActivityTypes, c.Type) && c.Type != a.Type:
			return activityField("type", "commitment %s is a %s: an activity of type %s does not fulfil it", c.ID, c.Type, a.Type)
		}
	}
	for i, agency := range a.Agencies {
		if !slices.Contains(ag.Parties, agency) {
			return activityField(fmt.Sprintf("agencies[%d]", i), "%s is not a party to agreement %s, which goes to its parties alone", agency, ag.ID)
		}
	}
	return nil
}

// activity returns a live activity this node holds, or ENOTFOUND.
func (co *Cooperation) activity(ctx context.Context, id string) (*crossguard.Activity, error) {
	r, err := co.store.Record(ctx, id)
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
			return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no activity %s on this node", id)
		}
		return nil, fmt.Errorf("load activity %s: %w", id, err)
	}
	var a crossguard.Activity
	if err := decodeProgrammeRecord(r, crossguard.KindActivity, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Activity returns one activity. Reading another node's is audited.
func (co *Cooperation) Activity(ctx context.Context, actor, id string) (*crossguard.Activity, error) {
	a, err := co.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := co.auditProgrammeReads(ctx, actor, a.Header); err != nil {
		return nil, err
	}
	return a, nil
}

// Activities lists the activities this node holds, own and received, by
// start date (ties by id); with agreement not empty, only that
// agreement's. Reading other nodes' activities is audited.
func (co *Cooperation) Activities(ctx context.Context, actor, agreement string) ([]*crossguard.Activity, error) {
	var recs []*crossguard.Record
	var err error
	if agreement != "" {
		recs, err = co.store.RecordsAbout(ctx, crossguard.KindActivity, agreement)
	} else {
		recs, err = co.store.RecordsOfKind(ctx, crossguard.KindActivity)
	}
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	out := make([]*crossguard.Activity, 0, len(recs))
	for _, r := range recs {
		var a crossguard.Activity
		if err := decodeProgrammeRecord(r, crossguard.KindActivity, &a); err != nil {
			return nil, err
		}
		if err := co.auditProgrammeReads(ctx, actor, a.Header); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	slices.SortFunc(out, func(x, y *crossguard.Activity) int {
		if c := strings.Compare(x.StartsOn, y.StartsOn); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}
