package auth_test

import (
	"errors"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
	"crossguard/sqlite"
)

const password = "a long enough passphrase"

// newService returns a service over a fresh SQLite store holding the
// officer amina, with password, and the store.
func newService(t *testing.T) (*auth.Service, *sqlite.Store) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "auth.db"), sqlite.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	u := &crossguard.User{Name: "amina", Role: crossguard.RoleOfficer, CreatedAt: t0}
	if err := s.CreateUser(t.Context(), "admin", u, auth.HashToken("api token")); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	svc := auth.New(s, auth.Options{Params: cheap})
	if err := svc.SetPassword(t.Context(), "admin", "amina", password, t0); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	return svc, s
}

// mustSignIn signs amina in at now, failing t on error.
func mustSignIn(t *testing.T, svc *auth.Service, now time.Time) (string, *crossguard.Session) {
	t.Helper()
	token, sess, err := svc.SignIn(t.Context(), "amina", password, "192.0.2.1", now)
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return token, sess
}

// wantActions fails t unless the audit log's actions are want, in order.
func wantActions(t *testing.T, s crossguard.Store, want ...string) {
	t.Helper()
	var got []string
	s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		got = append(got, e.Action)
		return nil
	})
	if len(got) != len(want) {
		t.Fatalf("audit actions %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("audit actions %v, want %v", got, want)
		}
	}
}

func TestSessionSignInAndFind(t *testing.T) {
	svc, s := newService(t)
	token, sess := mustSignIn(t, svc, t0)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token %q is not 32 bytes of base64url", token)
	}
	if sess.TokenHash == token || sess.TokenHash != auth.HashToken(token) {
		t.Fatal("the session keeps the token rather than its hash")
	}
	if sess.User != "amina" || !sess.ExpiresAt.Equal(t0.Add(12*time.Hour)) || sess.Addr != "192.0.2.1" {
		t.Fatalf("session %+v", sess)
	}
	got, u, err := svc.Session(t.Context(), token, t0.Add(time.Minute))
	if err != nil || got.ID != sess.ID || u.Name != "amina" || u.Role != crossguard.RoleOfficer {
		t.Fatalf("Session = %+v, %+v, %v", got, u, err)
	}
	for _, bad := range []string{"", "not-a-token", sess.TokenHash} {
		if _, _, err := svc.Session(t.Context(), bad, t0); crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED {
			t.Errorf("Session(%q) = %v, want unauthorized", bad, err)
		}
	}
	wantActions(t, s, crossguard.ActionUserAdd, crossguard.ActionUserPassword, crossguard.ActionSessionSignIn)
}

func TestSessionWrongPasswordAndUnknownUserAnswerAlike(t *testing.T) {
	svc, s := newService(t)
	if err := s.CreateUser(t.Context(), "admin", &crossguard.User{Name: "machine", Role: crossguard.RoleAnalyst, CreatedAt: t0}, auth.HashToken("m")); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	for _, c := range []struct{ name, user, password string }{
		{"wrong password", "amina", "not the passphrase"},
		{"unknown user", "nobody", password},
		{"user without password", "machine", password},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := svc.SignIn(t.Context(), c.user, c.password, "192.0.2.1", t0)
			if err != auth.ErrWrongPassword || err.Error() != "wrong user name or password" {
				t.Fatalf("SignIn = %v, want ErrWrongPassword", err)
			}
		})
	}
	page, err := s.ListAudit(t.Context(), crossguard.AuditFilter{Action: crossguard.ActionSessionSignInFailed})
	if err != nil || len(page.Items) != 4 {
		t.Fatalf("ListAudit = %d entries, %v; want 4 failures", len(page.Items), err)
	}
	e := page.Items[len(page.Items)-1]
	if e.Outcome != crossguard.OutcomeDenied || e.Detail != crossguard.AuditDetail("user", "amina", "addr", "192.0.2.1") {
		t.Fatalf("failure entry %+v", e)
	}
}

