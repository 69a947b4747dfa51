package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
	"crossguard/storetest"
)

// agreementJSON is an agreement between this node's agency and PeerA's
// (af-customs), as a client sends it: the marking comes from the scope.
const agreementJSON = `{"title": "Counter-narcotics and anti-smuggling cooperation",
 "parties": ["pk-customs", "af-customs"], "signed_on": "2026-06-01",
 "scope": {"kinds": ["seizure", "warning", "activity"], "default_marking": {"tlp": "amber", "handling": "H1"}, "retention_days": 730},
 "commitments": [
  {"id": "ex-1", "type": "exercise", "title": "Joint exercise in the border region", "owner": "pk-customs", "due": "2026-11-30"},
  {"id": "tr-1", "type": "training", "title": "Training at the partner's academy", "owner": "af-customs", "due": "2027-03-31"},
  {"id": "vi-1", "type": "visit", "title": "Delegation visit", "owner": "af-customs", "due": "2026-10-31"},
  {"id": "ix-1", "type": "intelligence_exchange", "title": "Monthly exchange of seizure statistics", "owner": "pk-customs", "due": "2027-06-30",
   "description": "Aggregates only, no personal data."}]}`

// exerciseJSON returns a joint exercise fulfilling ex-1 of agreement
// (none if "").
func exerciseJSON(agreement string) string {
	link := `"marking": {"tlp": "green", "handling": "H0"},`
	if agreement != "" {
		link = `"agreement": "` + agreement + `", "commitment": "ex-1",`
	}
	return `{"type": "exercise", ` + link + ` "title": "Joint exercise: vehicle search, Khunjerab",
 "starts_on": "2026-11-10", "ends_on": "2026-11-12", "place": "Sost dry port",
 "agencies": ["pk-customs", "af-customs"], "units": ["Mobile team 3", "Dog unit"],
 "headcounts": {"pk-customs": 40, "af-customs": 25}, "status": "done", "outcome": "Search drill completed; two concealments found."}`
}

// trainingJSON returns a training fulfilling tr-1 of agreement, whose
// title and place need escaping and folding in iCalendar.
func trainingJSON(agreement string) string {
	return `{"type": "training", "agreement": "` + agreement + `", "commitment": "tr-1",
 "title": "Concealment detection; module 2, part A \\ advanced — ставка, 検査, with a title long enough to be folded twice over in the calendar",
 "starts_on": "2027-02-01", "ends_on": "2027-02-12", "place": "Customs academy, Kabul; hall 3",
 "agencies": ["af-customs", "pk-customs"], "headcounts": {"pk-customs": 12},
 "status": "planned", "training": {"course": "Concealment detection", "hours": 60, "certified": 0}}`
}

// visitJSON returns a cancelled delegation visit of agreement.
func visitJSON(agreement string) string {
	return `{"type": "visit", "agreement": "` + agreement + `", "commitment": "vi-1", "title": "Delegation visit to Torkham",
 "starts_on": "2026-12-31", "ends_on": "2026-12-31", "place": "Torkham border crossing",
 "agencies": ["af-customs", "pk-customs"], "status": "cancelled",
 "visit": {"delegation_size": 6, "lead_title": "Deputy Director General", "itinerary": ["Torkham", "Jalalabad"]}}`
}

// mustCreateAgreement creates agreementJSON through the node.
func (e *testEnv) mustCreateAgreement(t testing.TB) *node.AgreementView {
	t.Helper()
	var a crossguard.Agreement
	if err := json.Unmarshal([]byte(agreementJSON), &a); err != nil {
		t.Fatal(err)
	}
	v, err := e.node.CreateAgreement(context.Background(), "test", &a)
	if err != nil {
		t.Fatalf("create agreement: %v", err)
	}
	return v
}

// mustCreateActivity creates exerciseJSON(agreement) through the node.
func (e *testEnv) mustCreateActivity(t testing.TB, agreement string) *crossguard.Activity {
	t.Helper()
	var a crossguard.Activity
	if err := json.Unmarshal([]byte(exerciseJSON(agreement)), &a); err != nil {
		t.Fatal(err)
	}
	out, err := e.node.CreateActivity(context.Background(), "test", &a)
	if err != nil {
		t.Fatalf("create activity: %v", err)
	}
	return out
}

// apiAgreement is an agreement as the API answers it.
type apiAgreement = node.AgreementView

// commitmentStatuses returns the status by commitment id and the order.
func commitmentStatuses(v *apiAgreement) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	for _, c := range v.Commitments {
		m[c.ID] = c.Status
		order = append(order, c.ID)
	}
	return m, order
}

