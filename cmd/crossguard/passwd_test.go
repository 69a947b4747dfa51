package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
	"crossguard/sqlite"
)

// signIn tries to sign user in to the cli's node with password and returns
// the session token.
func (c *cli) signIn(user, password string) (string, error) {
	c.t.Helper()
	s, err := sqlite.Open(c.t.Context(), filepath.Join(c.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		c.t.Fatalf("open the node's store: %v", err)
	}
	defer s.Close()
	token, _, err := auth.New(s, auth.Options{}).SignIn(c.t.Context(), user, password, "127.0.0.1", time.Now())
	return token, err
}

// sessionLive reports whether the session token is still valid.
func (c *cli) sessionLive(token string) bool {
	c.t.Helper()
	s, err := sqlite.Open(c.t.Context(), filepath.Join(c.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		c.t.Fatalf("open the node's store: %v", err)
	}
	defer s.Close()
	_, _, err = auth.New(s, auth.Options{}).Session(c.t.Context(), token, time.Now())
	return err == nil
}

func TestUserAddPasswordStdin(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	out, errOut, err := c.run("a long passphrase 1\n", "user", "add", "amina", "--role", "officer", "--password-stdin")
	if err != nil {
		t.Fatalf("user add --password-stdin: %v\n%s", err, errOut)
	}
	if token := lastLine(out); !strings.HasPrefix(token, "cg_") {
		t.Fatalf("last line %q is not an API token:\n%s", token, out)
	}
	if _, err := c.signIn("amina", "a long passphrase 1"); err != nil {
		t.Fatalf("sign in with the password given: %v", err)
	}
	if _, err := c.signIn("amina", "a long passphrase 1\n"); err != auth.ErrWrongPassword {
		t.Fatalf("sign in with the line ending kept: %v, want a wrong password", err)
	}
	// A Windows line ending is not part of the password either.
	c.must("user", "add", "bilal", "--role", "analyst")
	if _, _, err := c.run("another passphrase\r\n", "user", "passwd", "bilal"); err != nil {
		t.Fatalf("user passwd: %v", err)
	}
	if _, err := c.signIn("bilal", "another passphrase"); err != nil {
		t.Fatalf("sign in after a CRLF line: %v", err)
	}
}

func TestUserAddPasswordStdinRefusals(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	for _, tc := range []struct{ name, stdin, want string }{
		{"short password refused", "elevenchars\n", "the password is too short: it has 11 characters, it needs at least 12"},
		{"empty input refused", "", "no password on standard input"},
		{"empty line refused", "\nsecond line is not read\n", "no password on standard input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.run(tc.stdin, "user", "add", "bob", "--role", "officer", "--password-stdin")
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("user add = %v, want %q", err, tc.want)
			}
		})
	}
	if out := c.must("user", "list"); strings.Contains(out, "bob") {
		t.Fatalf("a user was added despite the refused password:\n%s", out)
	}
}

func TestUserPasswdChangesPasswordAndEndsSessions(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	c.must("user", "add", "amina", "--role", "officer")
	if _, err := c.signIn("amina", "any password at all"); err != auth.ErrWrongPassword {
		t.Fatalf("sign in without a password set: %v, want a wrong password", err)
	}
	out, _, err := c.run("first passphrase\n", "user", "passwd", "amina")
	if err != nil || !strings.Contains(out, "Set the password of amina") {
		t.Fatalf("user passwd = %v:\n%s", err, out)
	}
	token, err := c.signIn("amina", "first passphrase")
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if _, _, err := c.run("short\n", "user", "passwd", "amina"); crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("user passwd with a short password = %v, want invalid", err)
	}
	if !c.sessionLive(token) {
		t.Fatal("a refused password change ended the session")
	}
	if _, _, err := c.run("second passphrase\n", "user", "passwd", "amina"); err != nil {
		t.Fatalf("user passwd again: %v", err)
	}
	if c.sessionLive(token) {
		t.Fatal("the session outlived the password change")
	}
	if _, err := c.signIn("amina", "first passphrase"); err != auth.ErrWrongPassword {
		t.Fatalf("sign in with the old password: %v", err)
	}
	if _, err := c.signIn("amina", "second passphrase"); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	if _, _, err := c.run("some passphrase\n", "user", "passwd", "nobody"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("user passwd of an unknown user = %v, want not found", err)
	}
}

func TestUserRevokeEndsSessions(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	if _, _, err := c.run("a long passphrase 1\n", "user", "add", "amina", "--role", "officer", "--password-stdin"); err != nil {
		t.Fatalf("user add: %v", err)
	}
	token, err := c.signIn("amina", "a long passphrase 1")
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if out := c.must("user", "revoke", "amina"); !strings.Contains(out, "ended 1 web sessions") {
		t.Fatalf("user revoke:\n%s", out)
	}
	if c.sessionLive(token) {
		t.Fatal("the session outlived the revocation")
	}
	if _, err := c.signIn("amina", "a long passphrase 1"); err != auth.ErrWrongPassword {
		t.Fatalf("sign in of a revoked user: %v", err)
	}
	if _, _, err := c.run("a long passphrase 2\n", "user", "passwd", "amina"); crossguard.ErrorCode(err) != crossguard.ECONFLICT {
		t.Fatalf("user passwd of a revoked user = %v, want conflict", err)
	}
}
