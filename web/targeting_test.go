package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testmodel"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/risk/decide"
	"crossguard/sqlite"
	"crossguard/storetest"
)

var _ Targeting = (*node.Targeting)(nil)

// targetingEnv is a web interface over a real node on SQLite with risk
// targeting: a watch-list entry, a profile, three model versions (the
// first active) and two decided declarations.
type targetingEnv struct {
	*testEnv
	node *testnode.Node
	// both is the id of a declaration the watch list and the profile
	// select; plain is one neither selects.
	both, plain string
	// decision is the stored decision of both.
	decision *crossguard.Decision
}

// targetingProfileJSON is a profile that selects cheap opium alkaloids.
const targetingProfileJSON = `{"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
 "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"},
                {"field": "value_per_kg", "op": "lt", "value": 50}],
 "valid_from": "2026-01-01", "valid_to": "2026-12-31",
 "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}}`

// newTargetingEnv starts the interface of a node with risk targeting on a
// fresh SQLite database.
func newTargetingEnv(t *testing.T) *targetingEnv {
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
	if err := n.EnableTargeting(ctx, decide.Config{RandomRate: -1, Seed: 1}); err != nil {
		t.Fatalf("enable targeting: %v", err)
	}

	file := testmodel.File(t)
	for _, notes := range []string{"first", "second"} {
		if _, err := n.ImportModel(ctx, "test", file, notes); err != nil {
			t.Fatalf("import model: %v", err)
		}
	}
	eval := &crossguard.Evaluation{Rows: 100, Positives: 10,
		PrecisionAt: map[string]float64{"1": 1, "2": 0.5, "5": 0.4, "10": 0.25}, RecallAt: map[string]float64{}}
	if err := st.SaveModel(ctx, "test", &crossguard.ModelInfo{CreatedAt: testNow, TrainedRows: 900, Positives: 90, Eval: eval, Notes: "evaluated"}, []byte("m")); err != nil {
		t.Fatal(err)
	}
	if _, err := n.ActivateModel(ctx, "test", 1); err != nil {
		t.Fatalf("activate model 1: %v", err)
	}

	var p crossguard.Profile
	if err := json.Unmarshal([]byte(targetingProfileJSON), &p); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateProfile(ctx, "test", &p); err != nil {
		t.Fatalf("create profile: %v", err)
	}
	if _, err := n.AddWatch(ctx, "test", &crossguard.WatchEntry{
		Identifier: crossguard.Identifier{Type: "container", Value: "CSQU3054383"}, Channel: "yellow",
		Reason: "partner warning: heroin in false floors", ExpiresAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
	}); err != nil {
		t.Fatalf("add watch-list entry: %v", err)
	}

	both := storetest.NewDeclaration(6, "sost") // HS 293911
	both.Date, both.NetMass, both.ItemPrice = "2026-03-01", 100, 1000
	both.Identifiers = []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}}
	plain := storetest.NewDeclaration(7, "sost")
	plain.Date = "2026-03-01"
	decs, err := n.Decide(ctx, "test", []*crossguard.Declaration{both, plain})
	if err != nil {
		t.Fatalf("decide: %v", err)
	}

	srv := httptest.NewServer(Handler(Config{
		Auth: newFakeAuth(), NodeName: "Sost", NodeID: seizureNodeID, Targeting: n,
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	return &targetingEnv{testEnv: &testEnv{t: t, srv: srv}, node: n,
		both: string(both.DeclarationID), plain: string(plain.DeclarationID), decision: decs[0]}
}

// signedIn returns a client signed in as user.
func (e *targetingEnv) signedIn(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	e.mustSignIn(c, user)
	return c
}

func TestTargetingPagesNeedSignIn(t *testing.T) {
	e := newTargetingEnv(t)
	for _, p := range []string{"/targeting", "/declarations/" + e.both, "/profiles", "/watchlist", "/models"} {
		res := e.get(e.client(), p)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/login" {
			t.Errorf("%s: Location = %q, want /login", p, loc)
		}
	}
}

func TestTargetingWithoutNodeHasNoPages(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	wantStatus(t, e.get(c, "/targeting"), http.StatusNotFound)
	if strings.Contains(e.get(c, "/").body, `href="/targeting"`) {
		t.Error("the start page links the targeting pages of a node without them")
	}
}

func TestTargetingOverview(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	wantContains(t, e.get(c, "/"), `<a href="/targeting">Risk targeting</a>`, `<a href="/models">Models</a>`)

	res := e.get(c, "/targeting")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Declarations decided in the period: 2.", "Red: physical inspection",
		"Opium alkaloids declared cheap", `action="/declarations"`, `value="2026-02-01"`, `value="2026-03-02"`)

	bad := e.get(c, "/targeting?from=yesterday&to=2026-03-02")
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad, `value="yesterday"`, "Enter a date as year-month-day")

	found := e.get(c, "/declarations?id="+e.both)
	wantStatus(t, found, http.StatusSeeOther)
	if loc := found.Header.Get("Location"); loc != "/declarations/"+e.both {
		t.Errorf("look-up sends to %q", loc)
	}
	missing := e.get(c, "/declarations?id=99")
	wantStatus(t, missing, http.StatusSeeOther)
	wantContains(t, e.get(c, missing.Header.Get("Location")), "There is no declaration 99 on this node.")
}