// TestAgreements checks the life of an agreement written by this node:
// created and shared with its parties alone, progress reported by its
// owners only, statuses merged with overdue first, and updated under
// If-Match by its origin.
func TestAgreements(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[crossguard.RoleOfficer]
		res := e.do(t, request{Method: "POST", Path: "/api/v1/agreements", Token: officer, Body: agreementJSON}).want(t, http.StatusCreated)
		var a apiAgreement
		res.decode(t, &a)
		if a.Kind != crossguard.KindAgreement || a.Origin != e.node.Info.ID || a.Version != 1 || a.Distribution != crossguard.DistNetwork ||
			!reflect.DeepEqual(a.Recipients, []string{"pk-customs", "af-customs"}) || a.Marking.TLP != crossguard.TLPAmber || len(a.Commitments) != 4 {
			t.Fatalf("created agreement %s", res.Body)
		}
		if res.Header.Get("Location") != "/api/v1/agreements/"+a.ID || res.Header.Get("ETag") != `"1"` {
			t.Fatalf("Location %q, ETag %q", res.Header.Get("Location"), res.Header.Get("ETag"))
		}
		path := "/api/v1/agreements/" + a.ID
		// Today is 2026-12-01: ex-1 (due 2026-11-30) and vi-1 (2026-10-31)
		// are overdue, vi-1 first.
		m, order := commitmentStatuses(&a)
		if m["ex-1"] != crossguard.StatusOverdue || m["vi-1"] != crossguard.StatusOverdue || m["tr-1"] != crossguard.StatusPlanned ||
			!reflect.DeepEqual(order, []string{"vi-1", "ex-1", "tr-1", "ix-1"}) || a.Overdue != 2 || a.Today != "2026-12-01" {
			t.Fatalf("statuses %v in order %v", m, order)
		}

		res = e.do(t, request{Method: "POST", Path: path + "/progress", Token: officer, Body: `{"commitment": "ex-1", "status": "done", "note": "held 10-12 November"}`}).
			want(t, http.StatusCreated)
		var p crossguard.Progress
		res.decode(t, &p)
		if p.Kind != crossguard.KindProgress || p.Agreement != a.ID || p.Status != crossguard.StatusDone || !p.ReportedAt.Equal(testNow) ||
			!reflect.DeepEqual(p.Recipients, a.Parties) || p.Marking != a.Marking {
			t.Fatalf("progress %s", res.Body)
		}
		t.Run("progress on a partner's commitment", func(t *testing.T) {
			e.do(t, request{Method: "POST", Path: path + "/progress", Token: officer, Body: `{"commitment": "tr-1", "status": "done"}`}).
				wantError(t, http.StatusForbidden, "forbidden", "")
		})
		t.Run("progress of an unknown status", func(t *testing.T) {
			e.do(t, request{Method: "POST", Path: path + "/progress", Token: officer, Body: `{"commitment": "ix-1", "status": "overdue"}`}).
				wantError(t, http.StatusBadRequest, "invalid", "status")
		})
		t.Run("progress on an unknown agreement", func(t *testing.T) {
			e.do(t, request{Method: "POST", Path: "/api/v1/agreements/0193a6f4-5b1e-7c4e-9a51-000000000000/progress", Token: officer,
				Body: `{"commitment": "ix-1", "status": "done"}`}).wantError(t, http.StatusNotFound, "not_found", "")
		})
		got := e.do(t, request{Method: "GET", Path: path, Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK)
		got.decode(t, &a)
		if m, order := commitmentStatuses(&a); m["ex-1"] != crossguard.StatusDone || order[0] != "vi-1" || a.Overdue != 1 {
			t.Fatalf("after the report: %v in order %v", m, order)
		}

		t.Run("PUT needs If-Match", func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: agreementJSON}).wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
		})
		t.Run("PUT of what GET answered", func(t *testing.T) {
			body := strings.Replace(string(got.Body), `"due":"2026-10-31"`, `"due":"2027-01-31"`, 1)
			res := e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: body, Header: map[string]string{"If-Match": got.Header.Get("ETag")}}).
				want(t, http.StatusOK)
			var v apiAgreement
			res.decode(t, &v)
			if m, _ := commitmentStatuses(&v); v.Version != 2 || m["vi-1"] != crossguard.StatusPlanned || m["ex-1"] != crossguard.StatusDone || res.Header.Get("ETag") != `"2"` {
				t.Fatalf("after the update: %s", res.Body)
			}
		})
		t.Run("PUT of a stale version", func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: agreementJSON, Header: map[string]string{"If-Match": `"1"`}}).
				wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
		})
		var list struct{ Items []apiAgreement }
		e.do(t, request{Method: "GET", Path: "/api/v1/agreements", Token: officer}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != a.ID || list.Items[0].Version != 2 {
			t.Fatalf("agreement list %+v", list.Items)
		}
	})
}

