package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// withRecords starts a second interface over the cooperation node that
// also has the record pages, so that the feedback form suggests the
// node's own seizures, and returns it with the id of one such seizure.
func (e *cooperationEnv) withRecords(t *testing.T) (*testEnv, string) {
	t.Helper()
	var z crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
		t.Fatal(err)
	}
	z.Marking.TLP = crossguard.TLPAmber
	z.OccurredAt = testNow.Add(-24 * time.Hour)
	got, err := e.node.CreateSeizure(context.Background(), "test", &z)
	if err != nil {
		t.Fatalf("create seizure: %v", err)
	}
	srv := httptest.NewServer(Handler(Config{
		Auth: e.auth, NodeName: "Sost", NodeID: seizureNodeID, Cooperation: e.node, Records: e.node,
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, auth: e.auth, srv: srv}, got.ID
}

// feedbackCount returns how many answers the warning has.
func (e *cooperationEnv) feedbackCount(t *testing.T) int {
	t.Helper()
	fbs, err := e.node.FeedbackOn(context.Background(), "test", e.warning)
	if err != nil {
		t.Fatal(err)
	}
	return len(fbs)
}

func TestFeedbackForm(t *testing.T) {
	e := newCooperationEnv(t)
	te, seizure := e.withRecords(t)
	c := e.client()
	te.mustSignIn(c, "alice")
	path := "/operations/" + e.op
	action := path + "/warnings/" + e.warning + "/feedback"
	fid := "fb-" + e.warning
	page := te.get(c, path)
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, `action="`+action+`#w-`+e.warning+`"`, `id="`+fid+`-result"`, `value="not_inspected"`, "Inspected, nothing found",
		`list="`+fid+`-seizures"`, `<option value="`+seizure+`"`, "Give feedback on this warning")
	tok := mustCSRF(t, page)
	post := func(kv ...string) *response {
		t.Helper()
		v := url.Values{"csrf": {tok}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return te.post(c, action, v)
	}

	refusals := []struct {
		name    string
		form    []string
		errorID string
		message string
		kept    string
	}{
		{"no result", []string{"notes", "kept note 1"}, fid + "-result-error", "Choose what came of the warning.", "kept note 1"},
		{"not inspected without a reason", []string{"result", "not_inspected", "notes", "kept note 2"}, fid + "-reason-error",
			"Say why the consignment was not inspected.", "kept note 2"},
		{"a reason with another result", []string{"result", "not_seen", "reason", "kept reason"}, fid + "-reason-error",
			"Give a reason only when the result is Not inspected.", "kept reason"},
		{"a seizure without the result seized", []string{"result", "not_seen", "seizure_id", seizure}, fid + "-seizure-error",
			"Link a seizure only with the result Seized.", `value="` + seizure + `"`},
		{"a seizure that is no id", []string{"result", "seized", "seizure_id", "SZ-42"}, fid + "-seizure-error",
			"one of this node&#39;s own seizures", `value="SZ-42"`},
		{"a seizure the node does not hold", []string{"result", "seized", "seizure_id", "01a21bf6-1501-7a4b-a64b-7dfdb73edfa3"},
			fid + "-seizure-error", "one of this node&#39;s own seizures", "01a21bf6-1501-7a4b-a64b-7dfdb73edfa3"},
	}
	for _, tc := range refusals {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			res := post(tc.form...)
			wantStatus(t, res, http.StatusBadRequest)
			wantContains(t, res, "The feedback was not sent", `id="`+tc.errorID+`"`, tc.message, tc.kept,
				`aria-invalid="true"`, `<details class="answer" open>`)
		})
	}
	if n := e.feedbackCount(t); n != 1 {
		t.Fatalf("refused forms stored feedback: %d answers, want the 1 of the set-up", n)
	}

	t.Run("refused/forged token", func(t *testing.T) {
		v := url.Values{"csrf": {"forged"}, "result": {"not_seen"}}
		wantStatus(t, te.post(c, action, v), http.StatusForbidden)
	})
	t.Run("refused/warning of another operation", func(t *testing.T) {
		v := url.Values{"csrf": {tok}, "result": {"not_seen"}}
		wantStatus(t, te.post(c, "/operations/nothing/warnings/"+e.warning+"/feedback", v), http.StatusNotFound)
		wantStatus(t, te.post(c, path+"/warnings/nothing/feedback", v), http.StatusNotFound)
	})
	t.Run("refused/auditor", func(t *testing.T) {
		aude := e.client()
		te.mustSignIn(aude, "aude")
		res := te.get(aude, path)
		if strings.Contains(res.body, `action="`+action) {
			t.Error("an auditor is offered the feedback form")
		}
		if strings.Contains(res.body, `name="text"`) {
			t.Error("an auditor is offered the message form")
		}
		v := url.Values{"csrf": {mustCSRF(t, res)}, "result": {"not_seen"}}
		wantStatus(t, te.post(aude, action, v), http.StatusForbidden)
	})
	if n := e.feedbackCount(t); n != 1 {
		t.Fatalf("refused posts stored feedback: %d answers", n)
	}

	res := post("result", "seized", "seizure_id", seizure, "notes", "found in the spare tyre")
	wantStatus(t, res, http.StatusSeeOther)
	if loc, want := res.Header.Get("Location"), path+"?saved=feedback#w-"+e.warning; loc != want {
		t.Fatalf("Location %q, want %q", loc, want)
	}
	res = te.get(c, path+"?saved=feedback")
	wantContains(t, res, "Your feedback was sent", "Seized", "found in the spare tyre", `href="/seizures/`+seizure+`"`)
	if n := e.feedbackCount(t); n != 2 {
		t.Errorf("after the post: %d answers, want 2", n)
	}
	rep, err := e.node.OperationReport(context.Background(), "test", e.op)
	if err != nil || rep.Feedback != 2 || rep.Hits != 1 {
		t.Errorf("report after the feedback: %+v, %v; want 2 answers and 1 hit", rep, err)
	}
	fbs, err := e.node.FeedbackOn(context.Background(), "test", e.warning)
	if err != nil || fbs[len(fbs)-1].SeizureID != seizure || fbs[len(fbs)-1].Result != crossguard.FeedbackSeized {
		t.Errorf("the stored feedback does not link the seizure: %+v, %v", fbs[len(fbs)-1], err)
	}

	res = post("result", "not_inspected", "reason", "scanner out of order")
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, te.get(c, path), "Not inspected", "scanner out of order")
}

