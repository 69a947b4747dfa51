package storekit

import (
	"fmt"
	"strconv"
	"time"

	"crossguard"
)

// StoredRecord is the stored state of a live record of this node that
// UpdateRecord and DeleteRecord check before they change it.
type StoredRecord struct {
	ID, Kind, Origin string
	Version          int64
	Body             []byte
}

// ScanOwnRecord reads the stored state of record id from the columns
// kind, origin, version, deleted, via, body and the node's id ("" before
// the database belongs to a node), and any further destinations more. It
// returns ENOTFOUND if the record is deleted (or withdrawn), and
// EFORBIDDEN if it is a copy received from a peer, which only its origin
// may change (what says how, "update" or "delete"). A record is this
// node's own if it came via no peer and, once the database belongs to a
// node, its origin is that node. The store maps its driver's error of no
// row, which this returns wrapped, to RecordNotFound.
func ScanOwnRecord(scan Scan, id, what string, more ...any) (*StoredRecord, error) {
	r := &StoredRecord{ID: id}
	var deleted bool
	var via *string
	var self string
	if err := scan(append([]any{&r.Kind, &r.Origin, &r.Version, &deleted, &via, &r.Body, &self}, more...)...); err != nil {
		return nil, fmt.Errorf("read record %s: %w", id, err)
	}
	switch {
	case deleted:
		return nil, RecordNotFound(id)
	case via != nil || self != "" && r.Origin != self:
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN,
			"%s %s is a copy of a record of %s: only its origin can %s it", r.Kind, id, r.Origin, what)
	}
	return r, nil
}

// RecordNotFound is the ENOTFOUND error of an edit of record id, which is
// not stored live.
func RecordNotFound(id string) error {
	return crossguard.Errorf(crossguard.ENOTFOUND, "record %s not found", id)
}

// CheckUpdate refuses next as the next version of the record: EINVALID if
// it changes the kind or origin, EPRECONDITIONFAILED unless its version
// follows the stored one.
func (old *StoredRecord) CheckUpdate(next *crossguard.Record) error {
	switch {
	case old.Kind != next.Kind:
		return crossguard.Errorf(crossguard.EINVALID, "record %s is a %s, not a %s", next.ID, old.Kind, next.Kind)
	case old.Origin != next.Origin:
		return crossguard.Errorf(crossguard.EINVALID, "record %s belongs to %s, not %s", next.ID, old.Origin, next.Origin)
	case old.Version != next.Version-1:
		return crossguard.Errorf(crossguard.EPRECONDITIONFAILED, "%s %s is at version %d: version %d cannot follow it",
			next.Kind, next.ID, old.Version, next.Version)
	}
	return nil
}

// CheckDelete refuses the deletion of the record if ifVersion (0: any)
// is not its stored version, with EPRECONDITIONFAILED.
func (old *StoredRecord) CheckDelete(ifVersion int64) error {
	if ifVersion != 0 && old.Version != ifVersion {
		return crossguard.Errorf(crossguard.EPRECONDITIONFAILED,
			"%s %s is at version %d, not %d: reload it before deleting", old.Kind, old.ID, old.Version, ifVersion)
	}
	return nil
}

// RecordUpdateAudit is the audit entry of record r updated by actor, at
// its update time.
func RecordUpdateAudit(actor string, r *crossguard.Record) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: r.UpdatedAt, Actor: actor, Action: crossguard.ActionRecordUpdate,
		RecordKind: r.Kind, RecordID: r.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("version", strconv.FormatInt(r.Version, 10))}
}

// RecordDeleteAudit is the audit entry of record id of kind deleted by
// actor at at, leaving a tombstone at version.
func RecordDeleteAudit(actor, kind, id string, version int64, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionRecordDelete,
		RecordKind: kind, RecordID: id, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("version", strconv.FormatInt(version, 10))}
}
