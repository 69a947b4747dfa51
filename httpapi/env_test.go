package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/syncbuf"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
)

// testNow is the fixed clock of every test node.
var testNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// testEnv is a node on a real SQLite database in a temporary directory,
// one user per role, and the API served on loopback.
type testEnv struct {
	store  crossguard.Store
	node   *testnode.Node
	server *Server
	url    string
	tokens map[string]string // by role; each role's user is named after it
	logs   *syncbuf.Buffer
}

// newTestEnv starts a test environment; it is torn down with the test.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvOn(t, openSQLite(t))
}

// newTestEnvOn is newTestEnv over store, a fresh migrated store of
// either database.
func newTestEnvOn(t testing.TB, store crossguard.Store) *testEnv {
	t.Helper()
	e := newTestNodeOn(t, store)
	ts := httptest.NewServer(e.server.Handler())
	t.Cleanup(ts.Close)
	e.url = ts.URL
	return e
}

// openSQLite opens a fresh, migrated SQLite store in a temporary
// directory, closed with the test.
func openSQLite(t testing.TB) crossguard.Store {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "db.sqlite"), sqlite.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return store
}

// newTestNode builds the node, store, users and Server of a test
// environment without serving it.
func newTestNode(t testing.TB) *testEnv {
	t.Helper()
	return newTestNodeOn(t, openSQLite(t))
}

// newTestNodeOn is newTestNode over store.
func newTestNodeOn(t testing.TB, store crossguard.Store) *testEnv {
	t.Helper()
	ctx := context.Background()
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK",
		Name: "Pakistan Customs, Sost dry port", PublicKey: "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=", CreatedAt: testNow}
	if err := store.InitNode(ctx, &info); err != nil {
		t.Fatalf("init node: %v", err)
	}
	logs := &syncbuf.Buffer{}
	n := testnode.New(info, store, nil)
	n.Clock = crossguard.FixedClock(testNow)
	e := &testEnv{store: store, node: n, tokens: map[string]string{}, logs: logs}
	for _, role := range crossguard.Roles {
		token, err := n.AddUser(ctx, "test", role, role)
		if err != nil {
			t.Fatalf("add user %s: %v", role, err)
		}
		e.tokens[role] = token
	}
	e.server = New(servicesOf(n), newTextLogger(logs))
	return e
}

// response is a response read in full.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// request describes a request for testEnv.do. A non-empty Body is sent as
// application/json unless Header sets another Content-Type.
type request struct {
	Method string
	Path   string
	Token  string
	Body   string
	Header map[string]string
}

// do sends req to the test server and reads the whole response.
func (e *testEnv) do(t testing.TB, req request) *response {
	t.Helper()
	res, err := e.send(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// send is do for goroutines other than the test's: it returns errors.
func (e *testEnv) send(req request) (*response, error) {
	var body io.Reader
	if req.Body != "" {
		body = strings.NewReader(req.Body)
	}
	r, err := http.NewRequest(req.Method, e.url+req.Path, body)
	if err != nil {
		return nil, fmt.Errorf("new request: %w", err)
	}
	if req.Token != "" {
		r.Header.Set("Authorization", "Bearer "+req.Token)
	}
	if req.Body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range req.Header {
		r.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.Method, clip(req.Path, 60), err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("read response of %s %s: %w", req.Method, clip(req.Path, 60), err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: b}, nil
}

// want fails the test unless the response has the status.
func (r *response) want(t testing.TB, status int) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	return r
}

// decode decodes the JSON body into v.
func (r *response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// seizure decodes the body as a seizure.
func (r *response) seizure(t testing.TB) *crossguard.Seizure {
	t.Helper()
	var s crossguard.Seizure
	r.decode(t, &s)
	return &s
}

// apiError decodes an error body, checking its documented shape.
func (r *response) apiError(t testing.TB) errorDetail {
	t.Helper()
	if err := checkErrorShape(r.Status, r.Body); err != nil {
		t.Fatalf("error body of status %d: %v; body: %s", r.Status, err, r.Body)
	}
	var b errorBody
	r.decode(t, &b)
	return b.Error
}

// wantError fails unless the response is an error with status, code and,
// if field is not empty, a field error for that field.
func (r *response) wantError(t testing.TB, status int, code, field string) errorDetail {
	t.Helper()
	r.want(t, status)
	d := r.apiError(t)
	if d.Code != code {
		t.Fatalf("error code %q, want %q; body: %s", d.Code, code, r.Body)
	}
	if field != "" && !slices.ContainsFunc(d.Fields, func(f crossguard.FieldError) bool { return f.Field == field }) {
		t.Fatalf("no field error for %q; body: %s", field, r.Body)
	}
	return d
}

// mustCreate stores a seizure through the node (not the API) from JSON,
// changed by edit if not nil, and returns it.
func (e *testEnv) mustCreate(t testing.TB, body string, edit func(*crossguard.Seizure)) *crossguard.Seizure {
	t.Helper()
	var s crossguard.Seizure
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("decode seizure: %v", err)
	}
	if edit != nil {
		edit(&s)
	}
	out, err := e.node.CreateSeizure(context.Background(), "test", &s)
	if err != nil {
		t.Fatalf("create seizure: %v", err)
	}
	return out
}

// auditCount returns the number of audit entries of action by actor.
func (e *testEnv) auditCount(t testing.TB, actor, action string) int {
	t.Helper()
	page, err := e.store.ListAudit(context.Background(), crossguard.AuditFilter{Actor: actor, Action: action, Limit: crossguard.MaxPageSize})
	if err != nil {
		t.Fatalf("list audit: %v", err)
	}
	return len(page.Items)
}

// newTextLogger returns a logger writing text lines to w.
func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}

// servicesOf is what the API of the test node n serves, wired as the
// command line wires a serving node's.
func servicesOf(n *testnode.Node) Services {
	return Services{Info: n.Info, Clock: n.Clock, Seizures: n.Sharing, Peers: n.Sharing, Cooperation: n.Cooperation,
		Targeting: n.Targeting, Users: n.Admin, Audit: n.Store, Health: n.Store, Metrics: n.Store}
}
