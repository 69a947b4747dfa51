package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
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
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(wrapExec("store state"), `INSERT INTO profile_states (id, state, at) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at`, id, state, at)
		w.recordAudit(at, actor, crossguard.ActionProfileState, crossguard.KindProfile, id, crossguard.AuditDetail("state", state))
		return nil
	})
	if err != nil {
		return fmt.Errorf("set state of profile %s: %w", id, err)
	}
	return nil
}

// ProfileStates returns the states set so far, by profile id (an empty
// map if none).
func (s *Store) ProfileStates(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, state FROM profile_states`)
	if err != nil {
		return nil, fmt.Errorf("profile states: %w", err)
	}
	out := map[string]string{}
	var id, state string
	_, err = pgx.ForEachRow(rows, []any{&id, &state}, func() error {
		out[id] = state
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("profile states: %w", err)
	}
	return out, nil
}
