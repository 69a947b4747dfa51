package httpapi

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// operationJSON is a joint operation of this node's agency and PeerA's
// (af-customs), running around testNow. The creating agency is left out
// of the participants: the node adds it.
const operationJSON = `{"name": "Opium Route Winter", "participants": ["af-customs"],
 "starts_at": "2026-11-25T00:00:00Z", "ends_at": "2027-01-31T00:00:00Z",
 "focus": {"categories": ["narcotics"], "hs_prefixes": ["1211", "2939"], "routes": [["AF", "PK", "CN"]], "crossings": ["Sost"]},
 "marking": {"tlp": "amber", "handling": "H1"}}`

// warnedContainer is baseDeclaration's container, which the warnings of
// these tests name; laterContainer another valid container number.
const (
	warnedContainer = "MSKU1234565"
	laterContainer  = "CSQU3054383"
)

// warningJSON returns a warning on container for the window [from, to).
func warningJSON(container, from, to string) string {
	return `{"identifiers": [{"type": "container", "value": "` + container + `"}],
 "expected_crossing": "Sost", "window": {"from": "` + from + `", "to": "` + to + `"},
 "reason": "dried fruit from Kandahar on an unusual route; heroin suspected", "suggested_channel": "red"}`
}

// nowWarningJSON is a warning on warnedContainer whose window holds testNow.
var nowWarningJSON = warningJSON(warnedContainer, "2026-12-01T06:00:00Z", "2026-12-03T18:00:00Z")

// mustCreateOperation creates operationJSON through the node.
func (e *testEnv) mustCreateOperation(t testing.TB) *crossguard.Operation {
	t.Helper()
	var in operationInput
	if err := json.Unmarshal([]byte(operationJSON), &in); err != nil {
		t.Fatal(err)
	}
	op, err := e.node.CreateOperation(context.Background(), "test", &crossguard.Operation{Header: crossguard.Header{Marking: in.Marking},
		Name: in.Name, Participants: in.Participants, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Focus: in.Focus})
	if err != nil {
		t.Fatalf("create operation: %v", err)
	}
	return op
}

// mustCreateWarning creates nowWarningJSON in operation op through the node.
func (e *testEnv) mustCreateWarning(t testing.TB, op string) *crossguard.Warning {
	t.Helper()
	var in warningInput
	if err := json.Unmarshal([]byte(nowWarningJSON), &in); err != nil {
		t.Fatal(err)
	}
	w, err := e.node.CreateWarning(context.Background(), "test", op, &crossguard.Warning{Identifiers: in.Identifiers,
		ExpectedCrossing: in.ExpectedCrossing, Window: in.Window, Reason: in.Reason, SuggestedChannel: in.SuggestedChannel})
	if err != nil {
		t.Fatalf("create warning: %v", err)
	}
	return w
}

// apiOperation is an operation as the API answers it.
type apiOperation struct {
	crossguard.Operation
	Status string `json:"status"`
}

