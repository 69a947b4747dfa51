package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sync"

	"crossguard/auth"
	"crossguard/internal/wiring"
)

// demoPassword is the password of every demo user on this run, and its
// hash: made once per run (hashed once, as argon2id is slow on purpose)
// and printed with the URLs, so that people can sign in to the web
// interface.
var demoPassword = sync.OnceValues(func() ([2]string, error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return [2]string{}, fmt.Errorf("make the demo password: %w", err)
	}
	pw := "demo-" + base64.RawURLEncoding.EncodeToString(b)
	hash, err := auth.HashPassword(pw, auth.DefaultParams, nil)
	if err != nil {
		return [2]string{}, fmt.Errorf("hash the demo password: %w", err)
	}
	return [2]string{pw, hash}, nil
})

// setDemoPasswords gives every demo user of a node this run's password.
func setDemoPasswords(ctx context.Context, n *wiring.Services) error {
	pw, err := demoPassword()
	if err != nil {
		return err
	}
	for _, u := range demoUsers {
		if err := n.Store.SetPassword(ctx, "demo", u.name, pw[1], n.Core.Clock.Now().UTC()); err != nil {
			return fmt.Errorf("set the password of %s: %w", u.name, err)
		}
	}
	return nil
}
