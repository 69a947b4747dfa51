package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// testUserLanguage checks the interface language of users: set, read
// with the session, the user list and the token, cleared, refused, and
// audited.
func testUserLanguage(t *testing.T, open Opener) {
	t.Run("set, read with the session and cleared", func(t *testing.T) {
		s := fresh(t, open)
		mustUser(t, s, "amina", 1)
		sess := newSession(1, "amina", T0)
		mustSession(t, s, sess)
		language := func() string {
			t.Helper()
			_, u, err := s.SessionByToken(t.Context(), sess.TokenHash, sess.CreatedAt, 0)
			if err != nil {
				t.Fatalf("SessionByToken: %v", err)
			}
			return u.Language
		}
		if got := language(); got != "" {
			t.Fatalf("a new user has language %q, want none", got)
		}
		if err := s.SetUserLanguage(t.Context(), "amina", "amina", "ur", T0.Add(time.Minute)); err != nil {
			t.Fatalf("SetUserLanguage: %v", err)
		}
		if got := language(); got != "ur" {
			t.Fatalf("language read with the session %q, want ur", got)
		}
		users, err := s.Users(t.Context())
		if err != nil || len(users) != 1 || users[0].Language != "ur" {
			t.Fatalf("Users = %+v, %v; want amina with language ur", users, err)
		}
		u, err := s.UserByToken(t.Context(), hash(1))
		if err != nil || u.Language != "ur" {
			t.Fatalf("UserByToken = %+v, %v; want language ur", u, err)
		}
		if err := s.SetUserLanguage(t.Context(), "admin", "amina", "", T0.Add(2*time.Minute)); err != nil {
			t.Fatalf("SetUserLanguage(\"\"): %v", err)
		}
		if got := language(); got != "" {
			t.Fatalf("language after clearing %q, want none", got)
		}
		trail := auditTrail(t, s, "amina")
		var got []string
		for _, e := range trail {
			if e.Action == crossguard.ActionUserLanguage {
				got = append(got, e.Actor+":"+e.Detail)
			}
		}
		wantEqual(t, "language audit", got, []string{
			"amina:" + crossguard.AuditDetail("language", "ur"), "admin:" + crossguard.AuditDetail("language", "")})
		wantChain(t, s, 4) // user.add, sign-in and the two language changes
	})
	t.Run("created with a language", func(t *testing.T) {
		s := fresh(t, open)
		u := NewUser("li.wei", crossguard.RoleAnalyst, T0)
		u.Language = "zh"
		if err := s.CreateUser(t.Context(), "admin", u, hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		users, err := s.Users(t.Context())
		if err != nil {
			t.Fatalf("Users: %v", err)
		}
		wantEqual(t, "users", users, []*crossguard.User{u})
	})
	t.Run("refused", func(t *testing.T) {
		s := fresh(t, open)
		mustUser(t, s, "amina", 1)
		wantCode(t, s.SetUserLanguage(t.Context(), "admin", "amina", "fr", T0), crossguard.EINVALID)
		wantCode(t, s.SetUserLanguage(t.Context(), "admin", "nobody", "zh", T0), crossguard.ENOTFOUND)
		if err := s.RevokeUser(t.Context(), "admin", "amina", T0.Add(time.Hour)); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		wantCode(t, s.SetUserLanguage(t.Context(), "admin", "amina", "zh", T0), crossguard.ECONFLICT)
		wantEqual(t, "audit actions", actionLog(t, s), []string{crossguard.ActionUserAdd, crossguard.ActionUserRevoke})
	})
}
