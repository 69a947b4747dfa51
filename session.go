package crossguard

import (
	"context"
	"time"
)

// Session is one signed-in browser session of a user. The browser holds a
// random session token in a cookie; the store keeps only its SHA-256
// (TokenHash), so a copy of the database signs nobody in. ID names the
// session in the audit log and on sign-out without revealing the token.
type Session struct {
	ID        string    `json:"id"`
	TokenHash string    `json:"-"` // hex SHA-256 of the cookie's token
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`  // last request, kept to within SessionTouchEvery
	ExpiresAt time.Time `json:"expires_at"` // absolute expiry, however active the session
	CSRF      string    `json:"-"`          // random secret that every form of the session must echo
	Addr      string    `json:"addr"`       // the client's address at sign-in
}

// SessionTouchEvery is how far behind a request's time a session's
// LastSeen may be before SessionByToken writes the new time: many requests
// of one page then write once, and idle expiry is exact to within it.
const SessionTouchEvery = time.Minute

// SessionStore persists users' password hashes and their sessions. The
// password hash is an encoded string (auth uses the PHC format of argon2id)
// that the store keeps opaque.
type SessionStore interface {
	// SetPassword sets the password hash of user and ends all of its
	// sessions, audited as ActionUserPassword by actor: ENOTFOUND for an
	// unknown user, ECONFLICT for a revoked one.
	SetPassword(ctx context.Context, actor, user, hash string, at time.Time) error
	// PasswordHash returns the password hash and the user, or
	// EUNAUTHORIZED if the user is unknown, revoked or has no password.
	PasswordHash(ctx context.Context, user string) (string, *User, error)
	// CreateSession stores a new session, audited as ActionSessionSignIn,
	// and forgets sessions that expired before s.CreatedAt. It fails with
	// EUNAUTHORIZED if the user is unknown or revoked.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByToken returns the session with this token hash and its
	// user, or EUNAUTHORIZED if there is none, if it expired (now at or
	// after ExpiresAt), if it has been idle for idle or longer (idle 0
	// means no idle expiry), or if its user is revoked. It sets LastSeen
	// to now when it is SessionTouchEvery or more behind.
	SessionByToken(ctx context.Context, tokenHash string, now time.Time, idle time.Duration) (*Session, *User, error)
	// DeleteSession ends the session with this id, audited as
	// ActionSessionSignOut by actor; ending a session that does not exist
	// (any more) does nothing.
	DeleteSession(ctx context.Context, actor, id string, at time.Time) error
	// DeleteUserSessions ends every session of user and returns how many
	// it ended. Revocation calls it; SetPassword does the same itself.
	DeleteUserSessions(ctx context.Context, user string) (int64, error)
}

// SessionDead returns why session s may no longer be used at now, or ""
// if it may: its user is revoked, it expired (now at or after ExpiresAt),
// or it has been idle for idle or longer (idle 0 means no idle expiry).
// Both stores decide by it.
func SessionDead(s *Session, userRevoked bool, now time.Time, idle time.Duration) string {
	switch {
	case userRevoked:
		return "of a revoked user"
	case !now.Before(s.ExpiresAt):
		return "expired"
	case idle > 0 && now.Sub(s.LastSeen) >= idle:
		return "idle too long"
	}
	return ""
}
