package crossguard

import (
	"context"
	"time"
)

// User is a person or machine with a role on this node. Users hold API
// tokens, stored only as SHA-256 hashes.
type User struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// Language is the interface language (UserLanguages), or "" to follow
	// the browser; see UserLanguageStore.
	Language string `json:"language,omitempty"`
}

// UserStore persists users and their token hashes.
type UserStore interface {
	// CreateUser adds a user with one token; ECONFLICT if the name is taken.
	CreateUser(ctx context.Context, actor string, u *User, tokenHash string) error
	// AddToken gives an existing, unrevoked user another token.
	AddToken(ctx context.Context, actor, name, tokenHash string, at time.Time) error
	// UserByToken returns the unrevoked user holding the token with this
	// hash, or EUNAUTHORIZED.
	UserByToken(ctx context.Context, tokenHash string) (*User, error)
	// Users lists all users, revoked ones included, by name.
	Users(ctx context.Context) ([]*User, error)
	// RevokeUser revokes a user and all of its tokens; ENOTFOUND if unknown.
	RevokeUser(ctx context.Context, actor, name string, at time.Time) error
}
