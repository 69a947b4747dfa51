package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
	"crossguard/sqlite"
)

// settingsEnv is an interface whose sessions and settings are those of a
// real SQLite store, through NodeAuth: amina (analyst) reads in Urdu, li
// (officer) has no language.
type settingsEnv struct {
	*testEnv
	store *sqlite.Store
}

// settingsPassword is the password of the settings tests' users.
const settingsPassword = "correct horse battery"

// newSettingsEnv starts the interface over a fresh SQLite store.
func newSettingsEnv(t *testing.T) *settingsEnv {
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
	cheap := auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}
	for i, u := range []*crossguard.User{
		{Name: "amina", Role: crossguard.RoleAnalyst, CreatedAt: testNow, Language: "ur"},
		{Name: "li", Role: crossguard.RoleOfficer, CreatedAt: testNow},
	} {
		if err := st.CreateUser(ctx, "test", u, "tokenhash-"+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPassword(ctx, st, "test", u.Name, settingsPassword, cheap, testNow); err != nil {
			t.Fatal(err)
		}
	}
	na := &NodeAuth{Service: auth.New(st, auth.Options{Params: cheap}), Now: func() time.Time { return testNow }}
	srv := httptest.NewServer(Handler(Config{Auth: na, NodeName: "Sost", Settings: st, Now: func() time.Time { return testNow }}))
	t.Cleanup(srv.Close)
	return &settingsEnv{testEnv: &testEnv{t: t, srv: srv}, store: st}
}

// signIn returns a client signed in as user.
func (e *settingsEnv) signIn(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	form := e.get(c, "/login")
	res := e.post(c, "/login", url.Values{"csrf": {mustCSRF(e.t, form)}, "username": {user}, "password": {settingsPassword}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in %s: %d\n%s", user, res.StatusCode, res.body)
	}
	return c
}

// language returns the stored language of user.
func (e *settingsEnv) language(user string) string {
	e.t.Helper()
	users, err := e.store.Users(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, u := range users {
		if u.Name == user {
			return u.Language
		}
	}
	e.t.Fatalf("no user %s", user)
	return ""
}

func TestUserLanguageComesWithTheSession(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.signIn("amina")
	// No ?lang=, no cookie, a browser asking for Chinese: her setting wins.
	res := e.get(c, "/", "Accept-Language", "zh-CN")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, `<html lang="ur" dir="rtl">`, `href="/settings"`)
	// ?lang= switches this page and the rest of this session.
	wantContains(t, e.get(c, "/?lang=en"), `<html lang="en" dir="ltr">`)
	wantContains(t, e.get(c, "/"), `<html lang="en" dir="ltr">`)
	// A new session of hers, in a browser someone left in Chinese, is in
	// Urdu again: the earlier choice belonged to the earlier session.
	other := e.signIn("amina")
	u, _ := url.Parse(e.srv.URL)
	other.Jar.SetCookies(u, []*http.Cookie{{Name: langCookie, Value: "zh", Path: "/"}})
	wantContains(t, e.get(other, "/"), `<html lang="ur" dir="rtl">`)
	// Someone without a setting follows the cookie, then the browser.
	li := e.signIn("li")
	wantContains(t, e.get(li, "/", "Accept-Language", "zh-CN"), `<html lang="zh"`)
	li.Jar.SetCookies(u, []*http.Cookie{{Name: langCookie, Value: "ur", Path: "/"}})
	wantContains(t, e.get(li, "/", "Accept-Language", "zh-CN"), `<html lang="ur"`)
}

func TestSettingsPage(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.signIn("li")
	wantStatus(t, e.get(e.client(), "/settings"), http.StatusSeeOther)
	page := e.get(c, "/settings?back=/activities")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, `action="/settings"`, `name="language" value="zh"`, `lang="zh">简体中文`, `lang="ur">اردو`,
		`value="" checked`, "Follow the browser", `name="back" value="/activities"`)
	tok := mustCSRF(t, page)

	wantStatus(t, e.post(c, "/settings", url.Values{"csrf": {"forged"}, "language": {"zh"}}), http.StatusForbidden)
	wantStatus(t, e.post(c, "/settings", url.Values{"language": {"zh"}}), http.StatusForbidden)
	bad := e.post(c, "/settings", url.Values{"csrf": {tok}, "language": {"fr"}})
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad, `id="language-error"`, "Choose one of the languages listed.")
	if got := e.language("li"); got != "" {
		t.Fatalf("refused posts set the language to %q", got)
	}

	res := e.post(c, "/settings", url.Values{"csrf": {tok}, "language": {"zh"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/settings?saved=1" {
		t.Fatalf("Location %q, want /settings?saved=1", loc)
	}
	wantContains(t, e.get(c, "/settings?saved=1"), `<html lang="zh"`, "您的设置已保存。", `value="zh" checked`)
	wantContains(t, e.get(c, "/"), `<html lang="zh"`)
	if got := e.language("li"); got != "zh" {
		t.Fatalf("stored language %q, want zh", got)
	}

	// Back to the page she came from, without a ?lang= that would hide
	// the new setting; an address elsewhere is not followed.
	for back, want := range map[string]string{"/activities?lang=en&month=2026-03": "/activities?month=2026-03",
		"https://evil.example/": "/settings?saved=1", "//evil.example/": "/settings?saved=1"} {
		res := e.post(c, "/settings", url.Values{"csrf": {tok}, "language": {"ur"}, "back": {back}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != want {
			t.Errorf("back %q: %d to %q, want 303 to %q", back, res.StatusCode, loc, want)
		}
	}
	wantContains(t, e.get(c, "/"), `<html lang="ur" dir="rtl">`)
	// A ?lang= of this session gives way to a setting saved after it.
	e.get(c, "/?lang=en")
	wantStatus(t, e.post(c, "/settings", url.Values{"csrf": {tok}, "language": {"zh"}}), http.StatusSeeOther)
	wantContains(t, e.get(c, "/"), `<html lang="zh"`)
	// Following the browser again clears the setting.
	wantStatus(t, e.post(c, "/settings", url.Values{"csrf": {tok}, "language": {""}}), http.StatusSeeOther)
	if got := e.language("li"); got != "" {
		t.Fatalf("stored language %q after choosing the browser's", got)
	}
	wantContains(t, e.get(c, "/", "Accept-Language", "en"), `<html lang="en"`)

	var changes []string
	if err := e.store.WalkAudit(context.Background(), func(a *crossguard.AuditEntry) error {
		if a.Action == crossguard.ActionUserLanguage {
			changes = append(changes, a.Actor+" "+a.Detail)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(changes) != 6 || !strings.HasPrefix(changes[0], `li language="zh"`) {
		t.Errorf("language changes audited: %q", changes)
	}
}

func TestSettingsWithoutAStore(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	page := e.get(c, "/settings")
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "This node keeps no personal settings")
	wantStatus(t, e.post(c, "/settings", url.Values{"csrf": {mustCSRF(t, page)}, "language": {"zh"}}), http.StatusNotFound)
}

// memSettings is an in-memory Config.Settings for the access tests: it
// counts the changes so that an accepted post shows in the state.
type memSettings struct {
	mu      sync.Mutex
	changes int
}

// SetUserLanguage implements crossguard.UserLanguageStore.
func (m *memSettings) SetUserLanguage(ctx context.Context, actor, name, lang string, at time.Time) error {
	if err := crossguard.CheckUserLanguage(lang); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.changes++
	return nil
}

// count returns how many changes were made.
func (m *memSettings) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changes
}
