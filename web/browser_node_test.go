package web_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/browsertest"
	"crossguard/internal/testmodel"
	"crossguard/internal/testnode"
	"crossguard/risk/decide"
	"crossguard/storetest"
	"crossguard/web"
)

// fullNode is the web interface of a node with every page's data: its
// server and the ids of one record of each kind that has a page.
type fullNode struct {
	srv                                 *httptest.Server
	seizure, declaration, op, agreement string
}

// The users of a fullNode, one for each set of pages, all with the
// password browserPassword.
const (
	fullAnalyst = "anna"
	fullAdmin   = "ada"
	fullAuditor = "aude"
)

// newFullNode starts the web interface of node pk-customs/sost on a real
// SQLite database, on a loopback test server, with real sign-in: a
// seizure, risk targeting (a model, a profile, a watch-list entry, two
// decided declarations), a joint operation with a warning, an agreement
// with an activity, a peer and three users.
func newFullNode(t *testing.T) *fullNode {
	t.Helper()
	ctx := context.Background()
	st := browserStore(t, fullAnalyst, crossguard.RoleAnalyst)
	now := time.Now().UTC()
	for _, u := range [][2]string{{fullAdmin, crossguard.RoleAdmin}, {fullAuditor, crossguard.RoleAuditor}} {
		if err := st.CreateUser(ctx, "test", &crossguard.User{Name: u[0], Role: u[1], CreatedAt: now}, "tokenhash-"+u[0]); err != nil {
			t.Fatal(err)
		}
		if err := auth.SetPassword(ctx, st, "test", u[0], browserPassword, auth.DefaultParams, now); err != nil {
			t.Fatal(err)
		}
	}
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	f := &fullNode{}

	var z crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
		t.Fatal(err)
	}
	saved, err := n.CreateSeizure(ctx, "test", &z)
	if err != nil {
		t.Fatalf("create seizure: %v", err)
	}
	f.seizure = saved.ID

	if err := n.EnableTargeting(ctx, decide.Config{RandomRate: -1, Seed: 1}); err != nil {
		t.Fatalf("enable targeting: %v", err)
	}
	if _, err := n.ImportModel(ctx, "test", testmodel.File(t), "first"); err != nil {
		t.Fatalf("import model: %v", err)
	}
	if _, err := n.ActivateModel(ctx, "test", 1); err != nil {
		t.Fatalf("activate model: %v", err)
	}
	var p crossguard.Profile
	if err := json.Unmarshal([]byte(`{"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
 "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"}, {"field": "value_per_kg", "op": "lt", "value": 50}],
 "valid_from": "2026-01-01", "valid_to": "2099-12-31",
 "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}}`), &p); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateProfile(ctx, "test", &p); err != nil {
		t.Fatalf("create profile: %v", err)
	}
	if _, err := n.AddWatch(ctx, "test", &crossguard.WatchEntry{
		Identifier: crossguard.Identifier{Type: "container", Value: "CSQU3054383"}, Channel: "yellow",
		Reason: "partner warning: heroin in false floors", ExpiresAt: now.AddDate(1, 0, 0),
	}); err != nil {
		t.Fatalf("add watch-list entry: %v", err)
	}
	both := storetest.NewDeclaration(6, "sost")
	both.NetMass, both.ItemPrice = 100, 1000
	both.Identifiers = []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}}
	if _, err := n.Decide(ctx, "test", []*crossguard.Declaration{both, storetest.NewDeclaration(7, "sost")}); err != nil {
		t.Fatalf("decide: %v", err)
	}
	f.declaration = string(both.DeclarationID)

	amber := crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}
	op, err := n.CreateOperation(ctx, "test", &crossguard.Operation{
		Header: crossguard.Header{Marking: amber}, Name: "Opium Route Winter",
		Participants: []string{"af-customs"}, StartsAt: now.Add(-24 * time.Hour), EndsAt: now.AddDate(0, 1, 0),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
			Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{"Sost"}},
	})
	if err != nil {
		t.Fatalf("create operation: %v", err)
	}
	f.op = op.ID
	if _, err := n.CreateWarning(ctx, "test", op.ID, &crossguard.Warning{Header: crossguard.Header{Marking: amber},
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: "MSKU1234565"}},
		ExpectedCrossing: "Sost dry port", Window: crossguard.WarningWindow{From: now, To: now.Add(48 * time.Hour)},
		Reason: "dried fruit on an unusual route", SuggestedChannel: crossguard.ChannelRed}); err != nil {
		t.Fatalf("create warning: %v", err)
	}
	ag, err := n.CreateAgreement(ctx, "test", &crossguard.Agreement{
		Title: "Counter-narcotics cooperation", Parties: []string{"pk-customs", "af-customs"}, SignedOn: "2026-01-10",
		Scope: crossguard.AgreementScope{Kinds: []string{"seizure"}, DefaultMarking: amber},
		Commitments: []crossguard.Commitment{
			{ID: "ex-1", Type: crossguard.CommitmentExercise, Title: "Winter exercise", Owner: "pk-customs", Due: "2099-02-01"},
		},
	})
	if err != nil {
		t.Fatalf("create agreement: %v", err)
	}
	f.agreement = ag.ID
	if _, err := n.CreateActivity(ctx, "test", &crossguard.Activity{
		Type: crossguard.ActivityExercise, Agreement: ag.ID, Commitment: "ex-1",
		Title: "Joint border exercise", StartsOn: "2099-01-10", EndsOn: "2099-01-12", Place: "Sost dry port",
		Agencies: []string{"pk-customs", "af-customs"}, Status: crossguard.StatusPlanned,
	}); err != nil {
		t.Fatalf("create activity: %v", err)
	}
	if err := st.PutPeer(ctx, "test", storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, now), now); err != nil {
		t.Fatalf("put peer: %v", err)
	}

	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	f.srv = httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID,
		Records: n, Targeting: n, Cooperation: n, Admin: web.NodeAdmin{PeerAdmin: n.Sharing, UserAdmin: n.Admin},
		Dashboard: web.NodeDashboard{Partners: n, Risk: n, Now: n.Clock.Now}, Settings: n.Store}))
	t.Cleanup(f.srv.Close)
	return f
}

// signIn signs b in to the interface at base as user, after dropping any
// session it had, and fails t unless it lands on the start page.
func signIn(t *testing.T, b *browsertest.Browser, base, user string) {
	t.Helper()
	dropCookies(b)
	b.Load(chromedp.Navigate(base + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	if loc := browsertest.Run(b, chromedp.Location()); loc != base+"/" {
		t.Fatalf("after signing in as %s the page is %s, want %s/", user, loc, base)
	}
}

// dropCookies removes every cookie of b: its session and language.
func dropCookies(b *browsertest.Browser) {
	b.Do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}
