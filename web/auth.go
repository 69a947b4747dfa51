package web

import (
	"context"
	"errors"
	"time"

	"crossguard"
)

// Session is what the interface needs to know about a signed-in person.
type Session struct {
	// Username is the name the person signed in with.
	Username string
	// Role is one of crossguard.Roles.
	Role string
	// Language is the person's preferred language ("en", "zh" or "ur"),
	// or "" to follow the browser.
	Language string
	// CSRFSecret is the per-session secret from which the Authenticator
	// derives the tokens embedded in forms (crossguard.Session.CSRF). The
	// web package never reads it; it is here so that an Authenticator can
	// answer CSRFToken and CheckCSRF from the Session alone.
	CSRFSecret string
}

// Authenticator signs people in and out and looks up their sessions. The
// web package holds no passwords or session state itself; the node supplies
// an implementation backed by its user store.
type Authenticator interface {
	// SignIn checks a user name and password presented from the network
	// address addr and returns a new session token. It returns an error
	// matching ErrBadCredentials when the name or password is wrong and one
	// matching ErrRateLimited when too many attempts were made (a
	// *RateLimitError says for how long, shown on the page and in
	// Retry-After). An implementation wrapping auth.Service must map its
	// *auth.TooManyAttemptsError to a *RateLimitError: that error also
	// reads as unauthorized and would otherwise show as a wrong password.
	SignIn(ctx context.Context, username, password, addr string) (token string, err error)
	// Session returns the session of token, or an error matching
	// ErrNoSession when the token is unknown or the session expired.
	Session(ctx context.Context, token string) (*Session, error)
	// SignOut ends the session of token.
	SignOut(ctx context.Context, token string) error
	// CSRFToken returns the token that forms of s must carry.
	CSRFToken(s *Session) string
	// CheckCSRF reports whether token is a valid form token of s.
	CheckCSRF(s *Session, token string) bool
}

// Errors an Authenticator reports. An implementation may instead return a
// *crossguard.Error with code unauthorized (wrong credentials, no session);
// see badCredentials and noSession.
var (
	// ErrBadCredentials means the user name or password is wrong. The page
	// does not say which.
	ErrBadCredentials = errors.New("web: wrong user name or password")
	// ErrRateLimited means too many sign-in attempts came for the user or
	// from the address; wrap it in a RateLimitError to say for how long.
	ErrRateLimited = errors.New("web: too many sign-in attempts")
	// ErrNoSession means the session token is unknown or expired.
	ErrNoSession = errors.New("web: no such session")
)

// RateLimitError is a refusal of a sign-in attempt for a while. It matches
// ErrRateLimited.
type RateLimitError struct {
	// RetryAfter is how long the person should wait before trying again.
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *RateLimitError) Error() string { return ErrRateLimited.Error() }

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// badCredentials reports whether err says the user name or password is
// wrong.
func badCredentials(err error) bool {
	return errors.Is(err, ErrBadCredentials) || crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED
}

// noSession reports whether err says there is no valid session.
func noSession(err error) bool {
	code := crossguard.ErrorCode(err)
	return errors.Is(err, ErrNoSession) || code == crossguard.EUNAUTHORIZED || code == crossguard.ENOTFOUND
}

// retryAfter returns how long a rate-limited person should wait, or 0 when
// err does not say.
func retryAfter(err error) time.Duration {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl.RetryAfter
	}
	return 0
}
