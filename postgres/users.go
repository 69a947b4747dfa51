package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

// kindUser is the record kind of audit entries about users.
const kindUser = "user"

// CreateUser adds a user with one token; ECONFLICT if the name is taken.
func (s *Store) CreateUser(ctx context.Context, actor string, u *crossguard.User, tokenHash string) error {
	err := s.write(ctx, func(w *writeTx) error {
		tag, err := w.tx.Exec(ctx, `INSERT INTO users (name, role, created_at, language) VALUES ($1, $2, $3, nullif($4, ''))
			ON CONFLICT (name) DO NOTHING`, u.Name, u.Role, u.CreatedAt, u.Language)
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s already exists", u.Name)
		}
		w.queue(tokenConflict, `INSERT INTO tokens (hash, user_name, created_at) VALUES ($1, $2, $3)`,
			tokenHash, u.Name, u.CreatedAt)
		w.recordAudit(u.CreatedAt, actor, crossguard.ActionUserAdd, kindUser, u.Name, crossguard.AuditDetail("role", u.Role))
		return nil
	})
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Name, err)
	}
	return nil
}

// tokenConflict reads the result of a token insert: a taken hash (a token
// issued twice, which 256 random bits make impossible in practice) is a
// conflict.
func tokenConflict(br pgx.BatchResults) error {
	_, err := br.Exec()
	if isUniqueViolation(err) {
		return crossguard.Errorf(crossguard.ECONFLICT, "this token is already in use")
	}
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// AddToken gives an existing, unrevoked user another token.
func (s *Store) AddToken(ctx context.Context, actor, name, tokenHash string, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		var revoked *time.Time
		err := w.tx.QueryRow(ctx, `SELECT revoked_at FROM users WHERE name = $1`, name).Scan(&revoked)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		case err != nil:
			return fmt.Errorf("read user: %w", err)
		case revoked != nil:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", name)
		}
		w.queue(tokenConflict, `INSERT INTO tokens (hash, user_name, created_at) VALUES ($1, $2, $3)`, tokenHash, name, at)
		w.recordAudit(at, actor, crossguard.ActionUserToken, kindUser, name, "")
		return nil
	})
	if err != nil {
		return fmt.Errorf("add token for %s: %w", name, err)
	}
	return nil
}

// UserByToken returns the unrevoked user holding the token with this hash,
// or EUNAUTHORIZED.
func (s *Store) UserByToken(ctx context.Context, tokenHash string) (*crossguard.User, error) {
	var u crossguard.User
	err := s.pool.QueryRow(ctx, `SELECT u.name, u.role, u.created_at, u.revoked_at, coalesce(u.language, '')
		FROM tokens t JOIN users u ON u.name = t.user_name
		WHERE t.hash = $1 AND t.revoked_at IS NULL AND u.revoked_at IS NULL`, tokenHash).
		Scan(&u.Name, &u.Role, &u.CreatedAt, &u.RevokedAt, &u.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "missing or invalid API token")
	}
	if err != nil {
		return nil, fmt.Errorf("user by token: %w", err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// Users lists all users, revoked ones included, by name.
func (s *Store) Users(ctx context.Context) ([]*crossguard.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, role, created_at, revoked_at, coalesce(language, '') FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	users := []*crossguard.User{}
	var u crossguard.User
	_, err = pgx.ForEachRow(rows, []any{&u.Name, &u.Role, &u.CreatedAt, &u.RevokedAt, &u.Language}, func() error {
		c := u
		c.CreatedAt, c.RevokedAt = c.CreatedAt.UTC(), utcPtr(c.RevokedAt)
		users = append(users, &c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return users, nil
}

// RevokeUser revokes a user and all of its tokens; ENOTFOUND if unknown. A
// user revoked before keeps its first revocation time.
func (s *Store) RevokeUser(ctx context.Context, actor, name string, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		tag, err := w.tx.Exec(ctx, `UPDATE users SET revoked_at = coalesce(revoked_at, $2) WHERE name = $1`, name, at)
		if err != nil {
			return fmt.Errorf("revoke user: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		}
		w.queue(wrapExec("revoke tokens"), `UPDATE tokens SET revoked_at = $2 WHERE user_name = $1 AND revoked_at IS NULL`, name, at)
		w.recordAudit(at, actor, crossguard.ActionUserRevoke, kindUser, name, "")
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke user %s: %w", name, err)
	}
	return nil
}