func TestDeclarationPageShowsTheReasons(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	res := e.get(c, "/declarations/"+e.both)
	wantStatus(t, res, http.StatusOK)
	var want []string
	for _, r := range e.decision.Reasons {
		want = append(want, r.Text)
	}
	if len(want) < 2 {
		t.Fatalf("decision has %d reasons, want the watch list's and the profile's", len(want))
	}
	wantText(t, res, want...)
	wantContains(t, res, "Red: physical inspection", "Watch list</span>", "Profile</span>",
		"CSQU3054383", "293911", "No inspection result has been recorded.", `name="result" value="seizure"`)
	wantStatus(t, e.get(c, "/declarations/nothing"), http.StatusNotFound)
}

func TestInspectionForm(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("bilal") // an officer records inspections
	path := "/declarations/" + e.both
	token := mustCSRF(t, e.get(c, path))

	refused := e.post(c, path+"/inspection", url.Values{"csrf": {token}, "result": {"seizure"},
		"seizure_id": {"no-such-seizure"}, "revenue": {"12"}, "notes": {"false floor"}})
	wantStatus(t, refused, http.StatusBadRequest)
	tr := mustCatalogs(t).Translator("ur")
	wantContains(t, refused, html.EscapeString(tr.T("inspection.error.seizure_id")), `value="no-such-seizure"`,
		`value="12"`, "false floor</textarea>", `value="seizure" checked`)

	badRevenue := e.post(c, path+"/inspection", url.Values{"csrf": {token}, "result": {"irregularity"}, "revenue": {"lots"}})
	wantStatus(t, badRevenue, http.StatusBadRequest)
	wantContains(t, badRevenue, html.EscapeString(tr.T("inspection.error.revenue")), `value="lots"`)

	forged := e.post(c, path+"/inspection", url.Values{"csrf": {"forged"}, "result": {"no_finding"}})
	wantStatus(t, forged, http.StatusForbidden)

	ok := e.post(c, path+"/inspection", url.Values{"csrf": {token}, "result": {"irregularity"},
		"revenue": {"1250.5"}, "notes": {"false floor"}})
	wantStatus(t, ok, http.StatusSeeOther)
	shown := e.get(c, ok.Header.Get("Location")+"&lang=en")
	wantContains(t, shown, "The inspection result was saved.", "Irregularity", "1,250.5", "false floor")
	entry, err := e.node.DeclarationEntry(context.Background(), e.both)
	if err != nil {
		t.Fatal(err)
	}
	if in := entry.Inspection; in == nil || in.Result != crossguard.ResultIrregularity || in.RecoveredRevenue != 1250.5 {
		t.Fatalf("stored inspection = %+v", entry.Inspection)
	}
}

