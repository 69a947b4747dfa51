package apply

import (
	"bytes"
	"strconv"

	"crossguard"
)

// Quarantine decides the quarantine of the received version q names (see
// crossguard.QuarantineStore): the copy held of q.ID, a live one or a
// tombstone, loses every source and is withdrawn, and the version is kept
// in the quarantine (Batch.Quarantined) with the signed record as held,
// signed (nil if the row keeps none), audited as ActionFedQuarantine. It
// fails with ENOTFOUND, deciding nothing, if no received copy of q.ID is
// held, and with ECONFLICT if the copy held is not exactly the version q
// names, with its signed bytes (it was withdrawn, or a newer version came
// since it was read). h is updated to the state the batch leaves.
func Quarantine(h *Held, q *crossguard.Quarantined, signed *crossguard.SignedRecord) (*Batch, error) {
	row := h.Rows[q.ID]
	if row == nil || row.Via == "" {
		return nil, crossguard.Errorf(crossguard.ENOTFOUND, "no received copy of %s is held here", q.ID)
	}
	if row.Withdrawn || row.Version != q.Version || row.Deleted != q.Deleted || signed == nil ||
		!bytes.Equal(signed.Record, q.Signed.Record) {
		return nil, crossguard.Errorf(crossguard.ECONFLICT, "%s %s is no longer held at version %d as it was read: rescan again", row.Kind, q.ID, q.Version)
	}
	kept := &crossguard.Quarantined{HeldVersion: crossguard.HeldVersion{Kind: row.Kind, ID: q.ID, Origin: row.Origin,
		Version: row.Version, Deleted: row.Deleted, Via: row.Via, Signed: *signed}, Reason: q.Reason, Actor: q.Actor, At: q.At}
	d := newDecider(h)
	d.dropSources(q.ID)
	d.remove(q.ID, row, Removal{Actor: q.Actor, Action: crossguard.ActionFedQuarantine, At: q.At, Reason: crossguard.AuditDetail(
		"origin", row.Origin, "version", strconv.FormatInt(row.Version, 10), "via", row.Via, "reason", q.Reason)})
	b := d.batch()
	b.Quarantined = []*crossguard.Quarantined{kept}
	return b, nil
}
