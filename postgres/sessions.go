package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crossguard"

	"github.com/jackc/pgx/v5"
)

var _ crossguard.SessionStore = (*Store)(nil)

// liveUser reads whether user exists and is revoked, inside a write.
func liveUser(ctx context.Context, w *writeTx, user string) (found, revoked bool, err error) {
	var at *time.Time
	err = w.tx.QueryRow(ctx, `SELECT revoked_at FROM users WHERE name = $1`, user).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	} else if err != nil {
		return false, false, fmt.Errorf("read user: %w", err)
	}
	return true, at != nil, nil
}

// SetPassword sets the password hash of user and ends all of its sessions:
// ENOTFOUND for an unknown user, ECONFLICT for a revoked one.
func (s *Store) SetPassword(ctx context.Context, actor, user, hash string, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		found, revoked, err := liveUser(ctx, w, user)
		switch {
		case err != nil:
			return err
		case !found:
			return crossguard.Errorf(crossguard.ENOTFOUND, "user %s not found", user)
		case revoked:
			return crossguard.Errorf(crossguard.ECONFLICT, "user %s is revoked", user)
		}
		if _, err := w.tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE name = $1`, user, hash); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		tag, err := w.tx.Exec(ctx, `DELETE FROM sessions WHERE user_name = $1`, user)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		w.recordAudit(at, actor, crossguard.ActionUserPassword, kindUser, user,
			crossguard.AuditDetail("sessions_ended", fmt.Sprint(tag.RowsAffected())))
		return nil
	})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", user, err)
	}
	return nil
}

// PasswordHash returns the password hash of an unrevoked user with a
// password, and the user; EUNAUTHORIZED otherwise.
func (s *Store) PasswordHash(ctx context.Context, user string) (string, *crossguard.User, error) {
	var u crossguard.User
	var hash *string
	err := s.pool.QueryRow(ctx, `SELECT name, role, created_at, revoked_at, password_hash FROM users WHERE name = $1`, user).
		Scan(&u.Name, &u.Role, &u.CreatedAt, &u.RevokedAt, &hash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s not found", user)
	case err != nil:
		return "", nil, fmt.Errorf("password hash of %s: %w", user, err)
	case u.RevokedAt != nil:
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s is revoked", user)
	case hash == nil || *hash == "":
		return "", nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s has no password", user)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return *hash, &u, nil
}

// CreateSession stores a new session of an unrevoked user, audited, and
// forgets the sessions that expired before it.
func (s *Store) CreateSession(ctx context.Context, sess *crossguard.Session) error {
	err := s.write(ctx, func(w *writeTx) error {
		found, revoked, err := liveUser(ctx, w, sess.User)
		switch {
		case err != nil:
			return err
		case !found:
			return crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s not found", sess.User)
		case revoked:
			return crossguard.Errorf(crossguard.EUNAUTHORIZED, "user %s is revoked", sess.User)
		}
		if _, err := w.tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, sess.CreatedAt); err != nil {
			return fmt.Errorf("forget expired sessions: %w", err)
		}
		tag, err := w.tx.Exec(ctx, `INSERT INTO sessions (id, token_hash, user_name, created_at, last_seen, expires_at, csrf, addr)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`, sess.ID, sess.TokenHash, sess.User,
			sess.CreatedAt, sess.LastSeen, sess.ExpiresAt, sess.CSRF, sess.Addr)
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return crossguard.Errorf(crossguard.ECONFLICT, "session %s or its token already exists", sess.ID)
		}
		w.audit(&crossguard.AuditEntry{At: sess.CreatedAt, Actor: sess.User, Action: crossguard.ActionSessionSignIn,
			RecordKind: crossguard.AuditKindSession, RecordID: sess.ID, Outcome: crossguard.OutcomeOK,
			Detail: crossguard.AuditDetail("addr", sess.Addr)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("create session of %s: %w", sess.User, err)
	}
	return nil
}

// SessionByToken returns the live session with this token hash and its
// unrevoked user, or EUNAUTHORIZED. It forgets an expired session it
// finds, and touches LastSeen when it is SessionTouchEvery behind now.
func (s *Store) SessionByToken(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*crossguard.Session, *crossguard.User, error) {
	var sess crossguard.Session
	var u crossguard.User
	err := s.pool.QueryRow(ctx, `SELECT s.id, s.token_hash, s.user_name, s.created_at, s.last_seen, s.expires_at, s.csrf, s.addr,
			u.role, u.created_at, u.revoked_at, coalesce(u.language, '')
		FROM sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = $1`, tokenHash).
		Scan(&sess.ID, &sess.TokenHash, &sess.User, &sess.CreatedAt, &sess.LastSeen, &sess.ExpiresAt, &sess.CSRF, &sess.Addr,
			&u.Role, &u.CreatedAt, &u.RevokedAt, &u.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "no such session")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	u.Name = sess.User
	sess.CreatedAt, sess.LastSeen, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastSeen.UTC(), sess.ExpiresAt.UTC()
	u.CreatedAt, u.RevokedAt = u.CreatedAt.UTC(), utcPtr(u.RevokedAt)
	if reason := crossguard.SessionDead(&sess, u.RevokedAt != nil, now, idle); reason != "" {
		if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID); err != nil {
			return nil, nil, fmt.Errorf("forget session: %w", err)
		}
		return nil, nil, crossguard.Errorf(crossguard.EUNAUTHORIZED, "session %s", reason)
	}
	if now.Sub(sess.LastSeen) >= crossguard.SessionTouchEvery {
		t := dbTime(now)
		if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen = $2 WHERE id = $1 AND last_seen < $2`, sess.ID, t); err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
		sess.LastSeen = t
	}
	return &sess, &u, nil
}

// DeleteSession ends the session with this id, audited; a session that
// does not exist is left alone.
func (s *Store) DeleteSession(ctx context.Context, actor, id string, at time.Time) error {
	err := s.write(ctx, func(w *writeTx) error {
		tag, err := w.tx.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if tag.RowsAffected() > 0 {
			w.recordAudit(at, actor, crossguard.ActionSessionSignOut, crossguard.AuditKindSession, id, "")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of user.
func (s *Store) DeleteUserSessions(ctx context.Context, user string) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE user_name = $1`, user)
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", user, err)
	}
	return tag.RowsAffected(), nil
}