// TestOperations creates, lists and shows an operation, refuses bad
// ones, and exchanges messages in it.
func TestOperations(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer, auditor := e.tokens[crossguard.RoleOfficer], e.tokens[crossguard.RoleAuditor]
		res := e.do(t, request{Method: "POST", Path: "/api/v1/operations", Token: officer, Body: operationJSON}).want(t, http.StatusCreated)
		var op apiOperation
		res.decode(t, &op)
		if op.Kind != crossguard.KindOperation || op.Origin != e.node.Info.ID || op.Version != 1 || op.Status != crossguard.OperationRunning ||
			!reflect.DeepEqual(op.Participants, []string{"af-customs", "pk-customs"}) || !reflect.DeepEqual(op.Recipients, op.Participants) ||
			op.Distribution != crossguard.DistNetwork || op.Marking.TLP != crossguard.TLPAmber || len(op.Focus.Routes) != 1 {
			t.Fatalf("created operation %s", res.Body)
		}
		if res.Header.Get("Location") != "/api/v1/operations/"+op.ID {
			t.Fatalf("Location %q", res.Header.Get("Location"))
		}

		var list struct{ Items []apiOperation }
		e.do(t, request{Method: "GET", Path: "/api/v1/operations", Token: auditor}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != op.ID || list.Items[0].Status != crossguard.OperationRunning {
			t.Fatalf("operations %+v", list.Items)
		}
		var got apiOperation
		e.do(t, request{Method: "GET", Path: "/api/v1/operations/" + op.ID, Token: auditor}).want(t, http.StatusOK).decode(t, &got)
		if !reflect.DeepEqual(got, op) {
			t.Fatalf("shown %+v, created %+v", got, op)
		}
		e.do(t, request{Method: "GET", Path: "/api/v1/operations/" + storetest.SeizureID(999, testNow), Token: auditor}).
			wantError(t, http.StatusNotFound, "not_found", "")

		for _, c := range []struct{ name, body, field string }{
			{"without a name", strings.Replace(operationJSON, `"Opium Route Winter"`, `""`, 1), "name"},
			{"ending before it starts", strings.Replace(operationJSON, "2027-01-31", "2026-11-01", 1), "ends_at"},
			{"with a bad participant", strings.Replace(operationJSON, `["af-customs"]`, `["AF customs"]`, 1), "participants[0]"},
			{"with a bad focus", strings.Replace(operationJSON, `"1211"`, `"99x"`, 1), "focus.hs_prefixes[0]"},
			{"with recipients of its own", strings.Replace(operationJSON, `"name"`, `"recipients": ["cn-customs"], "name"`, 1), "recipients"},
		} {
			t.Run("refused "+c.name, func(t *testing.T) {
				e.do(t, request{Method: "POST", Path: "/api/v1/operations", Token: officer, Body: c.body}).
					wantError(t, http.StatusBadRequest, "invalid", c.field)
			})
		}

		// Messages: the operation's marking by default, oldest first.
		msgs := "/api/v1/operations/" + op.ID + "/messages"
		var m crossguard.Message
		e.do(t, request{Method: "POST", Path: msgs, Token: officer, Body: `{"text": "Scanner at Sost down until 14:00."}`}).
			want(t, http.StatusCreated).decode(t, &m)
		if m.Kind != crossguard.KindMessage || m.Operation != op.ID || m.Marking != op.Marking || !reflect.DeepEqual(m.Recipients, op.Participants) {
			t.Fatalf("message %+v", m)
		}
		e.do(t, request{Method: "POST", Path: msgs, Token: officer, Body: `{"text": "Back up.", "marking": {"tlp": "green", "handling": "H0"}}`}).
			want(t, http.StatusCreated)
		e.do(t, request{Method: "POST", Path: msgs, Token: officer, Body: `{"text": ""}`}).wantError(t, http.StatusBadRequest, "invalid", "text")
		var ms struct{ Items []crossguard.Message }
		e.do(t, request{Method: "GET", Path: msgs, Token: auditor}).want(t, http.StatusOK).decode(t, &ms)
		if len(ms.Items) != 2 || ms.Items[0].ID != m.ID || ms.Items[1].Marking.TLP != crossguard.TLPGreen {
			t.Fatalf("messages %+v", ms.Items)
		}
	})
}

// warningReasons returns the reasons of type warning of the decision on
// a declaration carrying container, posted through the API.
func warningReasons(t *testing.T, e *testEnv, id, container string) (*crossguard.Decision, []crossguard.Reason) {
	t.Helper()
	d := e.decide(t, id, map[string]any{"identifiers": []map[string]string{{"type": "container", "value": container}}})
	return d, reasonsOf(d, crossguard.ReasonWarning)
}

