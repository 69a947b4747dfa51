package node

import (
	"context"
	"encoding/json"
	"fmt"

	"crossguard"
)

// Annotate records this node's annotation on a record it holds, its own or
// another node's. The annotation is a record of its own, owned by this
// node, so the annotated record keeps its single writer.
func (sh *Sharing) Annotate(ctx context.Context, actor, targetID string, a *crossguard.Annotation) (*crossguard.Annotation, error) {
	target, err := sh.heldRecord(ctx, targetID)
	if err != nil {
		return nil, err
	}
	a.Target = target
	if err := a.Validate(); err != nil {
		return nil, err
	}
	now := sh.Clock.Now().UTC()
	a.ID, a.Kind, a.Origin, a.Version = sh.NewID(), crossguard.KindAnnotation, sh.Info.ID, 1
	a.CreatedAt, a.UpdatedAt = now, now
	body, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode annotation: %w", err)
	}
	r := &crossguard.Record{Header: a.Header, Target: target.ID, Body: body}
	if err := sh.store.CreateRecord(ctx, actor, r); err != nil {
		return nil, fmt.Errorf("create annotation: %w", err)
	}
	return a, nil
}

// heldRecord returns a reference to a live record this node holds.
func (sh *Sharing) heldRecord(ctx context.Context, id string) (crossguard.RecordRef, error) {
	s, err := sh.store.Seizure(ctx, id)
	if err == nil {
		return crossguard.RecordRef{ID: s.ID, Kind: s.Kind, Origin: s.Origin}, nil
	}
	if crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		return crossguard.RecordRef{}, err
	}
	r, err := sh.store.Record(ctx, id)
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
			return crossguard.RecordRef{}, crossguard.Errorf(crossguard.ENOTFOUND, "no record %s on this node to annotate", id)
		}
		return crossguard.RecordRef{}, err
	}
	return crossguard.RecordRef{ID: r.ID, Kind: r.Kind, Origin: r.Origin}, nil
}

// Annotations lists the annotations of a record this node holds, from
// every node, oldest first. Reading annotations of other origins is
// audited like any read of another node's record.
func (sh *Sharing) Annotations(ctx context.Context, actor, targetID string) ([]*crossguard.Annotation, error) {
	if _, err := sh.heldRecord(ctx, targetID); err != nil {
		return nil, err
	}
	recs, err := sh.store.RecordsAbout(ctx, crossguard.KindAnnotation, targetID)
	if err != nil {
		return nil, fmt.Errorf("list annotations of %s: %w", targetID, err)
	}
	out := make([]*crossguard.Annotation, 0, len(recs))
	for _, r := range recs {
		var a crossguard.Annotation
		if err := json.Unmarshal(r.Body, &a); err != nil {
			return nil, fmt.Errorf("decode annotation %s: %w", r.ID, err)
		}
		if a.Origin != sh.Info.ID {
			e := &crossguard.AuditEntry{At: sh.Clock.Now(), Actor: actor, Action: crossguard.ActionRecordRead,
				RecordKind: crossguard.KindAnnotation, RecordID: a.ID, Outcome: crossguard.OutcomeOK,
				Detail: crossguard.AuditDetail("origin", a.Origin)}
			if err := sh.store.AppendAudit(ctx, e); err != nil {
				return nil, fmt.Errorf("audit read of %s: %w", a.ID, err)
			}
		}
		out = append(out, &a)
	}
	return out, nil
}
