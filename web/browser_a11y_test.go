package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossguard/internal/browsertest"
)

// a11yPage is a page the accessibility check runs on: whom to sign in as
// ("" for signed out), its path, the status it answers, and what to do on
// it before the check.
type a11yPage struct {
	name   string
	user   string
	path   func(f *fullNode) string
	status int
	then   func(t *testing.T, b *browsertest.Browser)
}

// at returns a path function for a fixed path.
func at(path string) func(*fullNode) string { return func(*fullNode) string { return path } }

// a11yPages are the main pages of the interface. A new page is one more
// line.
var a11yPages = []a11yPage{
	{name: "login", path: at("/login")},
	{name: "dashboard", user: fullAnalyst, path: at("/")},
	{name: "seizures", user: fullAnalyst, path: at("/seizures")},
	{name: "seizure", user: fullAnalyst, path: func(f *fullNode) string { return "/seizures/" + f.seizure }},
	{name: "seizure form refused", user: fullAnalyst, path: at("/seizures/new"), then: submitEmptySeizure},
	{name: "targeting", user: fullAnalyst, path: at("/targeting")},
	{name: "declaration", user: fullAnalyst, path: func(f *fullNode) string { return "/declarations/" + f.declaration }},
	{name: "profiles", user: fullAnalyst, path: at("/profiles")},
	{name: "watch list", user: fullAnalyst, path: at("/watchlist")},
	{name: "models", user: fullAnalyst, path: at("/models")},
	{name: "operations", user: fullAnalyst, path: at("/operations")},
	{name: "operation", user: fullAnalyst, path: func(f *fullNode) string { return "/operations/" + f.op }},
	{name: "agreements", user: fullAnalyst, path: at("/agreements")},
	{name: "agreement", user: fullAnalyst, path: func(f *fullNode) string { return "/agreements/" + f.agreement }},
	{name: "activities", user: fullAnalyst, path: at("/activities")},
	{name: "peers", user: fullAdmin, path: at("/admin/peers")},
	{name: "users", user: fullAdmin, path: at("/admin/users")},
	{name: "audit", user: fullAuditor, path: at("/audit")},
	{name: "settings", user: fullAuditor, path: at("/settings")},
	{name: "profile editor", user: fullAnalyst, path: at("/profiles/new")},
}

// submitEmptySeizure sends the seizure form as it opens, so that the page
// shows every refused field.
func submitEmptySeizure(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	res := b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("the empty seizure form answered %d, want %d", res.Status, http.StatusUnprocessableEntity)
	}
}

// TestBrowserAccessibility runs axe-core's WCAG 2 A and AA rules in
// headless Chromium on each main page, in English and in right-to-left
// Urdu, and fails on any violation of serious or critical impact.
func TestBrowserAccessibility(t *testing.T) {
	b := browsertest.New(t)
	f := newFullNode(t)
	user := "-"
	for _, lang := range []string{"en", "ur"} {
		for _, p := range a11yPages {
			if p.user != user {
				if p.user == "" {
					dropCookies(b)
				} else {
					signIn(t, b, f.srv.URL, p.user)
				}
				user = p.user
			}
			path := p.path(f)
			res := b.Load(chromedp.Navigate(f.srv.URL + withLang(path, lang)))
			want := p.status
			if want == 0 {
				want = http.StatusOK
			}
			if res.Status != int64(want) {
				t.Errorf("%s (%s): GET %s answered %d, want %d", p.name, lang, path, res.Status, want)
				continue
			}
			if p.then != nil {
				p.then(t, b)
			}
			for _, v := range b.Axe(t) {
				t.Errorf("%s (%s) %s: %s", p.name, lang, path, v)
			}
		}
	}
	b.CheckOnSite(t, f.srv.URL)
}

// withLang adds the choice of language lang to path.
func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}
