package sqlite

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
	return s.write(ctx, "set profile state", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO profile_states (id, state, at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at`, id, state, formatTime(at))
		if err != nil {
			return fmt.Errorf("set state of profile %s: %w", id, err)
		}
		return tx.audit(ctx, storekit.ProfileStateAudit(actor, id, state, at))
	})
}

// ProfileStates returns the states set so far, by profile id (an empty
// map if none).
func (s *Store) ProfileStates(ctx context.Context) (map[string]string, error) {
	return queryRows(ctx, s.r, "profile states", storekit.ScanProfileStates, `SELECT id, state FROM profile_states`)
}
