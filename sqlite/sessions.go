package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"crossguard"
)

var _ crossguard.SessionStore = (*Store)(nil)

// SetPassword sets the password hash of user and ends all of its sessions:
// ENOTFOUND for an unknown user, ECONFLICT for a revoked one.
func (s *Store) SetPassword(ctx context.Context, actor, user, hash string, at time.Time) error {
	return s.write(ctx, "set password", func(tx *writeTx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM users WHERE name = ?`, user).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", user)
		case err != nil:
			return fmt.Errorf("set password of %s: %w", user, err)
		case revoked.Valid:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", user)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, hash, user); err != nil {
			return fmt.Errorf("set password of %s: %w", user, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, user)
		if err != nil {
			return fmt.Errorf("end sessions of %s: %w", user, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("end sessions of %s: %w", user, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionUserPassword,
			RecordKind: "user", RecordID: user, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("sessions_ended", fmt.Sprint(n))})
	})
}

// PasswordHash returns the password hash of an unrevoked user with a
// password, and the user; EUNAUTHORIZED otherwise.
func (s *Store) PasswordHash(ctx context.Context, user string) (string, *crossguard.User, error) {
	var u crossguard.User
	var created string
	var revoked, hash sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT name, role, created_at, revoked_at, password_hash FROM users WHERE name = ?`, user).
		Scan(&u.Name, &u.Role, &created, &revoked, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s not found", user)
	case err != nil:
		return "", nil, fmt.Errorf("password hash of %s: %w", user, err)
	case revoked.Valid:
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s is revoked", user)
	case !hash.Valid || hash.String == "":
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s has no password", user)
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return "", nil, fmt.Errorf("password hash of %s: %w", user, err)
	}
	return hash.String, &u, nil
}

// CreateSession stores a new session of an unrevoked user, audited, and
// forgets the sessions that expired before it.
func (s *Store) CreateSession(ctx context.Context, sess *crossguard.Session) error {
	return s.write(ctx, "create session", func(tx *writeTx) error {
		var revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM users WHERE name = ?`, sess.User).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s not found", sess.User)
		case err != nil:
			return fmt.Errorf("create session of %s: %w", sess.User, err)
		case revoked.Valid:
			return crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s is revoked", sess.User)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(sess.CreatedAt)); err != nil {
			return fmt.Errorf("forget expired sessions: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_name, created_at, last_seen, expires_at, csrf, addr)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sess.ID, sess.TokenHash, sess.User, formatTime(sess.CreatedAt),
			formatTime(sess.LastSeen), formatTime(sess.ExpiresAt), sess.CSRF, sess.Addr)
		if isUnique(err, "sessions.") {
			return crossguard.Errorf(crossguard.ECONFLICT, "session %s or its token already exists", sess.ID)
		} else if err != nil {
			return fmt.Errorf("create session of %s: %w", sess.User, err)
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: sess.CreatedAt, Actor: sess.User, Action: crossguard.ActionSessionSignIn,
			RecordKind: crossguard.AuditKindSession, RecordID: sess.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("addr", sess.Addr)})
	})
}

// SessionByToken returns the live session with this token hash and its
// unrevoked user, or EUNAUTHORIZED. It forgets an expired session it
// finds, and touches LastSeen when it is SessionTouchEvery behind now.
func (s *Store) SessionByToken(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*crossguard.Session, *crossguard.User, error) {
	var sess crossguard.Session
	var u crossguard.User
	var created, lastSeen, expires, userCreated string
	var revoked sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT s.id, s.token_hash, s.user_name, s.created_at, s.last_seen, s.expires_at, s.csrf, s.addr,
			u.role, u.created_at, u.revoked_at, coalesce(u.language, '')
		FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?`, tokenHash).
		Scan(&sess.ID, &sess.TokenHash, &sess.User, &created, &lastSeen, &expires, &sess.CSRF, &sess.Addr,
			&u.Role, &userCreated, &revoked, &u.Language)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "no such session")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	u.Name = sess.User
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&sess.CreatedAt, created}, {&sess.LastSeen, lastSeen}, {&sess.ExpiresAt, expires}, {&u.CreatedAt, userCreated}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, nil, fmt.Errorf("find session: %w", err)
		}
	}
	if reason := crossguard.SessionDead(&sess, revoked.Valid, now, idle); reason != "" {
		if _, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("forget session: %w", err)
		}
		return nil, nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "session %s", reason)
	}
	if now.Sub(sess.LastSeen) >= crossguard.SessionTouchEvery {
		if _, err := s.w.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id = ? AND last_seen < ?`,
			formatTime(now), sess.ID, formatTime(now)); err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
		sess.LastSeen = now.UTC()
	}
	return &sess, &u, nil
}

// DeleteSession ends the session with this id, audited; a session that
// does not exist is left alone.
func (s *Store) DeleteSession(ctx context.Context, actor, id string, at time.Time) error {
	return s.write(ctx, "delete session", func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete session: %w", err)
		} else if n == 0 {
			return nil
		}
		return tx.audit(ctx, &crossguard.AuditEntry{At: at, Actor: actor, Action: crossguard.ActionSessionSignOut,
			RecordKind: crossguard.AuditKindSession, RecordID: id, Outcome: crossguard.OutcomeOK})
	})
}

// DeleteUserSessions ends every session of user.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = ?`, user)
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", user, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", user, err)
	}
	return n, nil
}