// TestWarningSelectsDeclarations checks that a warning in force puts the
// declarations carrying its container into its suggested channel with a
// reason naming it and its origin agency; that a warning whose window has
// not begun does not; and that withdrawal ends it. A partner's warning,
// received, does the same and names the partner.
func TestWarningSelectsDeclarations(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[crossguard.RoleOfficer]
		if _, rs := warningReasons(t, e, "W0000001", warnedContainer); len(rs) != 0 {
			t.Fatalf("warning reasons before any warning: %+v", rs)
		}
		var op apiOperation
		e.do(t, request{Method: "POST", Path: "/api/v1/operations", Token: officer, Body: operationJSON}).want(t, http.StatusCreated).decode(t, &op)
		warnings := "/api/v1/operations/" + op.ID + "/warnings"
		res := e.do(t, request{Method: "POST", Path: warnings, Token: officer, Body: nowWarningJSON}).want(t, http.StatusCreated)
		var w crossguard.Warning
		res.decode(t, &w)
		if w.Kind != crossguard.KindWarning || w.Operation != op.ID || !reflect.DeepEqual(w.Recipients, op.Participants) || w.Marking != op.Marking ||
			res.Header.Get("Location") != "/api/v1/warnings/"+w.ID {
			t.Fatalf("created warning %s, Location %q", res.Body, res.Header.Get("Location"))
		}
		later := e.do(t, request{Method: "POST", Path: warnings, Token: officer,
			Body: warningJSON(laterContainer, "2026-12-05T00:00:00Z", "2026-12-06T00:00:00Z")}).want(t, http.StatusCreated)

		d, rs := warningReasons(t, e, "W0000002", warnedContainer)
		if d.Channel != crossguard.ChannelRed || len(rs) != 1 || !strings.HasPrefix(rs[0].ID, w.ID) ||
			!strings.Contains(rs[0].Text, w.ID) || !strings.Contains(rs[0].Text, "pk-customs") || !strings.Contains(rs[0].Text, op.Name) {
			t.Fatalf("declaration inside the window: channel %s, warning reasons %+v", d.Channel, rs)
		}
		if _, rs := warningReasons(t, e, "W0000003", laterContainer); len(rs) != 0 {
			t.Fatalf("declaration before the later warning's window: %+v", rs)
		}

		var ws struct{ Items []crossguard.Warning }
		e.do(t, request{Method: "GET", Path: warnings, Token: officer}).want(t, http.StatusOK).decode(t, &ws)
		if len(ws.Items) != 2 || ws.Items[0].ID != w.ID {
			t.Fatalf("warnings %+v", ws.Items)
		}
		var shown crossguard.Warning
		e.do(t, request{Method: "GET", Path: "/api/v1/warnings/" + w.ID, Token: officer}).want(t, http.StatusOK).decode(t, &shown)
		if !reflect.DeepEqual(shown, w) {
			t.Fatalf("shown %+v, created %+v", shown, w)
		}

		// Withdrawn: the entry goes, and the warning with it.
		e.do(t, request{Method: "DELETE", Path: "/api/v1/warnings/" + w.ID, Token: officer}).want(t, http.StatusNoContent)
		if _, rs := warningReasons(t, e, "W0000004", warnedContainer); len(rs) != 0 {
			t.Fatalf("declaration after the withdrawal: %+v", rs)
		}
		e.do(t, request{Method: "DELETE", Path: "/api/v1/warnings/" + w.ID, Token: officer}).wantError(t, http.StatusNotFound, "not_found", "")
		e.do(t, request{Method: "GET", Path: "/api/v1/warnings/" + w.ID, Token: officer}).wantError(t, http.StatusNotFound, "not_found", "")
		e.do(t, request{Method: "GET", Path: warnings, Token: officer}).want(t, http.StatusOK).decode(t, &ws)
		if len(ws.Items) != 1 || ws.Items[0].ID == w.ID {
			t.Fatalf("warnings after the withdrawal %+v (later: %s)", ws.Items, later.Body)
		}

		// Refused warnings.
		for _, c := range []struct{ name, body, field string }{
			{"without identifiers", strings.Replace(nowWarningJSON, `[{"type": "container", "value": "MSKU1234565"}]`, `[]`, 1), "identifiers"},
			{"with a person's identifier", strings.Replace(nowWarningJSON, `"container"`, `"passport"`, 1), "identifiers[0].type"},
			{"with a window already past", warningJSON(warnedContainer, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"), "window.to"},
			{"with a bad channel", strings.Replace(nowWarningJSON, `"red"`, `"green"`, 1), "suggested_channel"},
			{"to a non-participant", strings.Replace(nowWarningJSON, `"reason"`, `"to": ["cn-customs"], "reason"`, 1), "to[0]"},
		} {
			t.Run("refused "+c.name, func(t *testing.T) {
				e.do(t, request{Method: "POST", Path: warnings, Token: officer, Body: c.body}).wantError(t, http.StatusBadRequest, "invalid", c.field)
			})
		}

		// A partner's warning, received, selects too, naming the partner;
		// only the partner withdraws it.
		pw := e.mustReceiveWarning(t)
		d, rs = warningReasons(t, e, "W0000005", warnedContainer)
		if d.Channel != crossguard.ChannelRed || len(rs) != 1 || !strings.HasPrefix(rs[0].ID, pw.ID) ||
			!strings.Contains(rs[0].Text, pw.ID) || !strings.Contains(rs[0].Text, "af-customs") {
			t.Fatalf("declaration under a partner's warning: channel %s, warning reasons %+v", d.Channel, rs)
		}
		e.do(t, request{Method: "DELETE", Path: "/api/v1/warnings/" + pw.ID, Token: officer}).wantError(t, http.StatusForbidden, "forbidden", "")
	})
}

