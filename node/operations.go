package node

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"crossguard"
)

// CreateOperation validates a new joint operation of this node, stamps
// and stores it. This node's agency is added to the participants if the
// caller left it out; the operation goes to the participants and nobody
// else (distribution network, the participants as named recipients).
func (co *Cooperation) CreateOperation(ctx context.Context, actor string, op *crossguard.Operation) (*crossguard.Operation, error) {
	if !slices.Contains(op.Participants, co.Info.Agency) {
		op.Participants = append(slices.Clip(op.Participants), co.Info.Agency)
	}
	now := co.Clock.Now().UTC()
	op.ID, op.Origin, op.Version = co.NewID(), co.Info.ID, 1
	op.CreatedAt, op.UpdatedAt = now, now
	op.Normalize()
	if err := op.Validate(); err != nil {
		return nil, err
	}
	if err := co.createOpRecord(ctx, actor, &op.Header, "", op); err != nil {
		return nil, err
	}
	return op, nil
}

// Operations lists the joint operations this node holds, its own and
// those received, oldest first. Listing operations of other origins is
// audited as a read of each.
func (co *Cooperation) Operations(ctx context.Context, actor string) ([]*crossguard.Operation, error) {
	recs, err := co.store.RecordsOfKind(ctx, crossguard.KindOperation)
	if err != nil {
		return nil, fmt.Errorf("list operations: %w", err)
	}
	out := make([]*crossguard.Operation, 0, len(recs))
	for _, r := range recs {
		var op crossguard.Operation
		if err := decodeOpRecord(r, crossguard.KindOperation, &op); err != nil {
			return nil, err
		}
		if err := co.auditOpRead(ctx, actor, &op.Header); err != nil {
			return nil, err
		}
		out = append(out, &op)
	}
	return out, nil
}

// Operation returns a joint operation this node holds, or ENOTFOUND.
// Reading another node's operation is audited.
func (co *Cooperation) Operation(ctx context.Context, actor, id string) (*crossguard.Operation, error) {
	op, err := co.operation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := co.auditOpRead(ctx, actor, &op.Header); err != nil {
		return nil, err
	}
	return op, nil
}

// operation returns a held operation without auditing the read.
func (co *Cooperation) operation(ctx context.Context, id string) (*crossguard.Operation, error) {
	var op crossguard.Operation
	if err := heldOpRecord(ctx, co.store, id, crossguard.KindOperation, &op); err != nil {
		return nil, err
	}
	return &op, nil
}

// participantOperation returns a held operation in which this node's
// agency takes part: only participants write warnings, feedback and
// messages in an operation.
func (co *Cooperation) participantOperation(ctx context.Context, id string) (*crossguard.Operation, error) {
	op, err := co.operation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(op.Participants, co.Info.Agency) {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "%s is not a participant of operation %s (%s)", co.Info.Agency, op.Name, op.ID)
	}
	return op, nil
}

// CreateMessage records a coordination message of this node in an
// operation it takes part in; the message goes to every participant.
// Without a marking it takes the operation's.
func (co *Cooperation) CreateMessage(ctx context.Context, actor, opID string, m *crossguard.Message) (*crossguard.Message, error) {
	op, err := co.participantOperation(ctx, opID)
	if err != nil {
		return nil, err
	}
	now := co.Clock.Now().UTC()
	m.ID, m.Origin, m.Version = co.NewID(), co.Info.ID, 1
	m.CreatedAt, m.UpdatedAt = now, now
	m.Operation, m.Recipients = op.ID, slices.Clone(op.Participants)
	m.Marking = markingOr(m.Marking, op.Marking)
	m.Normalize()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if err := co.createOpRecord(ctx, actor, &m.Header, op.ID, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Messages lists the messages of an operation this node holds, from
// every participant, oldest first; reading other nodes' messages is
// audited.
func (co *Cooperation) Messages(ctx context.Context, actor, opID string) ([]*crossguard.Message, error) {
	if _, err := co.operation(ctx, opID); err != nil {
		return nil, err
	}
	return opRecordsAbout(ctx, co, actor, crossguard.KindMessage, opID, func(m *crossguard.Message) *crossguard.Header { return &m.Header })
}

// markingOr returns m, or def when m is not set at all: a warning,
// feedback or message without a marking takes that of what it answers.
func markingOr(m, def crossguard.Marking) crossguard.Marking {
	if m == (crossguard.Marking{}) {
		return def
	}
	return m
}

// createOpRecord stores v, a new own record with header h, in the record
// store with its target.
func (co *Cooperation) createOpRecord(ctx context.Context, actor string, h *crossguard.Header, target string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", h.Kind, err)
	}
	if err := co.store.CreateRecord(ctx, actor, &crossguard.Record{Header: *h, Target: target, Body: body}); err != nil {
		return fmt.Errorf("create %s: %w", h.Kind, err)
	}
	return nil
}

// recordReader reads the live records a node holds.
type recordReader interface {
	Record(ctx context.Context, id string) (*crossguard.Record, error)
	RecordsOfKind(ctx context.Context, kind string) ([]*crossguard.Record, error)
}

// heldOpRecord decodes the live record id of records into v, or returns
// ENOTFOUND if this node holds no live record of that kind with that id.
func heldOpRecord(ctx context.Context, records recordReader, id, kind string, v any) error {
	r, err := records.Record(ctx, id)
	if crossguard.ErrorCode(err) == crossguard.ENOTFOUND || (err == nil && r.Kind != kind) {
		return crossguard.Errorf(crossguard.ENOTFOUND, "no %s %s on this node", kind, id)
	} else if err != nil {
		return fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	return decodeOpRecord(r, kind, v)
}

// decodeOpRecord decodes a record of the record store into v.
func decodeOpRecord(r *crossguard.Record, kind string, v any) error {
	if r.Kind != kind {
		return crossguard.Errorf(crossguard.ENOTFOUND, "record %s is a %s, not a %s", r.ID, r.Kind, kind)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %s %s: %w", kind, r.ID, err)
	}
	return nil
}

// opRecordsAbout lists and decodes the live records of a kind that refer
// to target, auditing the reads of other origins' records; header
// returns a decoded record's header.
func opRecordsAbout[T any](ctx context.Context, co *Cooperation, actor, kind, target string, header func(*T) *crossguard.Header) ([]*T, error) {
	recs, err := co.store.RecordsAbout(ctx, kind, target)
	if err != nil {
		return nil, fmt.Errorf("list %s records of %s: %w", kind, target, err)
	}
	out := make([]*T, 0, len(recs))
	for _, r := range recs {
		v := new(T)
		if err := decodeOpRecord(r, kind, v); err != nil {
			return nil, err
		}
		if err := co.auditOpRead(ctx, actor, header(v)); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// auditOpRead appends a read entry when h is another node's record.
func (co *Cooperation) auditOpRead(ctx context.Context, actor string, h *crossguard.Header) error {
	if h.Origin == co.Info.ID {
		return nil
	}
	e := &crossguard.AuditEntry{At: co.Clock.Now(), Actor: actor, Action: crossguard.ActionRecordRead,
		RecordKind: h.Kind, RecordID: h.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("origin", h.Origin)}
	if err := co.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("audit read of %s: %w", h.ID, err)
	}
	return nil
}
