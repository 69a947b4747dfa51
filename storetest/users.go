package storetest

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// hash returns a fake token hash (64 hex digits) distinct per n.
func hash(n int) string {
	const hex = "0123456789abcdef"
	b := []byte(strings.Repeat("a", 64))
	for i := 0; n > 0; i++ {
		b[63-i] = hex[n%16]
		n /= 16
	}
	return string(b)
}

// testUsers checks users, tokens and revocation.
func testUsers(t *testing.T, open Opener) {
	t.Run("create and authenticate", func(t *testing.T) {
		s := fresh(t, open)
		u := NewUser("officer.khan", crossguard.RoleOfficer, T0)
		if err := s.CreateUser(t.Context(), "admin", u, hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		got, err := s.UserByToken(t.Context(), hash(1))
		if err != nil {
			t.Fatalf("UserByToken: %v", err)
		}
		wantEqual(t, "user", got, u)
		_, err = s.UserByToken(t.Context(), hash(2))
		wantCode(t, err, crossguard.EUNAUTHORIZED)
		_, err = s.UserByToken(t.Context(), "")
		wantCode(t, err, crossguard.EUNAUTHORIZED)
	})
	t.Run("name taken conflicts", func(t *testing.T) {
		s := fresh(t, open)
		u := NewUser("officer.khan", crossguard.RoleOfficer, T0)
		if err := s.CreateUser(t.Context(), "admin", u, hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		err := s.CreateUser(t.Context(), "admin", NewUser("officer.khan", crossguard.RoleAdmin, T0), hash(2))
		wantCode(t, err, crossguard.ECONFLICT)
		_, err = s.UserByToken(t.Context(), hash(2))
		wantCode(t, err, crossguard.EUNAUTHORIZED)
		users, err := s.Users(t.Context())
		if err != nil {
			t.Fatalf("Users: %v", err)
		}
		wantEqual(t, "users", users, []*crossguard.User{u})
		wantChain(t, s, 1)
	})
	t.Run("users by name with revocation", func(t *testing.T) {
		s := fresh(t, open)
		names := []string{"zara", "ali", "Bilal", "auditor-1", "m.khan"}
		for i, n := range names {
			if err := s.CreateUser(t.Context(), "admin", NewUser(n, crossguard.Roles[i%len(crossguard.Roles)], T0.Add(time.Duration(i)*time.Second)), hash(i+1)); err != nil {
				t.Fatalf("CreateUser(%s): %v", n, err)
			}
		}
		at := T0.Add(time.Hour).Truncate(time.Microsecond) // stores keep user times to the microsecond
		if err := s.RevokeUser(t.Context(), "admin", "ali", at); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		users, err := s.Users(t.Context())
		if err != nil {
			t.Fatalf("Users: %v", err)
		}
		var got []string
		for _, u := range users {
			got = append(got, u.Name)
			if (u.RevokedAt != nil) != (u.Name == "ali") {
				t.Errorf("user %s has revoked_at %v", u.Name, u.RevokedAt)
			}
			if u.Name == "ali" && !u.RevokedAt.Equal(at) {
				t.Errorf("ali revoked at %v, want %v", u.RevokedAt, at)
			}
		}
		wantIDs(t, "user names", got, []string{"Bilal", "ali", "auditor-1", "m.khan", "zara"})
	})
	t.Run("tokens", func(t *testing.T) {
		s := fresh(t, open)
		u := NewUser("analyst.ali", crossguard.RoleAnalyst, T0)
		if err := s.CreateUser(t.Context(), "admin", u, hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		other := NewUser("officer.khan", crossguard.RoleOfficer, T0)
		if err := s.CreateUser(t.Context(), "admin", other, hash(9)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := s.AddToken(t.Context(), "admin", u.Name, hash(2), T0.Add(time.Minute)); err != nil {
			t.Fatalf("AddToken: %v", err)
		}
		for _, h := range []string{hash(1), hash(2)} {
			got, err := s.UserByToken(t.Context(), h)
			if err != nil {
				t.Fatalf("UserByToken: %v", err)
			}
			wantEqual(t, "user", got, u)
		}
		wantCode(t, s.AddToken(t.Context(), "admin", "nobody", hash(3), T0), crossguard.ENOTFOUND)
		_, err := s.UserByToken(t.Context(), hash(3))
		wantCode(t, err, crossguard.EUNAUTHORIZED)

		if err := s.RevokeUser(t.Context(), "admin", u.Name, T0.Add(time.Hour)); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		for _, h := range []string{hash(1), hash(2)} {
			_, err := s.UserByToken(t.Context(), h)
			wantCode(t, err, crossguard.EUNAUTHORIZED)
		}
		err = s.AddToken(t.Context(), "admin", u.Name, hash(4), T0.Add(2*time.Hour))
		wantCode(t, err, crossguard.ECONFLICT)
		if !strings.Contains(crossguard.ErrorMessage(err), u.Name) {
			t.Errorf("message %q does not name the user", crossguard.ErrorMessage(err))
		}
		_, err = s.UserByToken(t.Context(), hash(4))
		wantCode(t, err, crossguard.EUNAUTHORIZED)
		// Other users are untouched.
		got, err := s.UserByToken(t.Context(), hash(9))
		if err != nil {
			t.Fatalf("UserByToken of another user: %v", err)
		}
		wantEqual(t, "other user", got, other)
		wantCode(t, s.RevokeUser(t.Context(), "admin", "nobody", T0), crossguard.ENOTFOUND)
	})
	t.Run("user changes are audited", func(t *testing.T) {
		s := fresh(t, open)
		u := NewUser("analyst.ali", crossguard.RoleAnalyst, T0)
		if err := s.CreateUser(t.Context(), "admin", u, hash(1)); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := s.AddToken(t.Context(), "admin2", u.Name, hash(2), T0.Add(time.Minute)); err != nil {
			t.Fatalf("AddToken: %v", err)
		}
		if err := s.RevokeUser(t.Context(), "admin3", u.Name, T0.Add(time.Hour)); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		trail := auditTrail(t, s, u.Name)
		want := []struct{ actor, action string }{
			{"admin", crossguard.ActionUserAdd}, {"admin2", crossguard.ActionUserToken}, {"admin3", crossguard.ActionUserRevoke},
		}
		if len(trail) != len(want) {
			t.Fatalf("audit trail of %s has %d entries, want %d", u.Name, len(trail), len(want))
		}
		for i, w := range want {
			e := trail[i]
			if e.Actor != w.actor || e.Action != w.action || e.Outcome != crossguard.OutcomeOK {
				t.Errorf("entry %d = %+v, want %s by %s, ok", i, e, w.action, w.actor)
			}
			if strings.Contains(e.Detail, hash(1)) || strings.Contains(e.Detail, hash(2)) {
				t.Errorf("entry %d detail %q holds a token hash", i, e.Detail)
			}
		}
		if !strings.Contains(trail[0].Detail, crossguard.RoleAnalyst) {
			t.Errorf("user.add detail %q does not name the role", trail[0].Detail)
		}
		// Refused changes are not audited as done.
		wantCode(t, s.AddToken(t.Context(), "admin", u.Name, hash(5), T0), crossguard.ECONFLICT)
		wantCode(t, s.CreateUser(t.Context(), "admin", NewUser(u.Name, crossguard.RoleAdmin, T0), hash(6)), crossguard.ECONFLICT)
		wantChain(t, s, 3)
	})
}