// mustReceiveWarning receives an operation of PeerA with this node's
// agency among the participants and a warning of PeerA in it on
// warnedContainer, in force at testNow, and reloads targeting as the
// server does every few seconds.
func (e *testEnv) mustReceiveWarning(t testing.TB) *crossguard.Warning {
	t.Helper()
	p := storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow)
	p.Kinds = crossguard.ShareableKinds
	e.mustAddPeer(t, p)
	amber := crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}
	created := testNow.Add(-48 * time.Hour)
	op := &crossguard.Operation{Header: crossguard.Header{ID: storetest.SeizureID(900, created), Origin: storetest.PeerA, Version: 1,
		CreatedAt: created, UpdatedAt: created, Marking: amber}, Name: "Border Shield",
		Participants: []string{"af-customs", "pk-customs"}, StartsAt: created, EndsAt: testNow.AddDate(0, 1, 0)}
	op.Normalize()
	created = testNow.Add(-2 * time.Hour)
	w := &crossguard.Warning{Header: crossguard.Header{ID: storetest.SeizureID(901, created), Origin: storetest.PeerA, Version: 1,
		CreatedAt: created, UpdatedAt: created, Marking: amber, Recipients: op.Participants}, Operation: op.ID,
		Identifiers: []crossguard.Identifier{{Type: "container", Value: warnedContainer}}, ExpectedCrossing: "Sost",
		Window: crossguard.WarningWindow{From: testNow.Add(-time.Hour), To: testNow.Add(24 * time.Hour)},
		Reason: "truck seen loading at a known stash house", SuggestedChannel: crossguard.ChannelRed}
	w.Normalize()
	e.mustReceive(t, storetest.PeerA, 1, 1, incoming(t, op.Header, op), incoming(t, w.Header, w))
	if err := e.node.ReloadTargeting(context.Background()); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWarningFeedback checks feedback on a partner's warning and on this
