package node

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"crossguard"
)

// AgreementView is an agreement as this node sees it: the shared record
// with each commitment's status merged from its owner's progress reports
// as of Today, overdue commitments first.
type AgreementView struct {
	*crossguard.Agreement
	Commitments []crossguard.CommitmentState `json:"commitments"`
	// Today is the day (YYYY-MM-DD, UTC) the statuses were merged for.
	Today string `json:"today"`
	// Overdue counts the overdue commitments.
	Overdue int `json:"overdue"`
}

// decodeProgrammeRecord decodes a record of the record store of kind into v.
func decodeProgrammeRecord(r *crossguard.Record, kind string, v any) error {
	if r.Kind != kind {
		return crossguard.Errorf(crossguard.ENOTFOUND, "record %s is of kind %s, not %s", r.ID, r.Kind, kind)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %s %s: %w", kind, r.ID, err)
	}
	return nil
}

// agreement returns a live agreement this node holds, or ENOTFOUND.
func (co *Cooperation) agreement(ctx context.Context, id string) (*crossguard.Agreement, error) {
	r, err := co.store.Record(ctx, id)
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
			return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no agreement %s on this node", id)
		}
		return nil, fmt.Errorf("load agreement %s: %w", id, err)
	}
	var a crossguard.Agreement
	if err := decodeProgrammeRecord(r, crossguard.KindAgreement, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// stampAgreementSharing sets what a client may leave out: the
// distribution (network), the recipients (the parties) and the marking
// (the scope's default marking).
func stampAgreementSharing(a *crossguard.Agreement) {
	if a.Distribution == "" {
		a.Distribution = crossguard.DistNetwork
	}
	if len(a.Recipients) == 0 {
		a.Recipients = slices.Clone(a.Parties)
	}
	if a.Marking == (crossguard.Marking{}) {
		a.Marking = a.Scope.DefaultMarking
	}
}

// CreateAgreement validates a new agreement written by this node, stamps
// and stores it. It goes to the parties alone.
func (co *Cooperation) CreateAgreement(ctx context.Context, actor string, a *crossguard.Agreement) (*AgreementView, error) {
	now := co.Clock.Now().UTC()
	a.ID, a.Kind, a.Origin, a.Version = co.NewID(), crossguard.KindAgreement, co.Info.ID, 1
	a.CreatedAt, a.UpdatedAt = now, now
	stampAgreementSharing(a)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := co.storeProgrammeRecord(ctx, actor, &a.Header, "", a, true); err != nil {
		return nil, err
	}
	return co.viewAgreement(ctx, a)
}

// UpdateAgreement replaces this node's agreement id, last seen at
// ifVersion. Only the agreement's origin may change it.
func (co *Cooperation) UpdateAgreement(ctx context.Context, actor, id string, ifVersion int64, a *crossguard.Agreement) (*AgreementView, error) {
	if a.ID != "" && a.ID != id {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid agreement",
			Fields: []crossguard.FieldError{{Field: "id", Message: fmt.Sprintf("%q does not match the agreement being updated", a.ID)}}}
	}
	old, err := co.agreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Origin != co.Info.ID {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "agreement %s belongs to %s: only its origin may change it; report progress on your commitments instead", id, old.Origin)
	}
	if old.Version != ifVersion {
		return nil, crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "agreement %s is at version %d, not %d: reload it and apply the change again", id, old.Version, ifVersion)
	}
	a.ID, a.Kind, a.Origin, a.CreatedAt = id, crossguard.KindAgreement, old.Origin, old.CreatedAt
	a.Version, a.UpdatedAt = ifVersion+1, co.Clock.Now().UTC()
	stampAgreementSharing(a)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := co.storeProgrammeRecord(ctx, actor, &a.Header, "", a, false); err != nil {
		return nil, err
	}
	return co.viewAgreement(ctx, a)
}

// storeProgrammeRecord writes record v with header h and target to the
// record store, as a new record or the next version of one.
func (co *Cooperation) storeProgrammeRecord(ctx context.Context, actor string, h *crossguard.Header, target string, v any, create bool) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", h.Kind, err)
	}
	r := &crossguard.Record{Header: *h, Target: target, Body: body}
	if create {
		err = co.store.CreateRecord(ctx, actor, r)
	} else {
		err = co.store.UpdateRecord(ctx, actor, r)
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", h.Kind, err)
	}
	return nil
}

// Agreement returns an agreement with its commitments' merged status.
// Reading another node's agreement or progress reports is audited.
func (co *Cooperation) Agreement(ctx context.Context, actor, id string) (*AgreementView, error) {
	a, err := co.agreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := co.auditProgrammeReads(ctx, actor, a.Header); err != nil {
		return nil, err
	}
	return co.viewAgreementAudited(ctx, actor, a)
}

