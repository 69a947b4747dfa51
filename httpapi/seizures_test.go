package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// TestSeizureLifecycle walks one record through create, read, update,
// a stale update, delete and a read of the deleted record.
func TestSeizureLifecycle(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	officer, analyst := e.tokens[crossguard.RoleOfficer], e.tokens[crossguard.RoleAnalyst]

	res := e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: officer, Body: storetest.ExampleSeizureJSON}).want(t, http.StatusCreated)
	created := res.seizure(t)
	switch {
	case created.ID == "":
		t.Fatal("created seizure has no id")
	case created.Version != 1, created.Origin != "pk-customs/sost", created.Kind != crossguard.KindSeizure:
		t.Fatalf("created header = %+v, want version 1, origin pk-customs/sost, kind seizure", created.Header)
	case !created.CreatedAt.Equal(testNow), !created.UpdatedAt.Equal(testNow):
		t.Fatalf("timestamps %v, %v; want the node clock %v", created.CreatedAt, created.UpdatedAt, testNow)
	case res.Header.Get("Location") != "/api/v1/seizures/"+created.ID:
		t.Fatalf("Location = %q", res.Header.Get("Location"))
	case res.Header.Get("ETag") != `"1"`:
		t.Fatalf("ETag = %q, want \"1\"", res.Header.Get("ETag"))
	case created.Goods[0].HS != "293911" || created.Narrative == "":
		t.Fatalf("body not stored as sent: %+v", created)
	}
	path := "/api/v1/seizures/" + created.ID

	res = e.do(t, request{Method: "GET", Path: path, Token: officer}).want(t, http.StatusOK)
	if got := res.Header.Get("ETag"); got != `"1"` {
		t.Fatalf("GET ETag = %q, want \"1\"", got)
	}
	got := res.seizure(t)
	if got.ID != created.ID || got.Place.Name != "Sost dry port" {
		t.Fatalf("GET returned %+v", got)
	}

	// A client puts back what it read, server-managed fields included.
	got.Narrative = "Packets in a welded compartment; driver fled."
	got.Version = 99 // ignored: If-Match decides
	body, _ := json.Marshal(got)
	res = e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: string(body),
		Header: map[string]string{"If-Match": `"1"`}}).want(t, http.StatusOK)
	updated := res.seizure(t)
	if updated.Version != 2 || res.Header.Get("ETag") != `"2"` || updated.Narrative != got.Narrative {
		t.Fatalf("update gave version %d, ETag %q, narrative %q", updated.Version, res.Header.Get("ETag"), updated.Narrative)
	}
	if !updated.CreatedAt.Equal(created.CreatedAt) || updated.Origin != created.Origin {
		t.Fatalf("update changed created_at or origin: %+v", updated.Header)
	}

	for _, stale := range []string{`"1"`, `1`, `W/"1"`} {
		e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: string(body),
			Header: map[string]string{"If-Match": stale}}).wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
	}
	for _, form := range []string{`%d`, `W/"%d"`} { // the other forms of the current version
		res = e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: string(body),
			Header: map[string]string{"If-Match": fmt.Sprintf(form, updated.Version)}}).want(t, http.StatusOK)
		updated = res.seizure(t)
	}
	if updated.Version != 4 {
		t.Fatalf("after two more updates version %d, want 4", updated.Version)
	}

	d := e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: string(body)}).
		wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
	if !strings.Contains(d.Message, "If-Match is required") {
		t.Fatalf("missing If-Match message %q does not say it is required", d.Message)
	}

	e.do(t, request{Method: "DELETE", Path: path, Token: analyst, Header: map[string]string{"If-Match": `"3"`}}).
		wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
	res = e.do(t, request{Method: "DELETE", Path: path, Token: analyst, Header: map[string]string{"If-Match": `"4"`}}).want(t, http.StatusNoContent)
	if len(res.Body) != 0 {
		t.Fatalf("204 with a body: %s", res.Body)
	}
	e.do(t, request{Method: "GET", Path: path, Token: officer}).wantError(t, http.StatusNotFound, "not_found", "")
	e.do(t, request{Method: "DELETE", Path: path, Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
	e.do(t, request{Method: "PUT", Path: path, Token: officer, Body: string(body),
		Header: map[string]string{"If-Match": `"5"`}}).wantError(t, http.StatusNotFound, "not_found", "")

	// Delete without If-Match deletes whatever version is stored.
	other := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
	e.do(t, request{Method: "DELETE", Path: "/api/v1/seizures/" + other.ID, Token: analyst}).want(t, http.StatusNoContent)
	if _, err := e.store.Tombstone(context.Background(), other.ID); err != nil {
		t.Fatalf("no tombstone after delete: %v", err)
	}

	for action, n := range map[string]int{crossguard.ActionSeizureCreate: 2, crossguard.ActionSeizureUpdate: 3, crossguard.ActionSeizureDelete: 2} {
		if got := e.auditCount(t, "", action); got != n {
			t.Errorf("%d audit entries of %s, want %d", got, action, n)
		}
	}
	if got := e.auditCount(t, crossguard.RoleOfficer, crossguard.ActionSeizureCreate); got != 1 {
		t.Errorf("create audited %d times under the officer's name, want 1", got)
	}
}

// TestForeignSeizure checks that a record of another origin can be read
// (and the read is audited) but not changed.
func TestForeignSeizure(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var s crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &s); err != nil {
		t.Fatal(err)
	}
	s.Normalize()
	s.ID, s.Origin, s.Version = "0193a6f4-0000-7000-8000-000000000001", "af-customs/torkham", 1
	s.CreatedAt, s.UpdatedAt = testNow.Add(-time.Hour), testNow.Add(-time.Hour)
	if err := e.store.CreateSeizures(context.Background(), "sync", []*crossguard.Seizure{&s}, nil); err != nil {
		t.Fatalf("store foreign seizure: %v", err)
	}
	path := "/api/v1/seizures/" + s.ID
	res := e.do(t, request{Method: "GET", Path: path, Token: e.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK)
	body := string(res.Body)
	if n := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionSeizureRead); n != 1 {
		t.Fatalf("%d read audits of the foreign record, want 1", n)
	}
	e.do(t, request{Method: "PUT", Path: path, Token: e.tokens[crossguard.RoleAnalyst], Body: body,
		Header: map[string]string{"If-Match": `"1"`}}).wantError(t, http.StatusForbidden, "forbidden", "")
	e.do(t, request{Method: "DELETE", Path: path, Token: e.tokens[crossguard.RoleAnalyst]}).
		wantError(t, http.StatusForbidden, "forbidden", "")
}

