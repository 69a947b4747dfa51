package node

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"crossguard"
)

// tokenPrefix marks crossguard API tokens so that they are easy to spot in
// a leaked file or a secret scanner.
const tokenPrefix = "cg_"

// NewToken returns a new random API token (256 bits).
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // cannot happen on a supported OS
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token, the only form stored. A
// plain hash is enough: tokens are 256 random bits, not guessable passwords.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// AddUser creates a user with a role and returns its first API token.
func (ad *Admin) AddUser(ctx context.Context, actor, name, role string) (string, error) {
	if err := checkUserName(name); err != nil {
		return "", err
	}
	if !crossguard.ValidRole(role) {
		return "", crossguard.Errorf(crossguard.EINVALID, "unknown role %q: use one of %s", role, strings.Join(crossguard.Roles, ", "))
	}
	token := NewToken()
	u := &crossguard.User{Name: name, Role: role, CreatedAt: ad.Clock.Now().UTC()}
	if err := ad.store.CreateUser(ctx, actor, u, HashToken(token)); err != nil {
		return "", fmt.Errorf("add user %s: %w", name, err)
	}
	return token, nil
}

// NewUserToken issues another token for an existing user.
func (ad *Admin) NewUserToken(ctx context.Context, actor, name string) (string, error) {
	token := NewToken()
	if err := ad.store.AddToken(ctx, actor, name, HashToken(token), ad.Clock.Now().UTC()); err != nil {
		return "", fmt.Errorf("new token for %s: %w", name, err)
	}
	return token, nil
}

// RevokeUser revokes a user and every token it holds.
func (ad *Admin) RevokeUser(ctx context.Context, actor, name string) error {
	if err := ad.store.RevokeUser(ctx, actor, name, ad.Clock.Now().UTC()); err != nil {
		return fmt.Errorf("revoke user %s: %w", name, err)
	}
	return nil
}

// Authenticate returns the user holding token. A failure is recorded in the
// audit log with the client's address and never says whether the user
// exists.
func (ad *Admin) Authenticate(ctx context.Context, token, addr string) (*crossguard.User, error) {
	var u *crossguard.User
	var err error = crossguard.Errorf(crossguard.EUNAUTHORIZED, "missing or invalid API token")
	if token != "" {
		u, err = ad.store.UserByToken(ctx, HashToken(token))
	}
	if err == nil {
		return u, nil
	}
	if crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	e := &crossguard.AuditEntry{At: ad.Clock.Now(), Actor: "anonymous", Action: crossguard.ActionLoginFailure,
		Outcome: crossguard.OutcomeDenied, Detail: crossguard.AuditDetail("addr", addr)}
	if aerr := ad.store.AppendAudit(ctx, e); aerr != nil {
		return nil, fmt.Errorf("audit login failure: %w", aerr)
	}
	return nil, err
}

// checkUserName requires a short name of letters, digits, dots, hyphens and
// underscores, so that names are safe in logs and audit entries.
func checkUserName(name string) error {
	ok := name != "" && len(name) <= 64
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			ok = false
		}
	}
	if !ok {
		return crossguard.Errorf(crossguard.EINVALID, "invalid user name %q: 1 to 64 letters, digits, dots, hyphens or underscores", name)
	}
	return nil
}
