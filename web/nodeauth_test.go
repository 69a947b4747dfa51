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

// TestNodeAuthSignsInAgainstTheStore signs in through the pages with
// passwords stored in a real SQLite database: a wrong password, the right
// one, the page of a signed-in user, signing out, and the rate limit.
func TestNodeAuthSignsInAgainstTheStore(t *testing.T) {
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
	const password = "correct horse battery"
	if err := auth.SetPassword(ctx, st, "test", "amina", password, auth.DefaultParams, testNow); err != nil {
		t.Fatal(err)
	}
	na := &NodeAuth{Service: auth.New(st, auth.Options{}), Now: func() time.Time { return testNow }}
	srv := httptest.NewServer(Handler(Config{Auth: na, NodeName: "Sost", Now: func() time.Time { return testNow }}))
	t.Cleanup(srv.Close)
	e := &testEnv{t: t, srv: srv}
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