// TestCreateSeizureErrors covers every way a create can be refused.
func TestCreateSeizureErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.server.MaxBodyBytes = 64 << 10
	officer := e.tokens[crossguard.RoleOfficer]
	edit := func(old, new string) string {
		if !strings.Contains(storetest.ExampleSeizureJSON, old) {
			t.Fatalf("example has no %q", old)
		}
		return strings.Replace(storetest.ExampleSeizureJSON, old, new, 1)
	}
	cases := []struct {
		name        string
		body        string
		header      map[string]string
		token       string
		status      int
		code        string
		field       string // a field error expected, if not ""
		msgContains string
	}{
		{name: "malformed JSON", body: `{"country": "PK",` + "\n" + ` "place": {name}}`, status: 400, code: "invalid", msgContains: "line 2, column 12"},
		{name: "truncated JSON", body: storetest.ExampleSeizureJSON[:200], status: 400, code: "invalid", msgContains: "before the JSON object is complete"},
		{name: "unknown field", body: edit(`"office": "Sost"`, `"office": "Sost", "driver_name": "x"`), status: 400, code: "invalid", field: "driver_name"},
		{name: "unknown nested field", body: edit(`"unit": "kg"`, `"unit": "kg", "owner": "x"`), status: 400, code: "invalid", field: "goods[0].owner"},
		{name: "wrong type", body: edit(`"quantity": 12.5`, `"quantity": "12.5"`), status: 400, code: "invalid", field: "goods[0].quantity", msgContains: "request body"},
		{name: "wrong type in second line", body: edit(`"value": {"amount": 250000, "currency": "USD"}}]`,
			`"value": {"amount": 250000, "currency": "USD"}}, {"category": "narcotics", "hs": 2939}]`), status: 400, code: "invalid", field: "goods[1].hs"},
		{name: "number out of range", body: edit(`"quantity": 12.5`, `"quantity": 1e999`), status: 400, code: "invalid", field: "goods[0].quantity"},
		{name: "bad time", body: edit(`"2026-11-20T09:30:00Z"`, `"20 Nov 2026"`), status: 400, code: "invalid", field: "occurred_at"},
		{name: "time as a number", body: edit(`"2026-11-20T09:30:00Z"`, `20261120`), status: 400, code: "invalid", field: "occurred_at"},
		{name: "empty key", body: `{"": 1}`, status: 400, code: "invalid", field: `""`},
		{name: "array body", body: `[` + storetest.ExampleSeizureJSON + `]`, status: 400, code: "invalid", msgContains: "must be a JSON object"},
		{name: "null body", body: `null`, status: 400, code: "invalid", msgContains: "must be a JSON object"},
		{name: "trailing data", body: storetest.ExampleSeizureJSON + ` {}`, status: 400, code: "invalid", msgContains: "data after the JSON object"},
		{name: "two objects", body: `{}{}`, status: 400, code: "invalid", msgContains: "data after the JSON object"},
		{name: "empty body", body: ``, header: map[string]string{"Content-Type": "application/json"}, status: 400, code: "invalid", msgContains: "empty"},
		{name: "blank body", body: " \n ", status: 400, code: "invalid", msgContains: "empty"},
		{name: "huge body", body: edit(`"narrative": "`, `"narrative": "`+strings.Repeat("x", 70<<10)), status: 413, code: "too_large"},
		{name: "text content type", body: storetest.ExampleSeizureJSON, header: map[string]string{"Content-Type": "text/plain"}, status: 400, code: "invalid", msgContains: "Content-Type"},
		{name: "form content type", body: storetest.ExampleSeizureJSON, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 400, code: "invalid", msgContains: "application/json"},
		{name: "latin-1 charset", body: storetest.ExampleSeizureJSON, header: map[string]string{"Content-Type": "application/json; charset=latin1"}, status: 400, code: "invalid", msgContains: "charset"},
		{name: "invalid HS", body: edit(`"hs": "293911"`, `"hs": "999999"`), status: 400, code: "invalid", field: "goods[0].hs"},
		{name: "HS with letters", body: edit(`"hs": "293911"`, `"hs": "29391A"`), status: 400, code: "invalid", field: "goods[0].hs"},
		{name: "future occurred_at", body: edit(`"2026-11-20T09:30:00Z"`, `"2026-12-01T12:10:00Z"`), status: 400, code: "invalid", field: "occurred_at", msgContains: "invalid seizure"},
		{name: "bad container check digit", body: edit(`CSQU3054383`, `CSQU3054384`), status: 400, code: "invalid", field: "identifiers[0].value"},
		{name: "several invalid fields", body: edit(`"direction": "import"`, `"direction": "sideways", "country": "XX"`), status: 400, code: "invalid", field: "direction"},
		{name: "missing token", body: storetest.ExampleSeizureJSON, token: "-", status: 401, code: "unauthorized"},
		{name: "bad token", body: storetest.ExampleSeizureJSON, token: "cg_not-a-token", status: 401, code: "unauthorized"},
		{name: "basic auth", body: storetest.ExampleSeizureJSON, token: "-", header: map[string]string{"Authorization": "Basic b2ZmaWNlcjpwdw=="}, status: 401, code: "unauthorized"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := officer
			if tc.token == "-" {
				token = ""
			} else if tc.token != "" {
				token = tc.token
			}
			res := e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: token, Body: tc.body, Header: tc.header})
			d := res.wantError(t, tc.status, tc.code, tc.field)
			if tc.msgContains != "" && !strings.Contains(d.Message, tc.msgContains) {
				t.Errorf("message %q does not contain %q", d.Message, tc.msgContains)
			}
			if tc.status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: WWW-Authenticate %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
	page, err := e.store.ListSeizures(context.Background(), crossguard.SeizureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Fatalf("%d seizures stored by refused requests", len(page.Items))
	}
	if n := e.auditCount(t, "anonymous", crossguard.ActionLoginFailure); n != 3 {
		t.Errorf("%d login failures audited, want 3", n)
	}
}