func TestProfilesAndWatchList(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	profiles := e.get(c, "/profiles")
	wantStatus(t, profiles, http.StatusOK)
	wantContains(t, profiles, "Opium alkaloids declared cheap", "active", "Red: physical inspection",
		"0.9", "2026-01-01 to 2026-12-31", "none inspected")
	watch := e.get(c, "/watchlist")
	wantStatus(t, watch, http.StatusOK)
	wantContains(t, watch, "CSQU3054383", "partner warning: heroin in false floors", "Yellow: documentary check", "1 January 2027")
}

func TestModelActivation(t *testing.T) {
	e := newTargetingEnv(t)
	analyst := e.signedIn("alice")
	list := e.get(analyst, "/models")
	wantStatus(t, list, http.StatusOK)
	wantContains(t, list, "evaluated", "100%", "50%", "40%", "25%", "Active",
		`action="/models/2/activate"`, `action="/models/3/activate"`)

	officer := e.signedIn("bilal")
	officerList := e.get(officer, "/models")
	if strings.Contains(officerList.body, "/activate") {
		t.Error("an officer is offered activation")
	}
	refused := e.post(officer, "/models/2/activate", url.Values{"csrf": {mustCSRF(t, officerList)}})
	wantStatus(t, refused, http.StatusForbidden)

	token := mustCSRF(t, list)
	wantStatus(t, e.post(analyst, "/models/2/activate", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	res := e.post(analyst, "/models/2/activate", url.Values{"csrf": {token}})
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, e.get(analyst, res.Header.Get("Location")), "Model 2 is now the active model.", `action="/models/1/activate"`)
	ms, err := e.node.Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Active != (m.Version == 2) {
			t.Errorf("model %d active = %v", m.Version, m.Active)
		}
	}
	// A version whose file does not load is refused, and the active one
	// stays.
	wantStatus(t, e.post(analyst, "/models/3/activate", url.Values{"csrf": {token}}), http.StatusBadRequest)
	wantStatus(t, e.post(analyst, "/models/99/activate", url.Values{"csrf": {token}}), http.StatusNotFound)
}

func TestTargetingKeysBuiltAtRunTime(t *testing.T) {
	c := mustCatalogs(t)
	var keys []string
	for _, ch := range []string{"red", "yellow", "blue", "green"} {
		keys = append(keys, "channel."+ch)
	}
	for _, s := range []string{crossguard.SelectedWatchlist, crossguard.SelectedProfile, crossguard.SelectedRandom, crossguard.SelectedModel, crossguard.SelectedNone} {
		keys = append(keys, "selected."+s)
	}
	for _, r := range []string{crossguard.ReasonWatchlist, crossguard.ReasonWarning, crossguard.ReasonProfile, crossguard.ReasonRandom, crossguard.ReasonModel, crossguard.ReasonTarget} {
		keys = append(keys, "reason."+r)
	}
	for _, r := range crossguard.InspectionResults {
		keys = append(keys, "result."+r)
	}
	for _, s := range []string{crossguard.ProfileActive, crossguard.ProfileInactive, crossguard.ProfileDisabled} {
		keys = append(keys, "profile.state."+s)
	}
	for _, s := range []string{crossguard.InspectionFromFile, crossguard.InspectionFromOfficer} {
		keys = append(keys, "inspection.source."+s)
	}
	for _, s := range []string{node.WatchFromAnalyst, crossguard.WatchFromWarning} {
		keys = append(keys, "watchlist.source."+s)
	}
	for _, f := range inspectionFields {
		keys = append(keys, "inspection.error."+f)
	}
	for _, k := range keys {
		for _, lang := range Languages {
			if _, ok := c.messages[lang][k]; !ok {
				t.Errorf("catalog %s lacks key %q", lang, k)
			}
		}
	}
}

// wantText fails unless the text of r, its character references decoded,
// contains every one of subs.
func wantText(t *testing.T, r *response, subs ...string) {
	t.Helper()
	text := html.UnescapeString(r.body)
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("%s %s: text lacks %q", r.Request.Method, r.Request.URL, s)
		}
	}
}
