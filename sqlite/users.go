package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"crossguard"
)

// CreateUser adds a user with one token; ECONFLICT if the name is taken.
func (s *Store) CreateUser(ctx context.Context, actor string, u *crossguard.User, tokenHash string) error {
	return s.write(ctx, "create user", func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, created_at, revoked_at, language) VALUES (?, ?, ?, ?, nullif(?, ''))`,
			u.Name, u.Role, formatTime(u.CreatedAt), nullTime(u.RevokedAt), u.Language)
		if isUnique(err, "users.name") {
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s already exists", u.Name)
		} else if err != nil {
			return fmt.Errorf("create user %s: %w", u.Name, err)
		}
		if err := addToken(ctx, tx, u.Name, tokenHash, u.CreatedAt); err != nil {
			return err
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: u.CreatedAt, Actor: actor, Action: crossguard.ActionUserAdd,
			RecordKind: "user", RecordID: u.Name, Outcome: crossguard.OutcomeOK, Detail: crossguard.AuditDetail("role", u.Role)})
	})
}

// addToken stores a token hash of user name.
func addToken(ctx context.Context, tx *writeTx, name, tokenHash string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tokens (hash, user_name, created_at) VALUES (?, ?, ?)`, tokenHash, name, formatTime(at))
	if isUnique(err, "tokens.hash") {
		return crossguard.Errorf(crossguard.ECONFLICT, "this token is already in use")
	} else if err != nil {
		return fmt.Errorf("add token of %s: %w", name, err)
	}
	return nil
}

// AddToken gives an existing, unrevoked user another token: ENOTFOUND for
// an unknown user, ECONFLICT for a revoked one.
func (s *Store) AddToken(ctx context.Context, actor, name, tokenHash string, at time.Time) error {
	return s.write(ctx, "add token", func(tx *writeTx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM users WHERE name = ?`, name).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		case err != nil:
			return fmt.Errorf("add token of %s: %w", name, err)
		case revoked.Valid:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", name)
		}
		if err := addToken(ctx, tx, name, tokenHash, at); err != nil {
			return err
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionUserToken,
			RecordKind: "user", RecordID: name, Outcome: crossguard.OutcomeOK})
	})
}

// UserByToken returns the unrevoked user holding the unrevoked token with
// this hash, or EUNAUTHORIZED.
func (s *Store) UserByToken(ctx context.Context, tokenHash string) (*crossguard.User, error) {
	var u crossguard.User
	var created string
	err := s.r.QueryRowContext(ctx, `SELECT u.name, u.role, u.created_at, coalesce(u.language, '') FROM tokens t JOIN users u ON u.name = t.user_name
		WHERE t.hash = ? AND t.revoked_at IS NULL AND u.revoked_at IS NULL`, tokenHash).Scan(&u.Name, &u.Role, &created, &u.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "missing or invalid API token")
	} else if err != nil {
		return nil, fmt.Errorf("find user by token: %w", err)
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, fmt.Errorf("find user by token: %w", err)
	}
	return &u, nil
}

// Users lists all users, revoked ones included, by name.
func (s *Store) Users(ctx context.Context) ([]*crossguard.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, role, created_at, revoked_at, coalesce(language, '') FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	users := []*crossguard.User{}
	for rows.Next() {
		var u crossguard.User
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&u.Name, &u.Role, &created, &revoked, &u.Language); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		if u.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		if u.RevokedAt, err = parseNullTime(revoked); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, &u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// RevokeUser revokes a user and all of its tokens; ENOTFOUND if unknown.
// Revoking a revoked user keeps the first revocation time.
func (s *Store) RevokeUser(ctx context.Context, actor, name string, at time.Time) error {
	return s.write(ctx, "revoke user", func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?`, formatTime(at), name)
		if err != nil {
			return fmt.Errorf("revoke user %s: %w", name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("revoke user %s: %w", name, err)
		} else if n == 0 {
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL`, formatTime(at), name); err != nil {
			return fmt.Errorf("revoke tokens of %s: %w", name, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionUserRevoke,
			RecordKind: "user", RecordID: name, Outcome: crossguard.OutcomeOK})
	})
}
