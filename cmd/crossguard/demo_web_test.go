package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// checkDemoWeb signs in to a demo node's web pages with the password the
// demo printed, as a newcomer would.
func checkDemoWeb(t *testing.T, out, base string) {
	t.Helper()
	m := regexp.MustCompile(`with the password (\S+) on this run`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo printed no web password:\n%s", out)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	read := func(res *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, _ := read(c.Get(base + "/"))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("GET / signed out: %d %s, want a redirect to /login", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := read(c.Get(base + "/login"))
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatalf("no CSRF token on the sign-in page:\n%s", page)
	}
	res, body := read(c.PostForm(base+"/login", url.Values{"csrf": {csrf[1]}, "username": {"demo-analyst"}, "password": {m[1]}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in with the printed password: %d\n%s", res.StatusCode, body)
	}
	res, body = read(c.Get(base + "/"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "demo-analyst") {
		t.Fatalf("GET / signed in: %d\n%s", res.StatusCode, body)
	}
}
