package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/browsertest"
	"crossguard/sqlite"
	"crossguard/web"
)

// browserPassword is the password of the browser tests' user.
const browserPassword = "correct horse battery"

// browserStore returns a migrated SQLite store on a temporary file with
// one user of role, whose password is browserPassword.
func browserStore(t *testing.T, user, role string) *sqlite.Store {
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
	now := time.Now().UTC()
	if err := st.CreateUser(ctx, "test", &crossguard.User{Name: user, Role: role, CreatedAt: now}, "tokenhash-"+user); err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(ctx, st, "test", user, browserPassword, auth.DefaultParams, now); err != nil {
		t.Fatal(err)
	}
	return st
}

// newBrowserNode starts the web interface of a node with one analyst,
// amina, on a real SQLite database, on a loopback test server.
func newBrowserNode(t *testing.T) *httptest.Server {
	t.Helper()
	st := browserStore(t, "amina", crossguard.RoleAnalyst)
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost"}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserSignInAndUrdu signs in through the pages in headless
// Chromium: the start page sends a signed-out visitor to the sign-in form,
// a wrong password shows the error and keeps the user name as typed, the
// right one leads to the start page, and the language switcher turns it
// into right-to-left Urdu. The page asks nothing of any other host.
func TestBrowserSignInAndUrdu(t *testing.T) {
	b := browsertest.New(t)
	srv := newBrowserNode(t)

	b.Load(chromedp.Navigate(srv.URL + "/"))
	if loc := browsertest.Run(b, chromedp.Location()); loc != srv.URL+"/login" {
		t.Fatalf("signed out, / went to %s, want %s/login", loc, srv.URL)
	}
	b.Do(chromedp.WaitVisible(chromedp.ID("username")))
	b.Screenshot("login")

	// A wrong password: the form again, with the reason and the user name.
	res := b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "amina"),
		chromedp.SendKeys(chromedp.ID("password"), "wrong password!!"),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	if res.Status != http.StatusUnauthorized {
		t.Errorf("wrong password answered %d, want %d", res.Status, http.StatusUnauthorized)
	}
	if msg := browsertest.Run(b, chromedp.Text(chromedp.ID("login-error"))); msg != "The user name or password is wrong." {
		t.Errorf("error message %q", msg)
	}
	if name := browsertest.Run(b, chromedp.Value(chromedp.ID("username"))); name != "amina" {
		t.Errorf("user name after a refusal %q, want amina", name)
	}
	if pw := browsertest.Run(b, chromedp.Value(chromedp.ID("password"))); pw != "" {
		t.Errorf("the password field kept %q", pw)
	}
	if focused := browsertest.Run(b, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "password" {
		t.Errorf("after a refusal the focus is on %q, want the password", focused)
	}
	b.Screenshot("login-refused")

	// The right password, with the user name kept from the refusal.
	b.Load(
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	if loc := browsertest.Run(b, chromedp.Location()); loc != srv.URL+"/" {
		t.Fatalf("after sign-in the page is %s, want %s/", loc, srv.URL)
	}
	if who := browsertest.Run(b, chromedp.Text(chromedp.CSS("p.signedin"))); !strings.Contains(who, "amina") {
		t.Errorf("start page says %q, want the user name amina", who)
	}
	wantDocument(t, b, "en", "ltr")

	// The language switcher: Urdu, right to left, and it stays.
	b.Load(chromedp.Click(chromedp.CSS(`nav.langs a[hreflang="ur"]`)))
	wantDocument(t, b, "ur", "rtl")
	if who := browsertest.Run(b, chromedp.Text(chromedp.CSS("p.signedin"))); !strings.Contains(who, "amina") || !strings.Contains(who, "سائن اِن") {
		t.Errorf("Urdu start page says %q", who)
	}
	b.Screenshot("home-ur")
	b.Load(chromedp.Navigate(srv.URL + "/"))
	wantDocument(t, b, "ur", "rtl")

	b.CheckOnSite(t, srv.URL)
}

// wantDocument checks the language and direction of the page in b.
func wantDocument(t *testing.T, b *browsertest.Browser, lang, dir string) {
	t.Helper()
	got := browsertest.Run(b, chromedp.Evaluate[[]string](`[document.documentElement.lang, document.documentElement.dir]`))
	if len(got) != 2 || got[0] != lang || got[1] != dir {
		t.Errorf("document lang, dir = %q, want %q, %q", got, lang, dir)
	}
}
