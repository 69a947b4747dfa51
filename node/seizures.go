package node

import (
	"context"
	"fmt"

	"crossguard"
)

// PrepareSeizure validates s and stamps it as a new record of this node:
// a fresh id, this node as origin, version 1 and both timestamps now.
// Server-managed fields a client sent are overwritten.
func (sh *Sharing) PrepareSeizure(s *crossguard.Seizure) error {
	now := sh.Clock.Now().UTC()
	s.Normalize()
	if err := s.Validate(now); err != nil {
		return err
	}
	s.ID = sh.NewID()
	s.Origin = sh.Info.ID
	s.Version = 1
	s.CreatedAt, s.UpdatedAt = now, now
	return nil
}

// CreateSeizure validates, stamps and stores one new seizure.
func (sh *Sharing) CreateSeizure(ctx context.Context, actor string, s *crossguard.Seizure) (*crossguard.Seizure, error) {
	if err := sh.PrepareSeizure(s); err != nil {
		return nil, err
	}
	if err := sh.store.CreateSeizures(ctx, actor, []*crossguard.Seizure{s}, nil); err != nil {
		return nil, fmt.Errorf("create seizure: %w", err)
	}
	return s, nil
}

// Seizure returns a live seizure. Reading a record that another node
// originated is recorded in the audit log.
func (sh *Sharing) Seizure(ctx context.Context, actor, id string) (*crossguard.Seizure, error) {
	s, err := sh.store.Seizure(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := sh.auditForeignReads(ctx, actor, s); err != nil {
		return nil, err
	}
	return s, nil
}

// ListSeizures returns one page of seizures, auditing every record of
// another origin that the page shows.
func (sh *Sharing) ListSeizures(ctx context.Context, actor string, f crossguard.SeizureFilter) (*crossguard.SeizurePage, error) {
	page, err := sh.store.ListSeizures(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := sh.auditForeignReads(ctx, actor, page.Items...); err != nil {
		return nil, err
	}
	return page, nil
}

// UpdateSeizure replaces the seizure id, which the caller last saw at
// version ifVersion, with s. Only this node may change its own records.
func (sh *Sharing) UpdateSeizure(ctx context.Context, actor, id string, ifVersion int64, s *crossguard.Seizure) (*crossguard.Seizure, error) {
	if s.ID != "" && s.ID != id {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid seizure",
			Fields: []crossguard.FieldError{{Field: "id", Message: fmt.Sprintf("%q does not match the record being updated", s.ID)}}}
	}
	old, err := sh.store.Seizure(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Origin != sh.Info.ID {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "seizure %s belongs to %s: only its origin may change it; annotate it instead", id, old.Origin)
	}
	if old.Version != ifVersion {
		return nil, crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "seizure %s is at version %d, not %d: reload it and apply the change again", id, old.Version, ifVersion)
	}
	now := sh.Clock.Now().UTC()
	s.Normalize()
	if err := s.Validate(now); err != nil {
		return nil, err
	}
	s.ID, s.Origin, s.CreatedAt = id, old.Origin, old.CreatedAt
	s.Version, s.UpdatedAt = ifVersion+1, now
	if err := sh.store.UpdateSeizure(ctx, actor, s); err != nil {
		return nil, fmt.Errorf("update seizure: %w", err)
	}
	return s, nil
}

// DeleteSeizure deletes a seizure of this node, leaving a tombstone.
// ifVersion 0 deletes whatever version is stored.
func (sh *Sharing) DeleteSeizure(ctx context.Context, actor, id string, ifVersion int64) error {
	old, err := sh.store.Seizure(ctx, id)
	if err != nil {
		return err
	}
	if old.Origin != sh.Info.ID {
		return crossguard.Errorf(crossguard.EFORBIDDEN, "seizure %s belongs to %s: only its origin may delete it", id, old.Origin)
	}
	if err := sh.store.DeleteSeizure(ctx, actor, id, ifVersion, sh.Clock.Now().UTC()); err != nil {
		return fmt.Errorf("delete seizure: %w", err)
	}
	return nil
}

// auditForeignReads appends a read entry for each record of another origin.
func (sh *Sharing) auditForeignReads(ctx context.Context, actor string, items ...*crossguard.Seizure) error {
	for _, s := range items {
		if s.Origin == sh.Info.ID {
			continue
		}
		e := &crossguard.AuditEntry{At: sh.Clock.Now(), Actor: actor, Action: crossguard.ActionSeizureRead,
			RecordKind: crossguard.KindSeizure, RecordID: s.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("origin", s.Origin)}
		if err := sh.store.AppendAudit(ctx, e); err != nil {
			return fmt.Errorf("audit read of %s: %w", s.ID, err)
		}
	}
	return nil
}
