package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// adminEnv is a web interface over a real node on SQLite with two peers,
// three users (one revoked) and a few audit entries, signed in through a
// fakeAuth that also knows ada (administrator) and aude (auditor).
type adminEnv struct {
	*testEnv
	node *testnode.Node
}

// newAdminEnv starts the administration pages of a fresh node.
func newAdminEnv(t *testing.T) *adminEnv {
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
	n := testnode.New(crossguard.NodeInfo{ID: seizureNodeID, Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}, st, nil)
	n.Clock = crossguard.FixedClock(testNow)

	for _, u := range [][2]string{{"zara", crossguard.RoleAnalyst}, {"omar", crossguard.RoleOfficer}, {"gone", crossguard.RoleOfficer}} {
		if _, err := n.AddUser(ctx, "setup", u[0], u[1]); err != nil {
			t.Fatalf("add user %s: %v", u[0], err)
		}
	}
	if err := n.RevokeUser(ctx, "setup", "gone"); err != nil {
		t.Fatal(err)
	}
	torkham := storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow)
	taftan := storetest.NewPeer("ir-customs/taftan", crossguard.RelPartner, testNow)
	for _, p := range []*crossguard.Peer{torkham, taftan} {
		if err := st.PutPeer(ctx, "setup", p, testNow); err != nil {
			t.Fatalf("put peer %s: %v", p.Card.ID, err)
		}
	}
	if err := st.NotePeerPulled(ctx, storetest.PeerB, 7, testNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.NotePeerError(ctx, "ir-customs/taftan", "the peer refused this node's certificate: ask its administrator to add this node", testNow); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*crossguard.AuditEntry{
		{At: time.Date(2026, 2, 10, 8, 0, 0, 0, time.UTC), Actor: "zara", Action: "seizure.create", RecordKind: crossguard.KindSeizure, RecordID: "s-feb", Outcome: crossguard.OutcomeOK},
		{At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), Actor: "omar", Action: "profile.create", RecordKind: crossguard.KindProfile, RecordID: "p-mar", Outcome: crossguard.OutcomeOK},
		{At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Actor: "zara", Action: "seizure.update", RecordKind: crossguard.KindSeizure, RecordID: "s-mar", Outcome: crossguard.OutcomeOK},
	} {
		if err := st.AppendAudit(ctx, e); err != nil {
			t.Fatalf("append audit entry: %v", err)
		}
	}

	auth := newFakeAuth()
	auth.users["ada"] = fakeUser{password: "correct horse", role: crossguard.RoleAdmin}
	auth.users["aude"] = fakeUser{password: "correct horse", role: crossguard.RoleAuditor}
	srv := httptest.NewServer(Handler(Config{
		Auth: auth, NodeName: "Sost", NodeID: seizureNodeID, Admin: NodeAdmin{PeerAdmin: n.Sharing, UserAdmin: n.Admin},
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	return &adminEnv{testEnv: &testEnv{t: t, auth: auth, srv: srv}, node: n}
}

// signedIn returns a client signed in as user.
func (e *adminEnv) signedIn(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	e.mustSignIn(c, user)
	return c
}

func TestAdminPagesByRole(t *testing.T) {
	e := newAdminEnv(t)
	tests := []struct {
		path, user string
		status     int
		want       []string
	}{
		{"/admin/peers", "ada", http.StatusOK, []string{
			"Customs node torkham", "a node of the same agency", "Last exchange: ", "Changes behind: 7.",
			"Received 0, refused 0, sent 0.", "None: the last exchange worked.",
			"a partner agency", "No exchange with this peer has worked yet.",
			"the peer refused this node&#39;s certificate: ask its administrator to add this node"}},
		{"/admin/peers", "aude", http.StatusForbidden, nil},
		{"/admin/peers", "alice", http.StatusForbidden, nil},
		{"/admin/peers", "bilal", http.StatusForbidden, nil},
		{"/admin/users", "ada", http.StatusOK, []string{"zara", "analyst", "omar", "gone", "revoked on ", "active"}},
		{"/admin/users", "aude", http.StatusForbidden, nil},
		{"/admin/users", "alice", http.StatusForbidden, nil},
		{"/audit", "aude", http.StatusOK, []string{"s-feb", "p-mar", "s-mar", "seizure.update", `action="/audit/verify"`}},
		{"/audit", "ada", http.StatusForbidden, nil},
		{"/audit", "alice", http.StatusForbidden, nil},
		{"/audit", "bilal", http.StatusForbidden, nil},
	}
	clients := map[string]*http.Client{}
	for _, tc := range tests {
		t.Run(strings.TrimPrefix(tc.path, "/")+" as "+tc.user, func(t *testing.T) {
			c, ok := clients[tc.user]
			if !ok {
				c = e.signedIn(tc.user)
				clients[tc.user] = c
			}
			res := e.get(c, tc.path+"?lang=en")
			wantStatus(t, res, tc.status)
			wantContains(t, res, tc.want...)
			if tc.status == http.StatusForbidden {
				wantContains(t, res, "You are not allowed to do this.")
			}
		})
	}
}

func TestAdminPagesNeedSignIn(t *testing.T) {
	e := newAdminEnv(t)
	for _, p := range []string{"/admin/peers", "/admin/users", "/audit"} {
		res := e.get(e.client(), p)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/login" {
			t.Errorf("%s: Location = %q, want /login", p, loc)
		}
	}
}

func TestHomeLinksOnlyAllowedPages(t *testing.T) {
	e := newAdminEnv(t)
	links := []string{`href="/admin/peers"`, `href="/admin/users"`, `href="/audit"`}
	for user, want := range map[string][]bool{
		"ada":   {true, true, false},
		"aude":  {false, false, true},
		"alice": {false, false, false},
	} {
		body := e.get(e.signedIn(user), "/").body
		for i, l := range links {
			if got := strings.Contains(body, l); got != want[i] {
				t.Errorf("start page of %s: has %s = %v, want %v", user, l, got, want[i])
			}
		}
	}
	plain := newTestEnv(t)
	c := plain.client()
	plain.mustSignIn(c, "alice")
	wantStatus(t, plain.get(c, "/audit"), http.StatusNotFound)
}

func TestAuditFilters(t *testing.T) {
	e := newAdminEnv(t)
	c := e.signedIn("aude")
	tests := []struct {
		query      string
		want, lack []string
	}{
		{"actor=zara", []string{"s-feb", "s-mar"}, []string{"p-mar"}},
		{"action=profile.create", []string{"p-mar"}, []string{"s-feb", "s-mar"}},
		{"kind=seizure", []string{"s-feb", "s-mar"}, []string{"p-mar"}},
		{"from=2026-03-01&to=2026-03-01", []string{"p-mar", "s-mar"}, []string{"s-feb"}},
		{"to=2026-02-28", []string{"s-feb"}, []string{"p-mar", "s-mar"}},
		{"actor=zara&kind=profile", []string{"No entry matches these filters."}, []string{"s-feb", "s-mar", "p-mar"}},
	}
	for _, tc := range tests {
		res := e.get(c, "/audit?"+tc.query)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, tc.want...)
		for _, s := range tc.lack {
			if strings.Contains(res.body, ">"+s) || strings.Contains(res.body, " "+s+"<") {
				t.Errorf("%s: list shows %s", tc.query, s)
			}
		}
	}
	bad := e.get(c, "/audit?"+url.Values{"from": {"yesterday"}, "to": {"2026-13-01"}, "kind": {"Seizure!"}}.Encode())
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad, `value="yesterday"`, `value="2026-13-01"`, `value="Seizure!"`, `id="from-error"`, `id="to-error"`, `id="kind-error"`,
		"Enter a date as year-month-day", "Use lower-case letters")
	order := e.get(c, "/audit?from=2026-03-02&to=2026-03-01")
	wantStatus(t, order, http.StatusBadRequest)
	wantContains(t, order, "The end of the period is before its start.")
}