// Agreements lists every agreement this node holds, own and received,
// newest signature first (ties by id), each with its merged statuses.
func (co *Cooperation) Agreements(ctx context.Context, actor string) ([]*AgreementView, error) {
	recs, err := co.store.RecordsOfKind(ctx, crossguard.KindAgreement)
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	out := make([]*AgreementView, 0, len(recs))
	for _, r := range recs {
		var a crossguard.Agreement
		if err := decodeProgrammeRecord(r, crossguard.KindAgreement, &a); err != nil {
			return nil, err
		}
		if err := co.auditProgrammeReads(ctx, actor, a.Header); err != nil {
			return nil, err
		}
		v, err := co.viewAgreementAudited(ctx, actor, &a)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y *AgreementView) int {
		if c := strings.Compare(y.SignedOn, x.SignedOn); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}

// viewAgreement merges the statuses of an agreement without auditing
// reads: for the agreement its writer has just stored.
func (co *Cooperation) viewAgreement(ctx context.Context, a *crossguard.Agreement) (*AgreementView, error) {
	return co.viewAgreementAudited(ctx, "", a)
}

// viewAgreementAudited merges the statuses of an agreement from the
// progress reports this node holds; if actor is not empty, reading other
// nodes' reports is audited.
func (co *Cooperation) viewAgreementAudited(ctx context.Context, actor string, a *crossguard.Agreement) (*AgreementView, error) {
	reports, err := co.progressReports(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if actor != "" {
		hs := make([]crossguard.Header, len(reports))
		for i, p := range reports {
			hs[i] = p.Header
		}
		if err := co.auditProgrammeReads(ctx, actor, hs...); err != nil {
			return nil, err
		}
	}
	today := co.Clock.Now().UTC().Format(time.DateOnly)
	v := &AgreementView{Agreement: a, Commitments: crossguard.MergeCommitmentStatus(a, reports, today), Today: today}
	for _, c := range v.Commitments {
		if c.Status == crossguard.StatusOverdue {
			v.Overdue++
		}
	}
	return v, nil
}

// progressReports returns the live progress reports on an agreement, from
// every node.
func (co *Cooperation) progressReports(ctx context.Context, agreementID string) ([]*crossguard.Progress, error) {
	recs, err := co.store.RecordsAbout(ctx, crossguard.KindProgress, agreementID)
	if err != nil {
		return nil, fmt.Errorf("list progress on %s: %w", agreementID, err)
	}
	out := make([]*crossguard.Progress, 0, len(recs))
	for _, r := range recs {
		var p crossguard.Progress
		if err := decodeProgrammeRecord(r, crossguard.KindProgress, &p); err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, nil
}

// ReportProgress records this node's report on a commitment of an
// agreement it holds. Only a node of the commitment's owner agency may
// report on it; the report goes to the agreement's parties, under the
// agreement's marking unless it names its own.
func (co *Cooperation) ReportProgress(ctx context.Context, actor, agreementID string, p *crossguard.Progress) (*crossguard.Progress, error) {
	a, err := co.agreement(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	c := a.Commitment(p.Commitment)
	switch {
	case c == nil:
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid progress report",
			Fields: []crossguard.FieldError{{Field: "commitment", Message: fmt.Sprintf("%q is not a commitment of agreement %s", p.Commitment, a.ID)}}}
	case c.Owner != co.Info.Agency:
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "commitment %s of agreement %s is owned by %s: only its owner reports progress on it", c.ID, a.ID, c.Owner)
	}
	now := co.Clock.Now().UTC()
	p.ID, p.Kind, p.Origin, p.Version = co.NewID(), crossguard.KindProgress, co.Info.ID, 1
	p.CreatedAt, p.UpdatedAt, p.ReportedAt = now, now, now
	p.Agreement, p.Distribution, p.Recipients = a.ID, crossguard.DistNetwork, slices.Clone(a.Parties)
	if p.Marking == (crossguard.Marking{}) {
		p.Marking = a.Marking
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := co.storeProgrammeRecord(ctx, actor, &p.Header, a.ID, p, true); err != nil {
		return nil, err
	}
	return p, nil
}

// auditProgrammeReads appends a read entry for each record of another
// origin, as reads of other nodes' seizures are.
func (co *Cooperation) auditProgrammeReads(ctx context.Context, actor string, hs ...crossguard.Header) error {
	for _, h := range hs {
		if h.Origin == co.Info.ID {
			continue
		}
		e := &crossguard.AuditEntry{At: co.Clock.Now(), Actor: actor, Action: crossguard.ActionRecordRead,
			RecordKind: h.Kind, RecordID: h.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("origin", h.Origin)}
		if err := co.store.AppendAudit(ctx, e); err != nil {
			return fmt.Errorf("audit read of %s %s: %w", h.Kind, h.ID, err)
		}
	}
	return nil
}
