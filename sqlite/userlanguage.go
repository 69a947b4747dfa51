package sqlite

import (
	"context"
	"database/sql"
	"errors"
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
	return s.write(ctx, "set user language", func(tx *writeTx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM users WHERE name = ?`, name).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		case err != nil:
			return fmt.Errorf("set language of %s: %w", name, err)
		case revoked.Valid:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET language = nullif(?, '') WHERE name = ?`, lang, name); err != nil {
			return fmt.Errorf("set language of %s: %w", name, err)
		}
		return tx.audit(ctx, storekit.UserLanguageAudit(actor, name, lang, at))
	})
}