// regexpNext finds the link to the next page of a list.
var regexpNext = regexp.MustCompile(`href="([^"]+)" rel="next"`)

func TestAuditPaging(t *testing.T) {
	e := newAdminEnv(t)
	ctx := context.Background()
	for i := range auditPageSize {
		if err := e.node.Store.AppendAudit(ctx, &crossguard.AuditEntry{At: testNow, Actor: "bulk", Action: "seizure.read",
			RecordKind: crossguard.KindSeizure, RecordID: "bulk", Outcome: crossguard.OutcomeOK, Detail: "n" + string(rune('a'+i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	c := e.signedIn("aude")
	first := e.get(c, "/audit?kind=seizure")
	wantStatus(t, first, http.StatusOK)
	m := regexpNext.FindStringSubmatch(first.body)
	if m == nil {
		t.Fatalf("no link to the next page:\n%s", first.body)
	}
	next := e.get(c, strings.ReplaceAll(m[1], "&amp;", "&"))
	wantStatus(t, next, http.StatusOK)
	wantContains(t, next, "s-feb", "s-mar", `href="/audit?kind=seizure"`)
}

func TestAuditVerify(t *testing.T) {
	e := newAdminEnv(t)
	c := e.signedIn("aude")
	tok := mustCSRF(t, e.get(c, "/audit"))
	res := e.post(c, "/audit/verify", url.Values{"csrf": {tok}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "The audit log is intact: all ")
	wantStatus(t, e.post(c, "/audit/verify", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	admin := e.signedIn("ada")
	atok := mustCSRF(t, e.get(admin, "/"))
	wantStatus(t, e.post(admin, "/audit/verify", url.Values{"csrf": {atok}}), http.StatusForbidden)
}
