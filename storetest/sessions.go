package storetest

import (
	"testing"
	"time"

	"crossguard"
)

// sessionStore returns s as a SessionStore, failing t if it is not one.
func sessionStore(t *testing.T, s crossguard.Store) crossguard.SessionStore {
	t.Helper()
	ss, ok := any(s).(crossguard.SessionStore)
	if !ok {
		t.Fatalf("%T does not implement crossguard.SessionStore", s)
	}
	return ss
}

// newSession returns a session of user n created at at, lasting 12 hours.
// Its times are at microseconds, the precision stores keep.
func newSession(n int, user string, at time.Time) *crossguard.Session {
	at = at.UTC().Truncate(time.Microsecond)
	return &crossguard.Session{ID: "session-" + hash(n)[56:], TokenHash: hash(1000 + n), User: user,
		CreatedAt: at, LastSeen: at, ExpiresAt: at.Add(12 * time.Hour), CSRF: "csrf-" + hash(n), Addr: "192.0.2.7"}
}

// mustUser creates user name with role officer, failing t on error.
func mustUser(t *testing.T, s crossguard.Store, name string, n int) *crossguard.User {
	t.Helper()
	u := NewUser(name, crossguard.RoleOfficer, T0)
	if err := s.CreateUser(t.Context(), "admin", u, hash(n)); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

// mustSession stores sess, failing t on error.
func mustSession(t *testing.T, ss crossguard.SessionStore, sess *crossguard.Session) {
	t.Helper()
	if err := ss.CreateSession(t.Context(), sess); err != nil {
		t.Fatalf("CreateSession(%s): %v", sess.ID, err)
	}
}

// wantSession fails t unless the token hash finds session want of user u
// at now.
func wantSession(t *testing.T, ss crossguard.SessionStore, tokenHash string, now time.Time, idle time.Duration, want *crossguard.Session, u *crossguard.User) {
	t.Helper()
	got, gotUser, err := ss.SessionByToken(t.Context(), tokenHash, now, idle)
	if err != nil {
		t.Fatalf("SessionByToken at %v: %v", now, err)
	}
	wantEqual(t, "session", *got, *want)
	wantEqual(t, "session's user", gotUser, u)
}

// wantNoSession fails t unless the token hash finds no session at now.
func wantNoSession(t *testing.T, ss crossguard.SessionStore, tokenHash string, now time.Time, idle time.Duration) {
	t.Helper()
	_, _, err := ss.SessionByToken(t.Context(), tokenHash, now, idle)
	wantCode(t, err, crossguard.EUNAUTHORIZED)
}

// actionLog returns the actions of the audit log in chain order.
func actionLog(t *testing.T, s crossguard.Store) []string {
	t.Helper()
	var out []string
	if err := s.WalkAudit(t.Context(), func(e *crossguard.AuditEntry) error {
		out = append(out, e.Action)
		return nil
	}); err != nil {
		t.Fatalf("WalkAudit: %v", err)
	}
	return out
}

// testSessions checks password hashes and sessions.
func testSessions(t *testing.T, open Opener) {
	t.Run("password set, read and refused", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		u := mustUser(t, s, "amina", 1)
		_, _, err := ss.PasswordHash(t.Context(), "amina")
		wantCode(t, err, crossguard.EUNAUTHORIZED) // no password yet
		const h = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA"
		if err := ss.SetPassword(t.Context(), "admin", "amina", h, T0); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		got, gotUser, err := ss.PasswordHash(t.Context(), "amina")
		if err != nil || got != h {
			t.Fatalf("PasswordHash = %q, %v; want %q", got, err, h)
		}
		wantEqual(t, "user", gotUser, u)
		_, _, err = ss.PasswordHash(t.Context(), "nobody")
		wantCode(t, err, crossguard.EUNAUTHORIZED)
		wantCode(t, ss.SetPassword(t.Context(), "admin", "nobody", h, T0), crossguard.ENOTFOUND)
		if err := s.RevokeUser(t.Context(), "admin", "amina", T0.Add(time.Hour)); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		_, _, err = ss.PasswordHash(t.Context(), "amina")
		wantCode(t, err, crossguard.EUNAUTHORIZED)
		wantCode(t, ss.SetPassword(t.Context(), "admin", "amina", h, T0), crossguard.ECONFLICT)
		wantEqual(t, "audit actions", actionLog(t, s),
			[]string{crossguard.ActionUserAdd, crossguard.ActionUserPassword, crossguard.ActionUserRevoke})
		wantChain(t, s, 3)
	})
	t.Run("session found, touched, then idle", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		u := mustUser(t, s, "amina", 1)
		sess := newSession(1, "amina", T0)
		mustSession(t, ss, sess)
		const idle = 30 * time.Minute
		want := *sess
		wantSession(t, ss, sess.TokenHash, sess.CreatedAt.Add(30*time.Second), idle, &want, u) // too soon to touch
		wantNoSession(t, ss, hash(999), sess.CreatedAt, idle)
		wantNoSession(t, ss, "", sess.CreatedAt, idle)
		at := sess.CreatedAt.Add(20 * time.Minute)
		want.LastSeen = at
		wantSession(t, ss, sess.TokenHash, at, idle, &want, u)
		at = at.Add(idle - time.Second)
		want.LastSeen = at
		wantSession(t, ss, sess.TokenHash, at, idle, &want, u)
		wantNoSession(t, ss, sess.TokenHash, at.Add(idle), idle)
		wantNoSession(t, ss, sess.TokenHash, at, 0) // forgotten once found idle
		wantEqual(t, "audit actions", actionLog(t, s), []string{crossguard.ActionUserAdd, crossguard.ActionSessionSignIn})
		e := listAudit(t, s, crossguard.AuditFilter{Action: crossguard.ActionSessionSignIn})[0]
		if e.Actor != "amina" || e.RecordKind != crossguard.AuditKindSession || e.RecordID != sess.ID || e.Detail != crossguard.AuditDetail("addr", sess.Addr) {
			t.Fatalf("sign-in audit entry %+v, want actor amina, session %s and the address", e, sess.ID)
		}
	})
	t.Run("session ends at its absolute expiry", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		u := mustUser(t, s, "amina", 1)
		sess := newSession(1, "amina", T0)
		mustSession(t, ss, sess)
		want := *sess
		at := sess.ExpiresAt.Add(-time.Minute)
		want.LastSeen = at
		wantSession(t, ss, sess.TokenHash, at, 0, &want, u)
		wantNoSession(t, ss, sess.TokenHash, sess.ExpiresAt, 0)
		wantNoSession(t, ss, sess.TokenHash, at, 0)
	})
	t.Run("expired sessions forgotten on sign-in", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		mustUser(t, s, "amina", 1)
		old := newSession(1, "amina", T0)
		mustSession(t, ss, old)
		mustSession(t, ss, newSession(2, "amina", old.ExpiresAt))
		if n, err := ss.DeleteUserSessions(t.Context(), "amina"); err != nil || n != 1 {
			t.Fatalf("DeleteUserSessions = %d, %v; want 1 (the expired session forgotten)", n, err)
		}
	})
	t.Run("revoked and unknown users have no sessions", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		mustUser(t, s, "amina", 1)
		sess := newSession(1, "amina", T0)
		mustSession(t, ss, sess)
		if err := s.RevokeUser(t.Context(), "admin", "amina", T0.Add(time.Minute)); err != nil {
			t.Fatalf("RevokeUser: %v", err)
		}
		wantNoSession(t, ss, sess.TokenHash, T0.Add(2*time.Minute), 0)
		wantCode(t, ss.CreateSession(t.Context(), newSession(2, "amina", T0.Add(3*time.Minute))), crossguard.EUNAUTHORIZED)
		wantCode(t, ss.CreateSession(t.Context(), newSession(3, "nobody", T0)), crossguard.EUNAUTHORIZED)
	})
	t.Run("a taken id or token conflicts", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		mustUser(t, s, "amina", 1)
		sess := newSession(1, "amina", T0)
		mustSession(t, ss, sess)
		sameID, sameToken := newSession(2, "amina", T0), newSession(3, "amina", T0)
		sameID.ID, sameToken.TokenHash = sess.ID, sess.TokenHash
		wantCode(t, ss.CreateSession(t.Context(), sameID), crossguard.ECONFLICT)
		wantCode(t, ss.CreateSession(t.Context(), sameToken), crossguard.ECONFLICT)
		wantChain(t, s, 2)
	})
	t.Run("sign-out, password change and ending all sessions", func(t *testing.T) {
		s := fresh(t, open)
		ss := sessionStore(t, s)
		mustUser(t, s, "amina", 1)
		mustUser(t, s, "bilal", 2)
		a1, a2, a3, b1 := newSession(1, "amina", T0), newSession(2, "amina", T0), newSession(3, "amina", T0), newSession(4, "bilal", T0)
		for _, sess := range []*crossguard.Session{a1, a2, a3, b1} {
			mustSession(t, ss, sess)
		}
		at := T0.Add(time.Minute)
		if err := ss.DeleteSession(t.Context(), "amina", a1.ID, at); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
		wantNoSession(t, ss, a1.TokenHash, at, 0)
		if err := ss.DeleteSession(t.Context(), "amina", a1.ID, at); err != nil {
			t.Fatalf("DeleteSession again: %v", err)
		}
		if err := ss.SetPassword(t.Context(), "admin", "amina", "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", at); err != nil {
			t.Fatalf("SetPassword: %v", err)
		}
		wantNoSession(t, ss, a2.TokenHash, at, 0)
		wantNoSession(t, ss, a3.TokenHash, at, 0)
		if _, _, err := ss.SessionByToken(t.Context(), b1.TokenHash, at, 0); err != nil {
			t.Fatalf("bilal's session after amina's password change: %v", err)
		}
		if n, err := ss.DeleteUserSessions(t.Context(), "bilal"); err != nil || n != 1 {
			t.Fatalf("DeleteUserSessions = %d, %v; want 1", n, err)
		}
		wantNoSession(t, ss, b1.TokenHash, at, 0)
		if n, err := ss.DeleteUserSessions(t.Context(), "bilal"); err != nil || n != 0 {
			t.Fatalf("DeleteUserSessions again = %d, %v; want 0", n, err)
		}
		wantEqual(t, "audit actions", actionLog(t, s)[2:], []string{crossguard.ActionSessionSignIn, crossguard.ActionSessionSignIn,
			crossguard.ActionSessionSignIn, crossguard.ActionSessionSignIn, crossguard.ActionSessionSignOut, crossguard.ActionUserPassword})
		e := listAudit(t, s, crossguard.AuditFilter{Action: crossguard.ActionUserPassword})[0]
		if e.Detail != crossguard.AuditDetail("sessions_ended", "2") {
			t.Fatalf("password audit detail %q, want 2 sessions ended", e.Detail)
		}
		wantChain(t, s, 8)
	})
}