// node's own, its validation, and the report it feeds in every format.
func TestWarningFeedback(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer, auditor := e.tokens[crossguard.RoleOfficer], e.tokens[crossguard.RoleAuditor]
		pw := e.mustReceiveWarning(t)
		op := e.mustCreateOperation(t)
		own := e.mustCreateWarning(t, op.ID)
		seizure := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
		feedback := func(id string) string { return "/api/v1/warnings/" + id + "/feedback" }

		for _, c := range []struct{ name, body, field string }{
			{"without a result", `{"notes": "seen"}`, "result"},
			{"with an unknown result", `{"result": "maybe"}`, "result"},
			{"not inspected without a reason", `{"result": "not_inspected"}`, "not_inspected_reason"},
			{"with a reason but inspected", `{"result": "not_seen", "not_inspected_reason": "queue"}`, "not_inspected_reason"},
			{"with a seizure but nothing found", `{"result": "inspected_nothing_found", "seizure_id": "` + seizure.ID + `"}`, "seizure_id"},
			{"with a seizure this node lacks", `{"result": "seized", "seizure_id": "` + storetest.SeizureID(998, testNow) + `"}`, "seizure_id"},
			{"with a field of the header", `{"result": "not_seen", "recipients": ["af-customs"]}`, "recipients"},
		} {
			t.Run("refused "+c.name, func(t *testing.T) {
				e.do(t, request{Method: "POST", Path: feedback(pw.ID), Token: officer, Body: c.body}).wantError(t, http.StatusBadRequest, "invalid", c.field)
			})
		}
		e.do(t, request{Method: "POST", Path: feedback(storetest.SeizureID(997, testNow)), Token: officer, Body: `{"result": "not_seen"}`}).
			wantError(t, http.StatusNotFound, "not_found", "")

		// The partner's warning led to a seizure here; this node's own
		// was not inspected.
		var f crossguard.Feedback
		e.do(t, request{Method: "POST", Path: feedback(pw.ID), Token: officer,
			Body: `{"result": "seized", "seizure_id": "` + seizure.ID + `", "notes": "12.5 kg in a false floor"}`}).
			want(t, http.StatusCreated).decode(t, &f)
		if f.Kind != crossguard.KindFeedback || f.Warning != pw.ID || f.Operation != pw.Operation || f.SeizureID != seizure.ID ||
			!reflect.DeepEqual(f.Recipients, []string{"af-customs", "pk-customs"}) || f.Marking != pw.Marking {
			t.Fatalf("feedback %+v", f)
		}
		e.do(t, request{Method: "POST", Path: feedback(own.ID), Token: officer,
			Body: `{"result": "not_inspected", "not_inspected_reason": "scanner down"}`}).want(t, http.StatusCreated)
		var fs struct{ Items []crossguard.Feedback }
		e.do(t, request{Method: "GET", Path: feedback(pw.ID), Token: auditor}).want(t, http.StatusOK).decode(t, &fs)
		if len(fs.Items) != 1 || fs.Items[0].ID != f.ID {
			t.Fatalf("feedback on the partner's warning %+v", fs.Items)
		}

		// The report of the partner's operation, in JSON: the totals at
		// the top level beside the breakdowns.
		report := "/api/v1/operations/" + pw.Operation + "/report"
		res := e.do(t, request{Method: "GET", Path: report, Token: auditor}).want(t, http.StatusOK)
		var top map[string]any
		res.decode(t, &top)
		for k, want := range map[string]float64{"warnings": 1, "feedback": 1, "hits": 1, "seizures": 1, "feedback_rate": 1, "hit_rate": 1} {
			if got, ok := top[k].(float64); !ok || got != want {
				t.Errorf("report %s = %v, want %v", k, top[k], want)
			}
		}
		for _, k := range []string{"agencies", "days", "categories"} {
			if _, ok := top[k].([]any); !ok {
				t.Errorf("report lacks the list %s: %s", k, res.Body)
			}
		}
		e.do(t, request{Method: "GET", Path: report + "?format=json", Token: auditor}).want(t, http.StatusOK)

		// CSV: one flat file, a section column.
		res = e.do(t, request{Method: "GET", Path: report + "?format=csv", Token: auditor}).want(t, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("CSV Content-Type %q", ct)
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.Body))).ReadAll()
		if err != nil {
			t.Fatalf("report CSV: %v\n%s", err, res.Body)
		}
		col := func(name string) int { return slices.Index(rows[0], name) }
		var sections []string
		for _, r := range rows[1:] {
			if !slices.Contains(sections, r[0]) {
				sections = append(sections, r[0])
			}
			if r[0] == "category" && (r[col("key")] != "narcotics" || r[col("unit")] != "kg" || r[col("quantity")] != "12.5") {
				t.Errorf("category row %v", r)
			}
			if r[0] == "totals" && (r[col("warnings")] != "1" || r[col("hits")] != "1" || r[col("seizures")] != "1") {
				t.Errorf("totals row %v", r)
			}
		}
		if rows[0][0] != "section" || !reflect.DeepEqual(sections, []string{"totals", "agency", "day", "category"}) {
			t.Fatalf("CSV header %v, sections %v:\n%s", rows[0], sections, res.Body)
		}

		// Text: a readable summary with tables.
		res = e.do(t, request{Method: "GET", Path: report + "?format=text", Token: auditor}).want(t, http.StatusOK)
		text := string(res.Body)
		for _, want := range []string{"Operation Border Shield", "Warnings:", "Hits:", "By agency:", "af-customs", "By day (UTC):", "2026-12-01",
			"Seized goods by category:", "narcotics", "12.5 kg"} {
			if !strings.Contains(text, want) {
				t.Errorf("text report lacks %q:\n%s", want, text)
			}
		}
		e.do(t, request{Method: "GET", Path: report + "?format=pdf", Token: auditor}).wantError(t, http.StatusBadRequest, "invalid", "format")

		// The own operation's report counts the own warning, answered,
		// without a hit.
		var own2 struct {
			Warnings, Feedback, Hits, Seizures int
		}
		e.do(t, request{Method: "GET", Path: "/api/v1/operations/" + op.ID + "/report", Token: auditor}).want(t, http.StatusOK).decode(t, &own2)
		if own2.Warnings != 1 || own2.Feedback != 1 || own2.Hits != 0 || own2.Seizures != 0 {
			t.Fatalf("own operation's report %+v", own2)
		}
	})
}
