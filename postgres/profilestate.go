package postgres

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

// SetProfileState sets the local state of a profile (active, inactive or
// disabled, else EINVALID) at at and audits it. It does not change the
// profile record, which takes no change sequence number.
func (s *Store) SetProfileState(ctx context.Context, actor, id, state string, at time.Time) error {
	if err := crossguard.CheckProfileState(id, state); err != nil {
		return err
	}
	err := s.write(ctx, func(w *writeTx) error {
		w.queue(wrapExec("store state"), `INSERT INTO profile_states (id, state, at) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at`, id, state, at)
		w.audit(storekit.ProfileStateAudit(actor, id, state, at))
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
	return queryRows(ctx, s.pool, "profile states", storekit.ScanProfileStates, `SELECT id, state FROM profile_states`)
}