// TestUpdateSeizureErrors covers refusals particular to updates.
func TestUpdateSeizureErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	s := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
	path := "/api/v1/seizures/" + s.ID
	officer := e.tokens[crossguard.RoleOfficer]
	cases := []struct {
		name, path, ifMatch, body string
		status                    int
		code, field               string
	}{
		{"If-Match star", path, `*`, storetest.ExampleSeizureJSON, 400, "invalid", "If-Match"},
		{"If-Match list", path, `"1", "2"`, storetest.ExampleSeizureJSON, 400, "invalid", "If-Match"},
		{"If-Match zero", path, `"0"`, storetest.ExampleSeizureJSON, 400, "invalid", "If-Match"},
		{"If-Match word", path, `"latest"`, storetest.ExampleSeizureJSON, 400, "invalid", "If-Match"},
		{"id of another record", path, `"1"`, strings.Replace(storetest.ExampleSeizureJSON, `{`, `{"id": "0193a6f4-0000-7000-8000-00000000abcd", `, 1), 400, "invalid", "id"},
		{"invalid body", path, `"1"`, strings.Replace(storetest.ExampleSeizureJSON, `"road"`, `"camel"`, 1), 400, "invalid", "transport_mode"},
		{"unknown record", "/api/v1/seizures/0193a6f4-0000-7000-8000-00000000ffff", `"1"`, storetest.ExampleSeizureJSON, 404, "not_found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: tc.path, Token: officer, Body: tc.body,
				Header: map[string]string{"If-Match": tc.ifMatch}}).wantError(t, tc.status, tc.code, tc.field)
		})
	}
	got, err := e.store.Seizure(context.Background(), s.ID)
	if err != nil || got.Version != 1 {
		t.Fatalf("record after refused updates: %v, %v", got, err)
	}
}
