package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/sqlite"
)

var _ Cooperation = (*node.Cooperation)(nil)

// cooperationEnv is a web interface over a real node on SQLite holding a
// joint operation with a warning, feedback and a message, and an
// agreement with an activity.
type cooperationEnv struct {
	*testEnv
	node                   *testnode.Node
	op, warning, agreement string
}

// newCooperationEnv starts the interface of a node with one operation and
// one agreement on a fresh SQLite database.
func newCooperationEnv(t *testing.T) *cooperationEnv {
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
	amber := crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}
	op, err := n.CreateOperation(ctx, "test", &crossguard.Operation{
		Header: crossguard.Header{Marking: amber}, Name: "Opium Route Winter",
		Participants: []string{"af-customs"}, StartsAt: testNow.Add(-24 * time.Hour), EndsAt: testNow.AddDate(0, 1, 0),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}, HSPrefixes: []string{"1211"},
			Routes: [][]string{{"AF", "PK", "CN"}}, Crossings: []string{"Sost"}},
	})
	if err != nil {
		t.Fatalf("create operation: %v", err)
	}
	w, err := n.CreateWarning(ctx, "test", op.ID, &crossguard.Warning{Header: crossguard.Header{Marking: amber},
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: "MSKU1234565"}},
		ExpectedCrossing: "Sost dry port", Window: crossguard.WarningWindow{From: testNow, To: testNow.Add(48 * time.Hour)},
		Reason: "dried fruit on an unusual route", SuggestedChannel: crossguard.ChannelRed})
	if err != nil {
		t.Fatalf("create warning: %v", err)
	}
	if _, err := n.CreateFeedback(ctx, "test", w.ID, &crossguard.Feedback{Header: crossguard.Header{Marking: amber},
		Result: crossguard.FeedbackNotSeen, Notes: "no such truck today"}); err != nil {
		t.Fatalf("create feedback: %v", err)
	}
	if _, err := n.CreateMessage(ctx, "test", op.ID, &crossguard.Message{Header: crossguard.Header{Marking: amber},
		Text: "Team 3 on duty at the gate"}); err != nil {
		t.Fatalf("create message: %v", err)
	}
	ag, err := n.CreateAgreement(ctx, "test", &crossguard.Agreement{
		Title: "Counter-narcotics cooperation", Parties: []string{"pk-customs", "af-customs"}, SignedOn: "2026-01-10",
		Scope: crossguard.AgreementScope{Kinds: []string{"seizure"}, DefaultMarking: amber},
		Commitments: []crossguard.Commitment{
			{ID: "tr-1", Type: crossguard.CommitmentTraining, Title: "Training at the academy", Owner: "af-customs", Due: "2027-03-31"},
			{ID: "ex-1", Type: crossguard.CommitmentExercise, Title: "Winter exercise", Owner: "pk-customs", Due: "2026-02-01"},
		},
	})
	if err != nil {
		t.Fatalf("create agreement: %v", err)
	}
	if _, err := n.CreateActivity(ctx, "test", &crossguard.Activity{
		Type: crossguard.ActivityExercise, Agreement: ag.ID, Commitment: "ex-1",
		Title: "Joint border exercise", StartsOn: "2026-11-10", EndsOn: "2026-11-12", Place: "Sost dry port",
		Agencies: []string{"pk-customs", "af-customs"}, Status: crossguard.StatusPlanned,
	}); err != nil {
		t.Fatalf("create activity: %v", err)
	}
	auth := newFakeAuth()
	auth.users["aude"] = fakeUser{password: "correct horse", role: crossguard.RoleAuditor}
	srv := httptest.NewServer(Handler(Config{
		Auth: auth, NodeName: "Sost", NodeID: seizureNodeID, Cooperation: n,
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	return &cooperationEnv{testEnv: &testEnv{t: t, auth: auth, srv: srv}, node: n, op: op.ID, warning: w.ID, agreement: ag.ID}
}

// signedIn returns a client signed in as alice (analyst).
func (e *cooperationEnv) signedIn() *http.Client {
	e.t.Helper()
	return e.signedInAs("alice")
}

// signedInAs returns a client signed in as user.
func (e *cooperationEnv) signedInAs(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	e.mustSignIn(c, user)
	return c
}

func TestCooperationPagesNeedSignIn(t *testing.T) {
	e := newCooperationEnv(t)
	for _, p := range []string{"/operations", "/operations/" + e.op, "/agreements", "/agreements/" + e.agreement, "/activities"} {
		res := e.get(e.client(), p)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/login" {
			t.Errorf("%s: Location %q, want /login", p, loc)
		}
	}
}

func TestOperationPages(t *testing.T) {
	e := newCooperationEnv(t)
	c := e.signedIn()
	res := e.get(c, "/operations")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Opium Route Winter", `href="/operations/`+e.op+`"`, "Running", "af-customs, pk-customs",
		"1 March 2026")
	res = e.get(c, "/operations/"+e.op)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Opium Route Winter", "narcotics", "1211", "AF → PK → CN", "Sost",
		"container MSKU1234565", "Sost dry port", "dried fruit on an unusual route", "channel-red",
		"Not seen", "no such truck today", "Team 3 on duty at the gate",
		"Warnings answered", "By agency", "pk-customs")
	wantStatus(t, e.get(c, "/operations/nothing"), http.StatusNotFound)
}

