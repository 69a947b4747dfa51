package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
	"crossguard/sqlite"
)

// nodeAuthPassword is amina's password in newNodeAuthEnv.
const nodeAuthPassword = "correct horse battery"

// newNodeAuthEnv starts the interface with a NodeAuth over a real SQLite
// database holding the analyst amina with nodeAuthPassword.
func newNodeAuthEnv(t *testing.T) (*testEnv, *NodeAuth) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "n.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, "test", &crossguard.User{Name: "amina", Role: crossguard.RoleAnalyst, CreatedAt: testNow}, "tokenhash-amina"); err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(ctx, st, "test", "amina", nodeAuthPassword, auth.DefaultParams, testNow); err != nil {
		t.Fatal(err)
	}
	na := &NodeAuth{Service: auth.New(st, auth.Options{}), Now: func() time.Time { return testNow }}
	srv := httptest.NewServer(Handler(Config{Auth: na, NodeName: "Sost", Now: func() time.Time { return testNow }}))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv}, na
}

// TestNodeAuthSignsInAgainstTheStore signs in through the pages with
// passwords stored in a real SQLite database: a wrong password, the right
// one, the page of a signed-in user, signing out, and the rate limit.
func TestNodeAuthSignsInAgainstTheStore(t *testing.T) {
	const password = nodeAuthPassword
	e, _ := newNodeAuthEnv(t)
	c := e.client()
	signIn := func(pw string) *response {
		form := e.get(c, "/login")
		return e.post(c, "/login", url.Values{"csrf": {mustCSRF(t, form)}, "username": {"amina"}, "password": {pw}})
	}

	wantStatus(t, signIn("wrong password!!"), http.StatusUnauthorized)
	res := signIn(password)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("sign in: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	home := e.get(c, "/")
	wantStatus(t, home, http.StatusOK)
	wantContains(t, home, "amina")

	out := e.post(c, "/logout", url.Values{"csrf": {mustCSRF(t, home)}})
	if out.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d\n%s", out.StatusCode, out.body)
	}
	if res := e.get(c, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("after sign-out / answers %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// Five failures per user in 15 minutes; the sixth attempt is refused
	// for a while, even with the right password.
	for range 5 {
		wantStatus(t, signIn("wrong password!!"), http.StatusUnauthorized)
	}
	limited := signIn(password)
	wantStatus(t, limited, http.StatusTooManyRequests)
	if limited.Header.Get("Retry-After") == "" {
		t.Fatal("a rate-limited sign-in has no Retry-After")
	}
}

// TestNodeAuthCSRF checks the form tokens of sessions signed in against
// the store: each session's forms carry its own secret, and a post with
// another session's token, a prefix of the right one or none is refused
// and changes nothing.
func TestNodeAuthCSRF(t *testing.T) {
	e, na := newNodeAuthEnv(t)
	signIn := func() (*http.Client, *Session) {
		c := e.client()
		form := e.get(c, "/login")
		res := e.post(c, "/login", url.Values{"csrf": {mustCSRF(t, form)}, "username": {"amina"}, "password": {nodeAuthPassword}})
		wantStatus(t, res, http.StatusSeeOther)
		u, err := url.Parse(e.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == SessionCookie {
				sess, err := na.Session(t.Context(), ck.Value)
				if err != nil {
					t.Fatal(err)
				}
				return c, sess
			}
		}
		t.Fatal("no session cookie after signing in")
		return nil, nil
	}
	c, sess := signIn()
	_, other := signIn()
	good := na.CSRFToken(sess)
	if got := mustCSRF(t, e.get(c, "/")); got != good {
		t.Fatalf("the page's form token %q is not the session's %q", got, good)
	}
	if len(good) < 43 || good == na.CSRFToken(other) {
		t.Fatalf("form tokens %q and %q: want 32 random bytes per session", good, na.CSRFToken(other))
	}

	for _, tt := range []struct {
		name  string
		token string
		ok    bool
	}{
		{"own token accepted", good, true},
		{"other session's token refused", na.CSRFToken(other), false},
		{"prefix refused", good[:20], false},
		{"empty token refused", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := na.CheckCSRF(sess, tt.token); got != tt.ok {
				t.Errorf("CheckCSRF = %v, want %v", got, tt.ok)
			}
		})
	}
	if na.CheckCSRF(&Session{Username: "amina"}, "") || na.CheckCSRF(nil, good) {
		t.Error("a session without a secret accepts a token")
	}

	for _, bad := range []url.Values{{"csrf": {na.CSRFToken(other)}}, {"csrf": {good[:20]}}, {}} {
		wantStatus(t, e.post(c, "/logout", bad), http.StatusForbidden)
	}
	wantStatus(t, e.get(c, "/"), http.StatusOK) // still signed in
	wantStatus(t, e.post(c, "/logout", url.Values{"csrf": {good}}), http.StatusSeeOther)
	if res := e.get(c, "/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after sign-out / answers %d", res.StatusCode)
	}
}
