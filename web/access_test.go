package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"crossguard"
)

// expiringAuth is a fakeAuth whose sessions can be marked expired: the
// session of an expired token is reported as ErrNoSession, as an
// Authenticator reports a session past its idle timeout.
type expiringAuth struct {
	*fakeAuth
	mu      sync.Mutex
	expired map[string]bool
}

// Session returns ErrNoSession for an expired token.
func (a *expiringAuth) Session(ctx context.Context, token string) (*Session, error) {
	a.mu.Lock()
	gone := a.expired[token]
	a.mu.Unlock()
	if gone {
		return nil, fmt.Errorf("session: %w", ErrNoSession)
	}
	return a.fakeAuth.Session(ctx, token)
}

// expire marks token expired.
func (a *expiringAuth) expire(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expired[token] = true
}

// accessEnv is one interface serving every page: the records of
// newSeizureEnv's node, the targeting of newTargetingEnv's, the joint
// operations and programme of newCooperationEnv's and the administration of
// newAdminEnv's, signed in through an expiringAuth that knows one user of
// each role.
type accessEnv struct {
	*testEnv
	auth *expiringAuth
	se   *seizureEnv
	te   *targetingEnv
	ce   *cooperationEnv
	ae   *adminEnv
	// settings counts the language changes of the settings page.
	settings *memSettings
}

// accessUsers maps each role to the user of that role.
var accessUsers = map[string]string{
	crossguard.RoleAdmin:   "ada",
	crossguard.RoleAnalyst: "alice",
	crossguard.RoleOfficer: "bilal",
	crossguard.RoleAuditor: "aude",
}

// signedOut is the role column of a visitor with no session.
const signedOut = "signed out"

// accessRoles are the columns of the access tables.
var accessRoles = []string{crossguard.RoleAdmin, crossguard.RoleAnalyst, crossguard.RoleOfficer, crossguard.RoleAuditor, signedOut}

