package storekit

import (
	"time"

	"crossguard"
)

// ScanWatch reads a watch-list entry from the columns id,
// identifier_type, identifier_value, channel, reason, expires_at,
// created_at, source and removed_at.
func ScanWatch(scan Scan) (*crossguard.WatchEntry, error) {
	var w crossguard.WatchEntry
	var expires, created, removed Time
	if err := scan(&w.ID, &w.Identifier.Type, &w.Identifier.Value, &w.Channel, &w.Reason, &expires, &created, &w.Source, &removed); err != nil {
		return nil, err
	}
	w.ExpiresAt, w.CreatedAt, w.RemovedAt = expires.Time, created.Time, removed.Ptr()
	return &w, nil
}

// WatchAddAudit is the audit entry of watch-list entry w added by actor,
// at its creation time.
func WatchAddAudit(actor string, w *crossguard.WatchEntry) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: w.CreatedAt, Actor: actor, Action: crossguard.ActionWatchAdd,
		RecordKind: crossguard.AuditKindWatch, RecordID: w.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("identifier_type", w.Identifier.Type, "channel", w.Channel,
			"expires_at", w.ExpiresAt.UTC().Format(time.RFC3339), "source", w.Source)}
}

// WatchRemoveAudit is the audit entry of watch-list entry id removed by
// actor at at.
func WatchRemoveAudit(actor, id string, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionWatchRemove,
		RecordKind: crossguard.AuditKindWatch, RecordID: id, Outcome: crossguard.OutcomeOK}
}

// CheckWatch returns the EINVALID error of a watch-list entry to add
// without an id.
func CheckWatch(w *crossguard.WatchEntry) error {
	if w == nil || w.ID == "" {
		return crossguard.Errorf(crossguard.EINVALID, "a watch-list entry needs an id")
	}
	return nil
}
