package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
)

// fakeUser is a user of fakeAuth.
type fakeUser struct {
	password, role, language string
}

// fakeAuth is an in-memory Authenticator for the tests.
type fakeAuth struct {
	mu       sync.Mutex
	users    map[string]fakeUser
	sessions map[string]*Session
	next     int
	// signInErr, when set, is returned by every SignIn.
	signInErr error
	// attempts records the (user, address) of every SignIn.
	attempts []string
}

// newFakeAuth returns a fakeAuth with alice (analyst, no language) and
// bilal (officer, Urdu), both with password "correct horse".
func newFakeAuth() *fakeAuth {
	return &fakeAuth{
		users: map[string]fakeUser{
			"alice": {password: "correct horse", role: "analyst"},
			"bilal": {password: "correct horse", role: "officer", language: "ur"},
		},
		sessions: make(map[string]*Session),
	}
}

var _ Authenticator = (*fakeAuth)(nil)

func (a *fakeAuth) SignIn(ctx context.Context, username, password, addr string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.attempts = append(a.attempts, username+"@"+addr)
	if a.signInErr != nil {
		return "", a.signInErr
	}
	u, ok := a.users[username]
	if !ok || u.password != password {
		return "", fmt.Errorf("sign in %s: %w", username, ErrBadCredentials)
	}
	a.next++
	token := fmt.Sprintf("token-%d", a.next)
	a.sessions[token] = &Session{
		Username: username, Role: u.role, Language: u.language,
		CSRFSecret: "secret-" + token,
	}
	return token, nil
}

func (a *fakeAuth) Session(ctx context.Context, token string) (*Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.sessions[token]
	if !ok {
		return nil, ErrNoSession
	}
	c := *s
	return &c, nil
}

func (a *fakeAuth) SignOut(ctx context.Context, token string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, token)
	return nil
}

func (a *fakeAuth) CSRFToken(s *Session) string {
	m := hmac.New(sha256.New, []byte(s.CSRFSecret))
	m.Write([]byte("csrf"))
	return hex.EncodeToString(m.Sum(nil))
}

func (a *fakeAuth) CheckCSRF(s *Session, token string) bool {
	return hmac.Equal([]byte(token), []byte(a.CSRFToken(s)))
}

// sessionCount returns the number of live sessions.
func (a *fakeAuth) sessionCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sessions)
}

// attemptCount returns the number of SignIn calls.
func (a *fakeAuth) attemptCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.attempts)
}

// errStoreDown is an internal failure of the Authenticator.
var errStoreDown = fmt.Errorf("sign in: database is locked")