// newAccessEnv starts the interface with every page.
func newAccessEnv(t *testing.T) *accessEnv {
	t.Helper()
	e := &accessEnv{se: newSeizureEnv(t), te: newTargetingEnv(t), ce: newCooperationEnv(t), ae: newAdminEnv(t), settings: &memSettings{}}
	fa := newFakeAuth()
	fa.users["ada"] = fakeUser{password: "correct horse", role: crossguard.RoleAdmin}
	fa.users["aude"] = fakeUser{password: "correct horse", role: crossguard.RoleAuditor}
	e.auth = &expiringAuth{fakeAuth: fa, expired: make(map[string]bool)}
	srv := httptest.NewServer(Handler(Config{
		Auth: e.auth, NodeName: "Sost", NodeID: seizureNodeID,
		Records: e.se.node, Targeting: e.te.node, Cooperation: e.ce.node, Admin: NodeAdmin{PeerAdmin: e.ae.node.Sharing, UserAdmin: e.ae.node.Admin},
		Dashboard: NodeDashboard{Partners: e.se.node, Risk: e.se.node, Now: e.se.node.Clock.Now}, Settings: e.settings, Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	e.testEnv = &testEnv{t: t, auth: fa, srv: srv}
	return e
}

// clientAs returns a client signed in with role, or one with no session.
func (e *accessEnv) clientAs(role string) *http.Client {
	e.t.Helper()
	c := e.client()
	if role != signedOut {
		e.mustSignIn(c, accessUsers[role])
	}
	return c
}

// sessionToken returns the session token in c's cookie jar.
func (e *accessEnv) sessionToken(c *http.Client) string {
	e.t.Helper()
	u, err := url.Parse(e.srv.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == SessionCookie {
			return k.Value
		}
	}
	e.t.Fatal("no session cookie")
	return ""
}

// state describes the data the forms change, so that a refused post can be
// shown to have changed nothing.
func (e *accessEnv) state() string {
	e.t.Helper()
	ctx := context.Background()
	page, err := e.se.node.ListSeizures(ctx, "test", crossguard.SeizureFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	pistols, err := e.se.node.Seizure(ctx, "test", e.se.ids["pistols"])
	if err != nil {
		e.t.Fatal(err)
	}
	ws, err := e.ce.node.Warnings(ctx, "test", e.ce.op)
	if err != nil {
		e.t.Fatal(err)
	}
	entry, err := e.te.node.DeclarationEntry(ctx, e.te.both)
	if err != nil {
		e.t.Fatal(err)
	}
	inspection := "none"
	if in := entry.Inspection; in != nil {
		inspection = in.Result + "/" + in.Notes
	}
	ms, err := e.te.node.Models(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	var active int64
	for _, m := range ms {
		if m.Active {
			active = m.Version
		}
	}
	return fmt.Sprintf("seizures=%d pistols=v%d warnings=%d inspection=%s model=%d %s %s",
		len(page.Items), pistols.Version, len(ws), inspection, active, e.profileState(), e.cooperationState())
}

// accessGet is one GET page and its expected status for each signed-in
// role; signed out is always a redirect to the sign-in form.
type accessGet struct {
	path string
	want map[string]int
}

// Shorthands for the tables.
const (
	ok  = http.StatusOK
	no  = http.StatusForbidden
	see = http.StatusSeeOther
)

// everyone returns the same status for every role.
func everyone(status int) map[string]int {
	return map[string]int{crossguard.RoleAdmin: status, crossguard.RoleAnalyst: status,
		crossguard.RoleOfficer: status, crossguard.RoleAuditor: status}
}

// getPages is the matrix of GET pages, written from role.go: admin holds
// read, delete, admin; analyst read, write, delete, target; officer read,
// write; auditor read, audit. Reading pages need only a session; the
// seizure forms need write; peers and users need admin; the audit log
// needs audit.
func (e *accessEnv) getPages() []accessGet {
	pistols := "/seizures/" + e.se.ids["pistols"]
	writers := map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: ok, crossguard.RoleOfficer: ok, crossguard.RoleAuditor: no}
	admins := map[string]int{crossguard.RoleAdmin: ok, crossguard.RoleAnalyst: no, crossguard.RoleOfficer: no, crossguard.RoleAuditor: no}
	auditors := map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: no, crossguard.RoleOfficer: no, crossguard.RoleAuditor: ok}
	return append([]accessGet{
		{"/", everyone(ok)},
		{"/seizures", everyone(ok)},
		{pistols, everyone(ok)},
		{"/seizures/" + e.se.ids["methamphetamine tablets"], everyone(ok)},
		{"/seizures/new", writers},
		{pistols + "/edit", writers},
		{"/hs?q=2939", everyone(ok)},
		{"/targeting", everyone(ok)},
		// The look-up form sends every role on to the declaration's page.
		{"/declarations?id=" + e.te.both, everyone(see)},
		{"/declarations/" + e.te.both, everyone(ok)},
		{"/profiles", everyone(ok)},
		{"/watchlist", everyone(ok)},
		{"/models", everyone(ok)},
		{"/operations", everyone(ok)},
		{"/operations/" + e.ce.op, everyone(ok)},
		{"/agreements", everyone(ok)},
		{"/agreements/" + e.ce.agreement, everyone(ok)},
		{"/activities", everyone(ok)},
		{"/admin/peers", admins},
		{"/admin/users", admins},
		{"/audit", auditors},
	}, append(e.profilePages(), e.cooperationPages()...)...)
}

// accessPost is one form, the body it posts with a token, and the status
// a valid token gets for each signed-in role.
type accessPost struct {
	name string
	path string
	form func(csrf, role string) url.Values
	want map[string]int
}

// postForms is the matrix of forms: seizures, inspections and warnings
// need write; model activation needs target (analysts only); the audit
// check needs audit (auditors only) and shows its result on the page.
func (e *accessEnv) postForms() []accessPost {
	pistols := "/seizures/" + e.se.ids["pistols"]
	writers := map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: see, crossguard.RoleOfficer: see, crossguard.RoleAuditor: no}
	return append([]accessPost{
		{"create seizure", "/seizures/new", func(csrf, role string) url.Values { return validSeizureForm(csrf) }, writers},
		{"edit seizure", pistols + "/edit", func(csrf, role string) url.Values {
			z, err := e.se.node.Seizure(context.Background(), "test", e.se.ids["pistols"])
			if err != nil {
				e.t.Fatal(err)
			}
			v := validSeizureForm(csrf)
			v.Set("version", fmt.Sprint(z.Version))
			return v
		}, writers},
		{"record inspection", "/declarations/" + e.te.both + "/inspection", func(csrf, role string) url.Values {
			return url.Values{"csrf": {csrf}, "result": {"irregularity"}, "notes": {"by " + role}}
		}, writers},
		{"activate model", "/models/2/activate", func(csrf, role string) url.Values { return url.Values{"csrf": {csrf}} },
			map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: see, crossguard.RoleOfficer: no, crossguard.RoleAuditor: no}},
		{"send warning", "/operations/" + e.ce.op + "/warnings", func(csrf, role string) url.Values { return warningPost(csrf) }, writers},
		{"verify audit", "/audit/verify", func(csrf, role string) url.Values { return url.Values{"csrf": {csrf}} },
			map[string]int{crossguard.RoleAdmin: no, crossguard.RoleAnalyst: no, crossguard.RoleOfficer: no, crossguard.RoleAuditor: ok}},
	}, append(e.profileForms(), e.cooperationForms()...)...)
}

// wantLogin fails unless r redirects to the sign-in form.
func wantLogin(t *testing.T, r *response) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("%s %s: %d to %q, want 303 to /login", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.Header.Get("Location"))
	}
}