func TestProgrammePages(t *testing.T) {
	e := newCooperationEnv(t)
	c := e.signedIn()
	res := e.get(c, "/agreements")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Counter-narcotics cooperation", `href="/agreements/`+e.agreement+`"`, "2026-01-10", `tlp tlp-red`)
	res = e.get(c, "/agreements/"+e.agreement)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Winter exercise", "Training at the academy", "Overdue", "tlp-red", "Joint border exercise")
	if i, j := strings.Index(res.body, "Winter exercise"), strings.Index(res.body, "Training at the academy"); i > j {
		t.Errorf("the overdue commitment is not listed first")
	}
	wantStatus(t, e.get(c, "/agreements/nothing"), http.StatusNotFound)
	res = e.get(c, "/activities")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res, "Joint border exercise", "2026-11-10", `href="/agreements/`+e.agreement+`"`, `href="/api/v1/activities.ics"`)
}

func TestHomeLinksCooperationPages(t *testing.T) {
	e := newCooperationEnv(t)
	res := e.get(e.signedIn(), "/")
	wantContains(t, res, `href="/operations"`, `href="/agreements"`, `href="/activities"`)
}

// warningPost is a valid new warning form.
func warningPost(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "id_type": {"vehicle_plate"}, "id_value": {"LEA-2291"},
		"crossing": {"Khunjerab pass"}, "from": {"2026-03-03T06:00"}, "to": {"2026-03-04T18:00"},
		"channel": {"yellow"}, "reason": {"truck seen with the warned container before"},
		"tlp": {"amber"}, "handling": {"H1"}}
}

func TestWarningForm(t *testing.T) {
	e := newCooperationEnv(t)
	c := e.signedIn()
	path := "/operations/" + e.op
	page := e.get(c, path)
	wantContains(t, page, `action="`+path+`/warnings"`, `name="id_value"`)
	tok := mustCSRF(t, page)

	res := e.post(c, path+"/warnings", warningPost(tok))
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != path+"?saved=1" {
		t.Fatalf("Location %q, want %s?saved=1", loc, path)
	}
	res = e.get(c, path+"?saved=1")
	wantContains(t, res, "The warning was sent", "vehicle_plate LEA-2291", "Khunjerab pass", "3 March 2026")
	ws, err := e.node.Warnings(context.Background(), "test", e.op)
	if err != nil || len(ws) != 2 {
		t.Fatalf("warnings after the post: %d, %v; want 2", len(ws), err)
	}

	bad := warningPost(tok)
	bad.Set("from", "tomorrow")
	bad.Set("reason", "")
	bad.Set("id_value", "LEA-2291-kept")
	res = e.post(c, path+"/warnings", bad)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, "The warning was not sent", "Enter a date and time", `id="from-error"`, `value="tomorrow"`, `value="LEA-2291-kept"`)
	bad.Set("from", "2026-03-03T06:00")
	res = e.post(c, path+"/warnings", bad)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, `id="reason-error"`, "Enter the reason for the warning.")
	if ws, _ := e.node.Warnings(context.Background(), "test", e.op); len(ws) != 2 {
		t.Errorf("a refused form stored a warning: %d warnings", len(ws))
	}

	wantStatus(t, e.post(c, path+"/warnings", warningPost("forged")), http.StatusForbidden)
	wantStatus(t, e.post(c, "/operations/nothing/warnings", warningPost(tok)), http.StatusNotFound)
	wantStatus(t, e.post(e.client(), path+"/warnings", warningPost(tok)), http.StatusSeeOther)

	aude := e.signedInAs("aude")
	res = e.get(aude, path)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, `name="id_value"`) {
		t.Error("the warning form is shown to an auditor")
	}
	wantStatus(t, e.post(aude, path+"/warnings", warningPost(mustCSRF(t, res))), http.StatusForbidden)
}