// TestAgreementRefused checks that invalid agreements are refused with
// the field at fault and not stored.
func TestAgreementRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	cases := []struct{ name, from, to, field string }{
		{"owner not a party", `"owner": "af-customs", "due": "2027-03-31"`, `"owner": "ir-customs", "due": "2027-03-31"`, "commitments[1].owner"},
		{"this node's agency not a party", `["pk-customs", "af-customs"]`, `["cn-customs", "af-customs"]`, "parties"},
		{"duplicate commitment id", `"id": "tr-1"`, `"id": "ex-1"`, "commitments[1].id"},
		{"unknown commitment type", `"type": "visit"`, `"type": "dinner"`, "commitments[2].type"},
		{"due not a date", `"due": "2027-06-30"`, `"due": "end of June"`, "commitments[3].due"},
		{"distribution agency", `"title"`, `"distribution": "agency", "title"`, "distribution"},
		{"a person's name", `"title"`, `"signatory_name": "A. Khan", "title"`, "signatory_name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Replace(agreementJSON, tc.from, tc.to, 1)
			if body == agreementJSON {
				t.Fatalf("the case changes nothing")
			}
			e.do(t, request{Method: "POST", Path: "/api/v1/agreements", Token: e.tokens[crossguard.RoleAnalyst], Body: body}).
				wantError(t, http.StatusBadRequest, "invalid", tc.field)
		})
	}
	var list struct{ Items []apiAgreement }
	e.do(t, request{Method: "GET", Path: "/api/v1/agreements", Token: e.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK).decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("refused agreements were stored: %+v", list.Items)
	}
}

// partnerAgreement returns the agreement of agreementJSON as PeerA wrote
// it.
func partnerAgreement(t testing.TB) *crossguard.Agreement {
	t.Helper()
	var a crossguard.Agreement
	if err := json.Unmarshal([]byte(agreementJSON), &a); err != nil {
		t.Fatal(err)
	}
	at := testNow.Add(-48 * time.Hour)
	a.Header = crossguard.Header{ID: storetest.SeizureID(500, at), Kind: crossguard.KindAgreement, Origin: storetest.PeerA, Version: 1,
		CreatedAt: at, UpdatedAt: at, Distribution: crossguard.DistNetwork, Recipients: a.Parties, Marking: a.Scope.DefaultMarking}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	return &a
}