func TestAccessPagesByRole(t *testing.T) {
	e := newAccessEnv(t)
	clients := map[string]*http.Client{}
	for _, role := range accessRoles {
		clients[role] = e.clientAs(role)
	}
	for _, p := range e.getPages() {
		for _, role := range accessRoles {
			t.Run(p.path+"/"+role, func(t *testing.T) {
				res := e.get(clients[role], p.path)
				if role == signedOut {
					wantLogin(t, res)
					return
				}
				if res.StatusCode != p.want[role] {
					t.Errorf("GET %s as %s: status %d, want %d", p.path, role, res.StatusCode, p.want[role])
				}
				if loc := res.Header.Get("Location"); res.StatusCode == see && loc == "/login" {
					t.Errorf("GET %s as %s: sent to sign in", p.path, role)
				}
			})
		}
	}
}

func TestAccessFormsByRoleAndToken(t *testing.T) {
	e := newAccessEnv(t)
	clients := map[string]*http.Client{}
	tokens := map[string]string{}
	for _, role := range accessRoles {
		clients[role] = e.clientAs(role)
		if role != signedOut {
			tokens[role] = mustCSRF(t, e.get(clients[role], "/"))
		}
	}
	for _, f := range e.postForms() {
		for _, role := range accessRoles {
			for _, tok := range []struct{ name, value string }{
				{"missing", ""}, {"forged", "forged"}, {"other user's", tokens[crossguard.RoleAnalyst]}, {"valid", tokens[role]},
			} {
				if tok.name == "other user's" && role == crossguard.RoleAnalyst {
					continue
				}
				t.Run(f.name+"/"+role+"/"+tok.name, func(t *testing.T) {
					before := e.state()
					form := f.form(tok.value, role)
					if tok.value == "" {
						form.Del("csrf")
					}
					res := e.post(clients[role], f.path, form)
					switch {
					case role == signedOut:
						wantLogin(t, res)
					case tok.name == "valid":
						if res.StatusCode != f.want[role] {
							t.Fatalf("POST %s as %s: status %d, want %d\n%s", f.path, role, res.StatusCode, f.want[role], res.body)
						}
						if res.StatusCode == see {
							if after := e.state(); after == before {
								t.Errorf("accepted POST %s as %s changed nothing: %s", f.path, role, after)
							}
							return
						}
						if res.StatusCode == ok {
							return // the audit check shows its result and changes nothing
						}
					default:
						if res.StatusCode != no {
							t.Errorf("POST %s as %s with a %s token: status %d, want 403", f.path, role, tok.name, res.StatusCode)
						}
					}
					if after := e.state(); after != before {
						t.Errorf("refused POST %s as %s changed the data:\n before %s\n after  %s", f.path, role, before, after)
					}
				})
			}
		}
	}
}

func TestAccessLogoutNeedsToken(t *testing.T) {
	e := newAccessEnv(t)
	for _, role := range accessRoles[:4] {
		c := e.clientAs(role)
		tok := mustCSRF(t, e.get(c, "/"))
		for _, bad := range []url.Values{{}, {"csrf": {"forged"}}} {
			wantStatus(t, e.post(c, "/logout", bad), http.StatusForbidden)
			wantStatus(t, e.get(c, "/"), http.StatusOK)
		}
		wantLogin(t, e.post(c, "/logout", url.Values{"csrf": {tok}}))
		wantLogin(t, e.get(c, "/"))
	}
}

func TestAccessExpiredSessionSignsInAgain(t *testing.T) {
	e := newAccessEnv(t)
	pages := e.getPages()
	forms := e.postForms()
	for _, role := range accessRoles[:4] {
		c := e.clientAs(role)
		tok := mustCSRF(t, e.get(c, "/"))
		e.auth.expire(e.sessionToken(c))
		for _, p := range pages {
			wantLogin(t, e.get(c, p.path))
		}
		before := e.state()
		for _, f := range forms {
			wantLogin(t, e.post(c, f.path, f.form(tok, role)))
		}
		if after := e.state(); after != before {
			t.Errorf("posts of an expired %s session changed the data:\n before %s\n after  %s", role, before, after)
		}
		wantStatus(t, e.get(c, "/login"), http.StatusOK)
	}
}
