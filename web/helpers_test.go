package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, time.March, 2, 9, 30, 0, 0, time.UTC)

// testEnv is a web interface on a loopback test server.
type testEnv struct {
	t    *testing.T
	auth *fakeAuth
	srv  *httptest.Server
}

// newTestEnv starts the interface of node "Khunjerab" with a fakeAuth.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	auth := newFakeAuth()
	h := Handler(Config{
		Auth:     auth,
		NodeName: "Khunjerab",
		Now:      func() time.Time { return testNow },
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, auth: auth, srv: srv}
}

// client returns a browser-like client with its own cookie jar that does
// not follow redirects.
func (e *testEnv) client() *http.Client {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

// do sends req with c and reads the whole response.
func (e *testEnv) do(c *http.Client, req *http.Request) *response {
	e.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read %s: %v", req.URL, err)
	}
	return &response{Response: res, body: string(b)}
}

// get fetches path with c.
func (e *testEnv) get(c *http.Client, path string, header ...string) *response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(c, req)
}

// post submits form to path with c.
func (e *testEnv) post(c *http.Client, path string, form url.Values, header ...string) *response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+path,
		strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(c, req)
}

// csrfPattern finds the CSRF token of a form.
var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// mustCSRF returns the CSRF token of the page's form.
func mustCSRF(t *testing.T, r *response) string {
	t.Helper()
	m := csrfPattern.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", r.body)
	}
	return m[1]
}

// mustSignIn signs c in as user with the right password.
func (e *testEnv) mustSignIn(c *http.Client, user string) {
	e.t.Helper()
	form := e.get(c, "/login")
	res := e.post(c, "/login", url.Values{
		"csrf": {mustCSRF(e.t, form)}, "username": {user}, "password": {"correct horse"},
	})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		e.t.Fatalf("sign in %s: %d %s\n%s", user, res.StatusCode, res.Header.Get("Location"), res.body)
	}
}

// wantStatus fails unless r has the status.
func wantStatus(t *testing.T, r *response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
}

// wantContains fails unless r's body contains each of subs.
func wantContains(t *testing.T, r *response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s %s: body lacks %q\n%s", r.Request.Method, r.Request.URL, s, r.body)
		}
	}
}

// urlValues builds a form from key, value pairs.
func urlValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