// partnerProgress returns report i by origin on commitment c of a,
// reported hours before testNow.
func partnerProgress(t testing.TB, i int, origin string, a *crossguard.Agreement, c, status string, hours int) *crossguard.Progress {
	t.Helper()
	at := testNow.Add(-time.Duration(hours) * time.Hour)
	p := &crossguard.Progress{Header: crossguard.Header{ID: storetest.SeizureID(600+i, at), Kind: crossguard.KindProgress, Origin: origin, Version: 1,
		CreatedAt: at, UpdatedAt: at, Distribution: crossguard.DistNetwork, Recipients: a.Parties, Marking: a.Marking},
		Agreement: a.ID, Commitment: c, Status: status, ReportedAt: at}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// incoming returns record v with header h, about target, as a peer's page
// carries it, checked by its kind's registered check as the federation
// layer does.
func incoming(t testing.TB, h crossguard.Header, v any) *crossguard.Incoming {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := crossguard.LookupRecordKind(h.Kind)
	if !ok {
		t.Fatalf("kind %s is not registered", h.Kind)
	}
	target, err := k.Check(b, &h)
	if err != nil {
		t.Fatalf("the %s would be refused: %v", h.Kind, err)
	}
	return &crossguard.Incoming{Header: h, Target: target, Path: []string{h.Origin},
		Signed: crossguard.SignedRecord{Record: b, Signature: "c2lnbmVk"}}
}

// TestReceivedProgress checks that an agreement and progress reports
// received from partners merge into the same statuses whatever the order
// they arrive in, late reports included, and that a report by a party
// that does not own the commitment is ignored.
func TestReceivedProgress(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		// Two nodes of this agency: each receives the same records, in
		// opposite orders, one page each.
		other := newTestEnvOn(t, openSQLite(t))
		a := partnerAgreement(t)
		report := func(i int, origin, c, status string, hours int) *crossguard.Incoming {
			p := partnerProgress(t, i, origin, a, c, status, hours)
			return incoming(t, p.Header, p)
		}
		records := []*crossguard.Incoming{
			incoming(t, a.Header, a),
			report(1, storetest.PeerA, "tr-1", crossguard.StatusInProgress, 30),
			report(2, storetest.PeerA, "tr-1", crossguard.StatusPlanned, 40),  // late: older, arrives after
			report(3, storetest.PeerA, "ex-1", crossguard.StatusCancelled, 1), // not the owner: ignored
			report(4, storetest.PeerA, "vi-1", crossguard.StatusDone, 20),
			report(5, storetest.PeerB, "ex-1", crossguard.StatusInProgress, 25), // another node of this agency
			report(6, storetest.PeerB, "ix-1", crossguard.StatusDone, 50),
			report(7, storetest.PeerB, "ix-1", crossguard.StatusInProgress, 10),
		}
		for _, env := range []*testEnv{e, other} {
			env.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
			env.mustAddPeer(t, storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow))
		}
		for i, r := range records {
			from := storetest.PeerA
			if r.Header.Origin == storetest.PeerB {
				from = storetest.PeerB
			}
			e.mustReceive(t, from, int64(i+1), int64(len(records)), storetest.FromPeer(from, r)...)
		}
		for i := len(records) - 1; i >= 0; i-- {
			// A progress report arriving before its agreement is kept and
			// counted once the agreement arrives.
			r := records[i]
			from := storetest.PeerA
			if r.Header.Origin == storetest.PeerB {
				from = storetest.PeerB
			}
			other.mustReceive(t, from, int64(len(records)-i), int64(len(records)), storetest.FromPeer(from, r)...)
		}
		want := map[string]string{"tr-1": crossguard.StatusInProgress, "ex-1": crossguard.StatusOverdue, "vi-1": crossguard.StatusDone, "ix-1": crossguard.StatusInProgress}
		var views [2]apiAgreement
		for i, env := range []*testEnv{e, other} {
			env.do(t, request{Method: "GET", Path: "/api/v1/agreements/" + a.ID, Token: env.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK).decode(t, &views[i])
			if m, _ := commitmentStatuses(&views[i]); !reflect.DeepEqual(m, want) {
				t.Fatalf("node %d: statuses %v, want %v", i, m, want)
			}
		}
		if !reflect.DeepEqual(views[0].Commitments, views[1].Commitments) {
			t.Fatalf("the two nodes disagree:\n%+v\n%+v", views[0].Commitments, views[1].Commitments)
		}
		for _, c := range views[0].Commitments {
			if c.ID == "ex-1" && (c.Reported != crossguard.StatusInProgress || c.Reports != 1) {
				t.Fatalf("ex-1 counts the partner's report: %+v", c)
			}
		}
		// This node reports on its own commitment of the partner's
		// agreement, and cannot change the agreement.
		analyst := e.tokens[crossguard.RoleAnalyst]
		e.do(t, request{Method: "POST", Path: "/api/v1/agreements/" + a.ID + "/progress", Token: analyst, Body: `{"commitment": "ex-1", "status": "done"}`}).
			want(t, http.StatusCreated)
		e.do(t, request{Method: "PUT", Path: "/api/v1/agreements/" + a.ID, Token: analyst, Body: agreementJSON, Header: map[string]string{"If-Match": `"1"`}}).
			wantError(t, http.StatusForbidden, "forbidden", "")
		var v apiAgreement
		e.do(t, request{Method: "GET", Path: "/api/v1/agreements/" + a.ID, Token: analyst}).want(t, http.StatusOK).decode(t, &v)
		if m, _ := commitmentStatuses(&v); m["ex-1"] != crossguard.StatusDone {
			t.Fatalf("after this node's report: %v", m)
		}
	})
}

