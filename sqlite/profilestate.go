package sqlite

import (
	"context"
	"fmt"
	"slices"
	"time"

	"crossguard"
)

// profileStates are the local states a profile can be set to.
var profileStates = []string{crossguard.ProfileActive, crossguard.ProfileInactive, crossguard.ProfileDisabled}

// SetProfileState sets the local state of a profile (active, inactive or
// disabled, else EINVALID) at at and audits it. It does not change the
// profile record, which takes no change sequence number.
func (s *Store) SetProfileState(ctx context.Context, actor, id, state string, at time.Time) error {
	if id == "" || !slices.Contains(profileStates, state) {
		return crossguard.Errorf(crossguard.EINVALID, "profile state %q of %q: a profile id and one of active, inactive or disabled are required", state, id)
	}
	return s.write(ctx, "set profile state", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO profile_states (id, state, at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at`, id, state, formatTime(at))
		if err != nil {
			return fmt.Errorf("set state of profile %s: %w", id, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionProfileState,
			RecordKind: crossguard.KindProfile, RecordID: id, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("state", state)})
	})
}

// ProfileStates returns the states set so far, by profile id (an empty
// map if none).
func (s *Store) ProfileStates(ctx context.Context) (map[string]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, state FROM profile_states`)
	if err != nil {
		return nil, fmt.Errorf("profile states: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, fmt.Errorf("profile states: %w", err)
		}
		out[id] = state
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("profile states: %w", err)
	}
	return out, nil
}
