package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"time"

	"crossguard"
)

// Default lifetimes of a session.
const (
	DefaultIdle     = 30 * time.Minute // a session unused this long ends
	DefaultLifetime = 12 * time.Hour   // a session ends this long after sign-in, however active
)

// ErrWrongPassword is the one answer to a failed sign-in, whether the user
// is unknown, revoked, has no password or gave the wrong one.
var ErrWrongPassword = crossguard.Errorf(crossguard.EUNAUTHORIZED, "wrong user name or password")

// errNoSession is the answer to a missing, unknown or ended session.
var errNoSession = crossguard.Errorf(crossguard.EUNAUTHORIZED, "your session has ended: sign in again")

// Store is what the service needs of the node's store.
type Store interface {
	crossguard.SessionStore
	AppendAudit(ctx context.Context, e *crossguard.AuditEntry) error
}

// Options tune a Service. The zero value is ready to use.
type Options struct {
	Idle     time.Duration // 0 means DefaultIdle
	Lifetime time.Duration // 0 means DefaultLifetime
	Params   Params        // of new password hashes; zero means DefaultParams
	Limits   Limits        // of failed sign-ins; zero fields mean DefaultLimits'
	Rand     io.Reader     // of tokens and salts; nil means crypto/rand
}

// Service signs users in and out and finds the session of a request. It
// is safe for concurrent use; one Service serves a node, since it holds
// the limiter of failed sign-ins.
type Service struct {
	store   Store
	opts    Options
	limiter *Limiter
	dummy   func() string // a hash of the current parameters, for unknown users
}

// New returns a service over store.
func New(store Store, opts Options) *Service {
	if opts.Idle <= 0 {
		opts.Idle = DefaultIdle
	}
	if opts.Lifetime <= 0 {
		opts.Lifetime = DefaultLifetime
	}
	if opts.Params == (Params{}) {
		opts.Params = DefaultParams
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	s := &Service{store: store, opts: opts, limiter: NewLimiter(opts.Limits)}
	s.dummy = sync.OnceValue(func() string {
		h, err := HashPassword("crossguard dummy password", opts.Params, rand.Reader)
		if err != nil {
			panic(fmt.Sprintf("auth: hash dummy password: %v", err)) // crypto/rand cannot fail
		}
		return h
	})
	go s.dummy() // ready before the first sign-in of an unknown user, so that it takes no longer
	return s
}

// Idle returns how long an unused session lasts.
func (s *Service) Idle() time.Duration { return s.opts.Idle }

// HashToken returns the hex SHA-256 of a session token, the only form the
// store keeps.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// random returns n random bytes from the service's source.
func (s *Service) random(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.opts.Rand, b); err != nil {
		return nil, fmt.Errorf("read random bytes: %w", err)
	}
	return b, nil
}

// SignIn checks username and password and starts a session from client
// address addr at now. It returns the session token for the cookie (32
// random bytes, base64url) and the session. A wrong password, an unknown,
// revoked or password-less user all fail with ErrWrongPassword after about
// the same time, audited as ActionSessionSignInFailed; too many failures
// fail with a *TooManyAttemptsError, not audited (so that a flood of
// refused attempts cannot flood the audit log).
func (s *Service) SignIn(ctx context.Context, username, password, addr string, now time.Time) (string, *crossguard.Session, error) {
	if err := s.limiter.Allow(username, addr, now); err != nil {
		return "", nil, err
	}
	hash, user, err := s.store.PasswordHash(ctx, username)
	switch {
	case crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED:
		VerifyPassword(s.dummy(), password) // spend the time a real user's check takes
		return "", nil, s.fail(ctx, username, addr, now)
	case err != nil:
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	if ok, err := VerifyPassword(hash, password); err != nil || !ok {
		return "", nil, s.fail(ctx, username, addr, now)
	}
	s.limiter.Succeed(username)
	return s.start(ctx, user.Name, addr, now)
}

// fail records a failed sign-in and returns ErrWrongPassword.
func (s *Service) fail(ctx context.Context, username, addr string, now time.Time) error {
	s.limiter.Fail(username, addr, now)
	if len(username) > 64 {
		username = username[:64]
	}
	e := &crossguard.AuditEntry{At: now, Actor: "anonymous", Action: crossguard.ActionSessionSignInFailed,
		Outcome: crossguard.OutcomeDenied, Detail: crossguard.AuditDetail("user", username, "addr", addr)}
	if err := s.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("sign in: audit failure: %w", err)
	}
	return ErrWrongPassword
}

// start stores a new session of user.
func (s *Service) start(ctx context.Context, user, addr string, now time.Time) (string, *crossguard.Session, error) {
	tok, err := s.random(32)
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	id, err := s.random(16)
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	csrf, err := s.random(32)
	if err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(tok)
	at := now.UTC().Truncate(time.Microsecond)
	sess := &crossguard.Session{ID: hex.EncodeToString(id), TokenHash: HashToken(token), User: user,
		CreatedAt: at, LastSeen: at, ExpiresAt: at.Add(s.opts.Lifetime),
		CSRF: base64.RawURLEncoding.EncodeToString(csrf), Addr: addr}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("sign in: %w", err)
	}
	return token, sess, nil
}

// Session returns the live session holding token, and its user, at now;
// an EUNAUTHORIZED error if the token is empty, unknown, expired, idle or
// of a revoked user.
func (s *Service) Session(ctx context.Context, token string, now time.Time) (*crossguard.Session, *crossguard.User, error) {
	if token == "" {
		return nil, nil, errNoSession
	}
	sess, u, err := s.store.SessionByToken(ctx, HashToken(token), now.UTC().Truncate(time.Microsecond), s.opts.Idle)
	if crossguard.ErrorCode(err) == crossguard.EUNAUTHORIZED {
		return nil, nil, errNoSession
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	return sess, u, nil
}

// SignOut ends sess, audited as its user's sign-out.
func (s *Service) SignOut(ctx context.Context, sess *crossguard.Session, now time.Time) error {
	if err := s.store.DeleteSession(ctx, sess.User, sess.ID, now); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// SetPassword checks password (CheckPassword), hashes it and stores it as
// user's password, ending all of user's sessions, audited as actor's.
func (s *Service) SetPassword(ctx context.Context, actor, user, password string, now time.Time) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	return SetPassword(ctx, s.store, actor, user, password, s.opts.Params, now)
}

// SetPassword hashes an already checked password with params p and stores
// it as user's password, ending all of user's sessions. The command line
// calls it without a Service.
func SetPassword(ctx context.Context, store crossguard.SessionStore, actor, user, password string, p Params, now time.Time) error {
	hash, err := HashPassword(password, p, nil)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", user, err)
	}
	if err := store.SetPassword(ctx, actor, user, hash, now); err != nil {
		return fmt.Errorf("set password of %s: %w", user, err)
	}
	return nil
}
