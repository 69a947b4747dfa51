package storekit

import (
	"time"

	"crossguard"
)

// ScanRetiredKeys reads rows of the columns node_id, public_key,
// retired_at, grace_until, handover and successor and returns the keys by
// node, in the order of the rows.
func ScanRetiredKeys(rows Rows) (map[string][]crossguard.RetiredKey, error) {
	out := map[string][]crossguard.RetiredKey{}
	for rows.Next() {
		var k crossguard.RetiredKey
		var retired, grace Time
		if err := rows.Scan(&k.Node, &k.PublicKey, &retired, &grace, &k.Handover, &k.Successor); err != nil {
			return nil, err
		}
		k.RetiredAt, k.GraceUntil = retired.Time, grace.Time
		out[k.Node] = append(out[k.Node], k)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// KeyRotateAudit is the audit entry of this node's key handover k, made
// by actor.
func KeyRotateAudit(actor string, k *crossguard.KeyHandover) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: k.UpdatedAt, Actor: actor, Action: crossguard.ActionKeyRotate,
		RecordKind: k.Kind, RecordID: k.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("old_key", k.OldKey, "new_key", k.NewKey, "grace_until", k.GraceUntil.UTC().Format(time.RFC3339))}
}

// KeyHandoverAudit is the audit entry of a peer's key handover k,
// received from via and accepted at at.
func KeyHandoverAudit(k *crossguard.KeyHandover, via string, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: via, Action: crossguard.ActionKeyHandover,
		RecordKind: k.Kind, RecordID: k.ID, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("node", k.Origin, "old_key", k.OldKey, "new_key", k.NewKey,
			"handover_at", k.UpdatedAt.UTC().Format(time.RFC3339Nano), "grace_until", k.GraceUntil.UTC().Format(time.RFC3339))}
}
