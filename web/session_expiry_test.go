package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/testnode"
	"crossguard/web"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// expiryIdle is the idle timeout of the sessions in the expiry test.
const expiryIdle = 15 * time.Minute

// expiryEnv is the web interface of a node with seizure pages and real
// sign-in (auth.Service over the node's SQLite store) on a clock the test
// moves, served on a loopback test server.
type expiryEnv struct {
	t     *testing.T
	srv   *httptest.Server
	clock *testClock
	node  *testnode.Node
}

// newExpiryEnv starts the interface with one officer, omar.
func newExpiryEnv(t *testing.T) *expiryEnv {
	t.Helper()
	st := browserStore(t, "omar", crossguard.RoleOfficer)
	clock := &testClock{now: time.Now().UTC().Truncate(time.Second)}
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	n.Clock = clock
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{Idle: expiryIdle}), Now: clock.Now}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Records: n, Now: clock.Now}))
	t.Cleanup(srv.Close)
	return &expiryEnv{t: t, srv: srv, clock: clock, node: n}
}

// client returns a client with its own cookies that does not follow
// redirects.
func (e *expiryEnv) client() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send does req with c and returns the response with its body read.
func (e *expiryEnv) send(c *http.Client, method, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res, string(b)
}

// formToken matches the CSRF token of a page's form.
var formToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token returns the CSRF token on page.
func (e *expiryEnv) token(page string) string {
	e.t.Helper()
	m := formToken.FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("no CSRF token on the page:\n%s", page)
	}
	return m[1]
}

// signIn signs c in as omar through the sign-in form.
func (e *expiryEnv) signIn(c *http.Client) {
	e.t.Helper()
	_, page := e.send(c, http.MethodGet, "/login", nil)
	res, body := e.send(c, http.MethodPost, "/login", url.Values{"csrf": {e.token(page)}, "username": {"omar"}, "password": {browserPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		e.t.Fatalf("sign in: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
}

// seizures counts the seizures the node holds.
func (e *expiryEnv) seizures() int {
	e.t.Helper()
	page, err := e.node.ListSeizures(context.Background(), "test", crossguard.SeizureFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(page.Items)
}

// expirySeizure is a complete seizure form but for its CSRF token.
func expirySeizure(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "occurred_at": {"2026-03-01T10:00"}, "country": {"PK"},
		"place.name": {"Sost dry port"}, "direction": {"import"}, "transport_mode": {"road"},
		"detection_method": {"xray"}, "concealment": {"false_compartment"},
		"goods[0].category": {"narcotics"}, "goods[0].hs": {"293911"}, "goods[0].description": {"heroin"},
		"goods[0].quantity": {"2"}, "goods[0].unit": {"kg"},
		"distribution": {"agency"}, "marking.tlp": {"amber"}, "marking.handling": {"H1"}}
}

// TestSessionExpiresWhenIdle signs in over HTTP with the real
// authentication service and store: a session used within the idle
// timeout lives on; once the clock passes the timeout the next page sends
// to the sign-in form, and the seizure form posted with the token of the
// ended session is refused, both with the ended session and after
// signing in again, and saves nothing.
func TestSessionExpiresWhenIdle(t *testing.T) {
	e := newExpiryEnv(t)
	c := e.client()
	e.signIn(c)

	res, form := e.send(c, http.MethodGet, "/seizures/new", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /seizures/new signed in: %d", res.StatusCode)
	}
	old := e.token(form)

	// Use within the idle timeout keeps the session.
	e.clock.Advance(expiryIdle - time.Minute)
	if res, _ := e.send(c, http.MethodGet, "/seizures", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /seizures %s after sign-in: %d, want 200", expiryIdle-time.Minute, res.StatusCode)
	}

	e.clock.Advance(expiryIdle + time.Second)
	res, _ = e.send(c, http.MethodGet, "/seizures", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("GET /seizures past the idle timeout: %d %s, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	before := e.seizures()
	res, body := e.send(c, http.MethodPost, "/seizures/new", expirySeizure(old))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("seizure form of the ended session: %d %s, want 303 to /login\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}

	// Signed in again, the old page's token belongs to no live session.
	e.signIn(c)
	res, body = e.send(c, http.MethodPost, "/seizures/new", expirySeizure(old))
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("seizure form with the ended session's token in a new session: %d, want 403\n%s", res.StatusCode, body)
	}
	if after := e.seizures(); after != before {
		t.Errorf("the refused forms saved seizures: %d before, %d after", before, after)
	}

	// The control: the new session's own token saves.
	_, form = e.send(c, http.MethodGet, "/seizures/new", nil)
	res, body = e.send(c, http.MethodPost, "/seizures/new", expirySeizure(e.token(form)))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/seizures/") {
		t.Errorf("seizure form with the new session's token: %d %s, want 303 to the seizure\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	if after := e.seizures(); after != before+1 {
		t.Errorf("seizures after the valid form: %d, want %d", after, before+1)
	}
}
