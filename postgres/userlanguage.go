package postgres

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/storekit"
)

var _ crossguard.UserLanguageStore = (*Store)(nil)

// SetUserLanguage sets the interface language of user name, or clears it
// with "", audited: EINVALID for an unknown language, ENOTFOUND for an
// unknown user, ECONFLICT for a revoked one.
func (s *Store) SetUserLanguage(ctx context.Context, actor, name, lang string, at time.Time) error {
	if err := crossguard.CheckUserLanguage(lang); err != nil {
		return err
	}
	err := s.write(ctx, func(w *writeTx) error {
		found, revoked, err := liveUser(ctx, w, name)
		switch {
		case err != nil:
			return err
		case !found:
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		case revoked:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", name)
		}
		if _, err := w.tx.Exec(ctx, `UPDATE users SET language = nullif($2, '') WHERE name = $1`, name, lang); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		w.audit(storekit.UserLanguageAudit(actor, name, lang, at))
		return nil
	})
	if err != nil {
		return fmt.Errorf("set language of %s: %w", name, err)
	}
	return nil
}