// TestActivities checks activities: created with the agreement's parties
// as recipients, refused when they do not fit the agreement, listed by
// start date, filtered by agreement, and read one by one.
func TestActivities(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[crossguard.RoleOfficer]
		ag := e.mustCreateAgreement(t)
		var ids []string
		for _, body := range []string{visitJSON(ag.ID), trainingJSON(ag.ID), exerciseJSON(ag.ID), exerciseJSON("")} {
			res := e.do(t, request{Method: "POST", Path: "/api/v1/activities", Token: officer, Body: body}).want(t, http.StatusCreated)
			var a crossguard.Activity
			res.decode(t, &a)
			if a.Origin != e.node.Info.ID || a.Kind != crossguard.KindActivity || res.Header.Get("Location") != "/api/v1/activities/"+a.ID {
				t.Fatalf("created activity %s", res.Body)
			}
			if a.Agreement != "" && (!reflect.DeepEqual(a.Recipients, ag.Parties) || a.Marking != ag.Scope.DefaultMarking) {
				t.Fatalf("activity of the agreement: recipients %v, marking %+v", a.Recipients, a.Marking)
			}
			ids = append(ids, a.ID)
		}
		refusals := []struct{ name, body, field string }{
			{"unknown agreement", exerciseJSON("0193a6f4-5b1e-7c4e-9a51-000000000000"), "agreement"},
			{"commitment of another type", strings.Replace(exerciseJSON(ag.ID), `"ex-1"`, `"tr-1"`, 1), "type"},
			{"agency outside the agreement", strings.Replace(exerciseJSON(ag.ID), `["pk-customs", "af-customs"]`, `["pk-customs", "ir-customs"]`, 1), "agencies[1]"},
			{"a person's name", strings.Replace(exerciseJSON(ag.ID), `"units"`, `"participants": ["A. Khan"], "units"`, 1), "participants"},
			{"visit without its details", strings.Replace(visitJSON(ag.ID), `,
 "visit": {"delegation_size": 6, "lead_title": "Deputy Director General", "itinerary": ["Torkham", "Jalalabad"]}`, "", 1), "visit"},
			{"ends before it starts", strings.Replace(exerciseJSON(ag.ID), `"2026-11-12"`, `"2026-11-01"`, 1), "ends_on"},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				e.do(t, request{Method: "POST", Path: "/api/v1/activities", Token: officer, Body: tc.body}).wantError(t, http.StatusBadRequest, "invalid", tc.field)
			})
		}
		var list struct{ Items []crossguard.Activity }
		e.do(t, request{Method: "GET", Path: "/api/v1/activities", Token: officer}).want(t, http.StatusOK).decode(t, &list)
		var starts []string
		for _, a := range list.Items {
			starts = append(starts, a.StartsOn)
		}
		if len(list.Items) != 4 || !reflect.DeepEqual(starts, []string{"2026-11-10", "2026-11-10", "2026-12-31", "2027-02-01"}) {
			t.Fatalf("activities by start date: %v", starts)
		}
		e.do(t, request{Method: "GET", Path: "/api/v1/activities?agreement=" + ag.ID, Token: officer}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 3 {
			t.Fatalf("%d activities of the agreement, want 3", len(list.Items))
		}
		e.do(t, request{Method: "GET", Path: "/api/v1/activities?agreeement=x", Token: officer}).wantError(t, http.StatusBadRequest, "invalid", "agreeement")
		var a crossguard.Activity
		res := e.do(t, request{Method: "GET", Path: "/api/v1/activities/" + ids[1], Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK)
		res.decode(t, &a)
		if a.Training == nil || a.Training.Hours != 60 || res.Header.Get("ETag") != `"1"` {
			t.Fatalf("training activity %s", res.Body)
		}
		e.do(t, request{Method: "GET", Path: "/api/v1/activities/" + ag.ID, Token: officer}).wantError(t, http.StatusNotFound, "not_found", "")
	})
}

// TestActivitiesOfReceivedAgreement checks that this node records an
// activity of an agreement a partner wrote, sent to the agreement's
// parties.
func TestActivitiesOfReceivedAgreement(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
	a := partnerAgreement(t)
	e.mustReceive(t, storetest.PeerA, 1, 1, storetest.FromPeer(storetest.PeerA, incoming(t, a.Header, a))...)
	res := e.do(t, request{Method: "POST", Path: "/api/v1/activities", Token: e.tokens[crossguard.RoleOfficer], Body: exerciseJSON(a.ID)}).want(t, http.StatusCreated)
	var act crossguard.Activity
	res.decode(t, &act)
	if act.Agreement != a.ID || !reflect.DeepEqual(act.Recipients, a.Parties) {
		t.Fatalf("activity of a partner's agreement: %s", res.Body)
	}
	if got := fmt.Sprint(act.Headcounts); got != "map[af-customs:25 pk-customs:40]" {
		t.Fatalf("headcounts %s", got)
	}
}