func TestSessionSignInRateLimited(t *testing.T) {
	svc, _ := newService(t)
	for i := range 5 {
		if _, _, err := svc.SignIn(t.Context(), "amina", "guess number one", "192.0.2.1", t0.Add(time.Duration(i)*time.Second)); err != auth.ErrWrongPassword {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	_, _, err := svc.SignIn(t.Context(), "amina", password, "192.0.2.99", t0.Add(time.Minute))
	wantTooMany(t, err, "too many attempts, try again in 14 minutes")
	mustSignIn(t, svc, t0.Add(16*time.Minute))
}

func TestSessionExpiry(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps []time.Duration // requests after sign-in; the last must fail
	}{
		{"idle for 30 minutes ends", []time.Duration{29 * time.Minute, 58 * time.Minute, 88 * time.Minute}},
		{"idle right after sign-in ends", []time.Duration{30 * time.Minute}},
		{"active session ends after 12 hours", func() []time.Duration {
			var d []time.Duration
			for m := 20 * time.Minute; m < 12*time.Hour; m += 20 * time.Minute {
				d = append(d, m)
			}
			return append(d, 12*time.Hour)
		}()},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, _ := newService(t)
			token, _ := mustSignIn(t, svc, t0)
			for i, d := range c.steps {
				_, _, err := svc.Session(t.Context(), token, t0.Add(d))
				if last := i == len(c.steps)-1; last != (err != nil) {
					t.Fatalf("request at +%v: %v", d, err)
				}
				if err != nil && (crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED || err.Error() != "your session has ended: sign in again") {
					t.Fatalf("request at +%v: %v, want the session ended", d, err)
				}
			}
		})
	}
}

func TestSessionEndsOnSignOutPasswordChangeAndRevocation(t *testing.T) {
	for _, c := range []struct {
		name   string
		end    func(t *testing.T, svc *auth.Service, s *sqlite.Store, sess *crossguard.Session) error
		action string
	}{
		{"sign-out", func(t *testing.T, svc *auth.Service, s *sqlite.Store, sess *crossguard.Session) error {
			return svc.SignOut(t.Context(), sess, t0.Add(time.Minute))
		}, crossguard.ActionSessionSignOut},
		{"password change", func(t *testing.T, svc *auth.Service, s *sqlite.Store, sess *crossguard.Session) error {
			return svc.SetPassword(t.Context(), "amina", "amina", "another long passphrase", t0.Add(time.Minute))
		}, crossguard.ActionUserPassword},
		{"revocation", func(t *testing.T, svc *auth.Service, s *sqlite.Store, sess *crossguard.Session) error {
			return s.RevokeUser(t.Context(), "admin", "amina", t0.Add(time.Minute))
		}, crossguard.ActionUserRevoke},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, s := newService(t)
			token, sess := mustSignIn(t, svc, t0)
			if err := c.end(t, svc, s, sess); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if _, _, err := svc.Session(t.Context(), token, t0.Add(2*time.Minute)); crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED {
				t.Fatalf("Session after %s = %v, want unauthorized", c.name, err)
			}
			wantActions(t, s, crossguard.ActionUserAdd, crossguard.ActionUserPassword, crossguard.ActionSessionSignIn, c.action)
		})
	}
}

func TestSessionSetPasswordChecksLength(t *testing.T) {
	svc, _ := newService(t)
	err := svc.SetPassword(t.Context(), "admin", "amina", "short", t0)
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("SetPassword(short) = %v, want invalid", err)
	}
	mustSignIn(t, svc, t0) // the old password still holds
}

// TestSessionCSRFSecret checks that every session gets a CSRF secret of
// its own, 32 random bytes that its forms carry (see web.NodeAuth), kept
// with the session so that it holds across processes.
func TestSessionCSRFSecret(t *testing.T) {
	svc, _ := newService(t)
	token, sess := mustSignIn(t, svc, t0)
	_, other := mustSignIn(t, svc, t0)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(sess.CSRF) || sess.CSRF == other.CSRF {
		t.Fatalf("CSRF secrets %q and %q: want 32 random bytes of base64url per session", sess.CSRF, other.CSRF)
	}
	if got, _, err := svc.Session(t.Context(), token, t0.Add(time.Minute)); err != nil || got.CSRF != sess.CSRF {
		t.Fatalf("Session = %+v, %v; want the secret of sign-in", got, err)
	}
}

func TestWrongPasswordIsNotTooManyAttempts(t *testing.T) {
	var tm *auth.TooManyAttemptsError
	if errors.As(auth.ErrWrongPassword, &tm) {
		t.Fatal("ErrWrongPassword is a TooManyAttemptsError")
	}
}