func TestFeedbackFormOnAWarningToAPartnerOnly(t *testing.T) {
	e := newCooperationEnv(t)
	// A warning of this node sent to af-customs only: this node's agency,
	// its sender, may still answer it, as the node allows.
	w, err := e.node.CreateWarning(context.Background(), "test", e.op, &crossguard.Warning{
		Identifiers:      []crossguard.Identifier{{Type: "vehicle_plate", Value: "LEA-2291"}},
		ExpectedCrossing: "Sost dry port", Window: crossguard.WarningWindow{From: testNow, To: testNow.Add(24 * time.Hour)},
		Reason: "seen with the container", SuggestedChannel: crossguard.ChannelYellow, To: []string{"af-customs"}})
	if err != nil {
		t.Fatal(err)
	}
	res := e.get(e.signedIn(), "/operations/"+e.op)
	wantContains(t, res, `/warnings/`+w.ID+`/feedback#w-`+w.ID+`"`, `/warnings/`+e.warning+`/feedback#w-`+e.warning+`"`)
}

func TestMessageForm(t *testing.T) {
	e := newCooperationEnv(t)
	c := e.signedIn()
	path := "/operations/" + e.op
	page := e.get(c, path)
	wantContains(t, page, `action="`+path+`/messages#messages"`, `id="msg-text"`, `id="messages"`)
	tok := mustCSRF(t, page)

	res := e.post(c, path+"/messages", url.Values{"csrf": {tok}, "text": {"   "}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, "The message was not sent", `id="msg-text-error"`, "Write the message")
	long := strings.Repeat("x", crossguard.MaxMessageBytes+1)
	res = e.post(c, path+"/messages", url.Values{"csrf": {tok}, "text": {long}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, `id="msg-text-error"`, long[:100])
	wantStatus(t, e.post(c, path+"/messages", url.Values{"csrf": {"forged"}, "text": {"hello"}}), http.StatusForbidden)
	wantStatus(t, e.post(c, "/operations/nothing/messages", url.Values{"csrf": {tok}, "text": {"hello"}}), http.StatusNotFound)

	res = e.post(c, path+"/messages", url.Values{"csrf": {tok}, "text": {"Team 4 takes the night shift"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != path+"?saved=message#messages" {
		t.Fatalf("Location %q", loc)
	}
	wantContains(t, e.get(c, path+"?saved=message"), "Your message was sent", "Team 4 takes the night shift", "Team 3 on duty at the gate")
	ms, err := e.node.Messages(context.Background(), "test", e.op)
	if err != nil || len(ms) != 2 {
		t.Fatalf("messages after the post: %d, %v; want 2", len(ms), err)
	}
	if ms[1].Marking.TLP != crossguard.TLPAmber {
		t.Errorf("the message has marking %+v, want the operation's amber", ms[1].Marking)
	}

	aude := e.signedInAs("aude")
	wantStatus(t, e.post(aude, path+"/messages", url.Values{"csrf": {mustCSRF(t, e.get(aude, path))}, "text": {"hi"}}), http.StatusForbidden)
}
