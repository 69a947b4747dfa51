package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"crossguard"
	"crossguard/auth"
)

// NodeAuth is the Authenticator of a running node: it signs people in
// against the node's users with auth.Service, on the node's clock.
type NodeAuth struct {
	Service *auth.Service
	Now     func() time.Time
}

var _ Authenticator = (*NodeAuth)(nil)

func (a *NodeAuth) now() time.Time {
	if a.Now == nil {
		return time.Now().UTC()
	}
	return a.Now()
}

// SignIn implements Authenticator, turning the service's refusal of too
// many attempts into a *RateLimitError so that the page says how long to
// wait rather than that the password is wrong.
func (a *NodeAuth) SignIn(ctx context.Context, username, password, addr string) (string, error) {
	token, _, err := a.Service.SignIn(ctx, username, password, addr, a.now())
	if tooMany, ok := errors.AsType[*auth.TooManyAttemptsError](err); ok {
		return "", &RateLimitError{RetryAfter: tooMany.RetryAfter}
	}
	if errors.Is(err, auth.ErrWrongPassword) {
		return "", ErrBadCredentials
	}
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	return token, nil
}

// Session implements Authenticator: the session's user, role, language
// and CSRF secret, all read with the session in one query.
func (a *NodeAuth) Session(ctx context.Context, token string) (*Session, error) {
	sess, user, err := a.Service.Session(ctx, token, a.now())
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED {
			return nil, ErrNoSession
		}
		return nil, fmt.Errorf("look up session: %w", err)
	}
	return &Session{Username: user.Name, Role: user.Role, Language: user.Language, CSRFSecret: sess.CSRF}, nil
}

// SignOut implements Authenticator; a token whose session already ended
// signs out nothing.
func (a *NodeAuth) SignOut(ctx context.Context, token string) error {
	sess, _, err := a.Service.Session(ctx, token, a.now())
	if err != nil {
		if crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED {
			return nil
		}
		return fmt.Errorf("look up session: %w", err)
	}
	return a.Service.SignOut(ctx, sess, a.now())
}

// CSRFToken implements Authenticator: the token is the random secret
// stored with the session, so that it holds across processes and restarts
// and ends with the session.
func (a *NodeAuth) CSRFToken(s *Session) string {
	return s.CSRFSecret
}

// CheckCSRF implements Authenticator, comparing token with the session's
// secret in constant time. A session without a secret accepts no token.
func (a *NodeAuth) CheckCSRF(s *Session, token string) bool {
	return s != nil && s.CSRFSecret != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRFSecret)) == 1
}
