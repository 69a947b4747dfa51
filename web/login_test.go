package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestHomeRedirectsSignedOutToLogin(t *testing.T) {
	e := newTestEnv(t)
	res := e.get(e.client(), "/")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login" {
		t.Errorf("Location = %q, want /login", loc)
	}
}

func TestLoginSucceeds(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	form := e.get(c, "/login")
	wantStatus(t, form, http.StatusOK)
	wantContains(t, form, `name="username"`, `name="password"`, `<label for="username">`, `<label for="password">`)

	res := e.post(c, "/login", url.Values{
		"csrf": {mustCSRF(t, form)}, "username": {"alice"}, "password": {"correct horse"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == SessionCookie {
			session = ck
		}
	}
	if session == nil {
		t.Fatalf("no %s cookie set: %v", SessionCookie, res.Header["Set-Cookie"])
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/" {
		t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Strict, Path=/", session)
	}
	if session.Secure {
		t.Errorf("session cookie is Secure on plain HTTP over loopback; the browser would drop it")
	}

	home := e.get(c, "/")
	wantStatus(t, home, http.StatusOK)
	wantContains(t, home, "Signed in as alice (analyst).", "Khunjerab", `action="/logout"`, "Sign out", "2 March 2026")

	again := e.get(c, "/login")
	wantStatus(t, again, http.StatusSeeOther)
}

func TestLoginRefusals(t *testing.T) {
	tests := []struct {
		name     string
		user     string
		password string
		err      error
		status   int
		message  string
	}{
		{"wrong password", "alice", "hunter2xyz", nil, http.StatusUnauthorized, "The user name or password is wrong."},
		{"unknown user", "mallory", "correct horse", nil, http.StatusUnauthorized, "The user name or password is wrong."},
		{"missing password", "alice", "", nil, http.StatusUnprocessableEntity, "Enter your user name and password."},
		{"rate limited", "alice", "correct horse", ErrRateLimited, http.StatusTooManyRequests, "Too many sign-in attempts. Wait a few minutes"},
		{"rate limited with wait", "alice", "correct horse", &RateLimitError{RetryAfter: 90 * time.Second}, http.StatusTooManyRequests, "Try again in 2 min."},
		{"store down", "alice", "correct horse", errStoreDown, http.StatusServiceUnavailable, "Signing in is not possible right now."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.auth.signInErr = tt.err
			c := e.client()
			form := e.get(c, "/login")
			res := e.post(c, "/login", url.Values{
				"csrf": {mustCSRF(t, form)}, "username": {tt.user}, "password": {tt.password},
			})
			wantStatus(t, res, tt.status)
			wantContains(t, res, tt.message, `value="`+tt.user+`"`, `role="alert"`, `aria-invalid="true"`)
			if tt.password != "" && strings.Contains(res.body, tt.password) {
				t.Errorf("page echoes the password")
			}
			if strings.Contains(res.body, "database") {
				t.Errorf("page leaks the internal error")
			}
			if e.auth.sessionCount() != 0 {
				t.Errorf("a session was created")
			}
			mustCSRF(t, res) // the form can be posted again
		})
	}
}

func TestLoginRateLimitSetsRetryAfter(t *testing.T) {
	e := newTestEnv(t)
	e.auth.signInErr = &RateLimitError{RetryAfter: 90 * time.Second}
	c := e.client()
	form := e.get(c, "/login")
	res := e.post(c, "/login", url.Values{
		"csrf": {mustCSRF(t, form)}, "username": {"alice"}, "password": {"x"},
	})
	if got := res.Header.Get("Retry-After"); got != "90" {
		t.Errorf("Retry-After = %q, want 90", got)
	}
}

func TestLoginRefusesWithoutCSRF(t *testing.T) {
	tests := []struct {
		name   string
		token  func(form *response) string
		fresh  bool // post from a client that never loaded the form
		header []string
	}{
		{"no token", func(*response) string { return "" }, false, nil},
		{"wrong token", func(*response) string { return "forged" }, false, nil},
		{"token without its cookie", func(f *response) string { return csrfPattern.FindStringSubmatch(f.body)[1] }, true, nil},
		{"cross-site post", func(f *response) string { return csrfPattern.FindStringSubmatch(f.body)[1] }, false,
			[]string{"Sec-Fetch-Site", "cross-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			c := e.client()
			form := e.get(c, "/login")
			if tt.fresh {
				c = e.client()
			}
			res := e.post(c, "/login", url.Values{
				"csrf": {tt.token(form)}, "username": {"alice"}, "password": {"correct horse"},
			}, tt.header...)
			wantStatus(t, res, http.StatusForbidden)
			if e.auth.attemptCount() != 0 || e.auth.sessionCount() != 0 {
				t.Errorf("sign-in attempted despite the CSRF refusal")
			}
		})
	}
}

func TestLogout(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	home := e.get(c, "/")

	t.Run("refused without token", func(t *testing.T) {
		res := e.post(c, "/logout", url.Values{"csrf": {"forged"}})
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "The form had expired.")
		if e.auth.sessionCount() != 1 {
			t.Errorf("session ended without a valid token")
		}
	})
	t.Run("ends the session", func(t *testing.T) {
		res := e.post(c, "/logout", url.Values{"csrf": {mustCSRF(t, home)}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/login" {
			t.Errorf("Location = %q, want /login", loc)
		}
		if e.auth.sessionCount() != 0 {
			t.Errorf("session still alive")
		}
		wantStatus(t, e.get(c, "/"), http.StatusSeeOther)
	})
}

func TestExpiredSessionGoesToLogin(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	e.auth.mu.Lock()
	clear(e.auth.sessions)
	e.auth.mu.Unlock()
	res := e.get(c, "/")
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, e.get(c, "/login"), http.StatusOK)
}

func TestNotFoundPage(t *testing.T) {
	e := newTestEnv(t)
	res := e.get(e.client(), "/no/such/page")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, res, "This page does not exist.", `<html lang="en" dir="ltr">`)
}

func TestHandlerPanicsWithoutAuthenticator(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Handler accepted a config without an Authenticator")
		}
	}()
	Handler(Config{})
}
