package storekit

import (
	"time"

	"crossguard"
)

// ProfileStateAudit is the audit entry of the local state of profile id
// set to state by actor at at.
func ProfileStateAudit(actor, id, state string, at time.Time) *crossguard.AuditEntry {
	return &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionProfileState,
		RecordKind: crossguard.KindProfile, RecordID: id, Outcome: crossguard.OutcomeOK,
		Detail: crossguard.AuditDetail("state", state)}
}

// ScanProfileStates reads rows of the columns id and state and returns
// the states by profile id (an empty map if none).
func ScanProfileStates(rows Rows) (map[string]string, error) {
	out := map[string]string{}
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, err
		}
		out[id] = state
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
