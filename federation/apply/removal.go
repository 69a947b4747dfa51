package apply

import (
	"fmt"
	"time"
)

// Remove decides the node's own removal of the live received copies among
// ids (retention): each loses every source and is withdrawn, audited as
// rm says. An id not held, the node's own record and a copy already
// deleted or withdrawn are left as they are. h is updated to the state the
// batch leaves.
func Remove(h *Held, rm Removal, ids []string) *Batch {
	d := newDecider(h)
	for _, id := range ids {
		row := h.Rows[id]
		if row == nil || row.Deleted || row.Via == "" || row.Origin == h.Self {
			continue
		}
		d.dropSources(id)
		d.remove(id, row, rm)
	}
	return d.batch()
}

// PurgeReason is why a copy goes when peer, its only source, is removed.
func PurgeReason(peer string) string {
	return fmt.Sprintf("%s, the only peer that supplied this copy, was removed", peer)
}

// Purge decides what dropping peer as a source of the records ids does (a
// removed peer's purge): a live received copy that peer was the current
// source of switches to another source, or without one is withdrawn,
// audited by actor under action at the time at, for PurgeReason. The
// node's own records lose only the stale source. h is updated to the state
// the batch leaves.
func Purge(h *Held, peer string, ids []string, actor, action string, at time.Time) *Batch {
	d := newDecider(h)
	rm := Removal{Actor: actor, Action: action, Reason: PurgeReason(peer), At: at}
	for _, id := range ids {
		d.dropSource(id, peer)
		if row := h.Rows[id]; row != nil && !row.Deleted && row.Via != "" {
			d.resupport(id, row, rm)
		}
	}
	return d.batch()
}
