package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"crossguard"
	"crossguard/internal/syncbuf"
	"crossguard/refdata"
	"crossguard/storetest"
)

// TestRefdata checks the HS look-up, search and enumeration endpoints.
func TestRefdata(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	token := e.tokens[crossguard.RoleOfficer]

	t.Run("hs entry with ancestors", func(t *testing.T) {
		var got hsDetail
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs/293911", Token: token}).want(t, 200).decode(t, &got)
		if got.Code != "293911" || got.Level != 6 || len(got.Ancestors) != 2 ||
			got.Ancestors[0].Code != "29" || got.Ancestors[1].Code != "2939" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("hs chapter has no ancestors", func(t *testing.T) {
		var got hsDetail
		res := e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs/29", Token: token}).want(t, 200)
		res.decode(t, &got)
		if got.Code != "29" || got.Ancestors == nil || len(got.Ancestors) != 0 || !strings.Contains(string(res.Body), `"ancestors":[]`) {
			t.Fatalf("got %s", res.Body)
		}
	})
	t.Run("hs with a dot", func(t *testing.T) {
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs/2939.11", Token: token}).want(t, 200)
	})
	for _, code := range []string{"999999", "29391", "abc", "29391100"} {
		t.Run("hs not found "+code, func(t *testing.T) {
			e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs/" + code, Token: token}).wantError(t, 404, "not_found", "")
		})
	}
	t.Run("hs search", func(t *testing.T) {
		var got struct{ Items []refdata.HSEntry }
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs?q=opium&limit=2", Token: token}).want(t, 200).decode(t, &got)
		if len(got.Items) != 2 || got.Items[0].Code != "130211" {
			t.Fatalf("got %+v", got.Items)
		}
	})
	t.Run("hs search by code", func(t *testing.T) {
		var got struct{ Items []refdata.HSEntry }
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs?q=2939.1", Token: token}).want(t, 200).decode(t, &got)
		if len(got.Items) == 0 || !strings.HasPrefix(got.Items[0].Code, "29391") {
			t.Fatalf("got %+v", got.Items)
		}
	})
	t.Run("hs search finds nothing", func(t *testing.T) {
		res := e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs?q=zzzzqqq", Token: token}).want(t, 200)
		if strings.TrimSpace(string(res.Body)) != `{"items":[]}` {
			t.Fatalf("got %s", res.Body)
		}
	})
	t.Run("hs search needs q", func(t *testing.T) {
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/hs", Token: token}).wantError(t, 400, "invalid", "q")
	})
	t.Run("enums", func(t *testing.T) {
		var got map[string]json.RawMessage
		e.do(t, request{Method: "GET", Path: "/api/v1/refdata/enums", Token: token}).want(t, 200).decode(t, &got)
		want := map[string][]string{
			"categories": crossguard.Categories, "transport_modes": crossguard.TransportModes,
			"detection_methods": crossguard.DetectionMethods, "concealments": crossguard.Concealments,
			"directions": crossguard.Directions, "units": crossguard.Units, "identifier_types": crossguard.IdentifierTypes,
			"distributions": crossguard.Distributions, "tlps": crossguard.TLPs, "handling_codes": crossguard.HandlingCodes,
			"source_reliabilities": crossguard.SourceReliabilities, "info_accuracies": crossguard.InfoAccuracies,
			"roles": crossguard.Roles, "relationships": crossguard.Relationships, "shareable_kinds": crossguard.ShareableKinds,
			"channels": crossguard.Channels, "inspection_results": crossguard.InspectionResults, "condition_ops": crossguard.ConditionOps,
			"warning_identifier_types": crossguard.WarningIdentifierTypes, "feedback_results": crossguard.FeedbackResults,
			"commitment_types": crossguard.CommitmentTypes, "progress_statuses": crossguard.ProgressStatuses,
			"commitment_statuses": crossguard.CommitmentStatuses, "activity_types": crossguard.ActivityTypes,
			"activity_statuses": crossguard.ActivityStatuses,
		}
		if len(got) != len(want)+1 {
			t.Fatalf("%d enumerations, want %d and declaration_fields: %v", len(got), len(want), got)
		}
		for name, values := range want {
			var vs []string
			if err := json.Unmarshal(got[name], &vs); err != nil || !slices.Equal(vs, values) {
				t.Errorf("%s = %s, want %v", name, got[name], values)
			}
		}
		var fields []DeclarationFieldInfo
		if err := json.Unmarshal(got["declaration_fields"], &fields); err != nil {
			t.Fatalf("declaration_fields %s: %v", got["declaration_fields"], err)
		}
		byName := map[string]DeclarationFieldInfo{}
		for _, f := range fields {
			byName[f.Name] = f
		}
		if len(byName) != len(crossguard.DeclarationFieldNames()) {
			t.Fatalf("%d declaration fields, want %d", len(byName), len(crossguard.DeclarationFieldNames()))
		}
		for name, want := range map[string]DeclarationFieldInfo{
			"hs6_code":     {Name: "hs6_code", Type: "text"},
			"net_mass":     {Name: "net_mass", Type: "number"},
			"value_per_kg": {Name: "value_per_kg", Type: "number", Derived: true},
			"hs4":          {Name: "hs4", Type: "text", Derived: true},
		} {
			if f := byName[name]; f.Type != want.Type || f.Derived != want.Derived || f.Notes == "" {
				t.Errorf("declaration field %+v, want %+v with notes", f, want)
			}
		}
	})
}

// TestNodeAndUsers checks the node identity and user list endpoints.
func TestNodeAndUsers(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var info crossguard.NodeInfo
	e.do(t, request{Method: "GET", Path: "/api/v1/node", Token: e.tokens[crossguard.RoleAuditor]}).want(t, 200).decode(t, &info)
	if info.ID != "pk-customs/sost" || info.Country != "PK" || info.PublicKey == "" {
		t.Fatalf("node %+v", info)
	}

	if err := e.node.RevokeUser(context.Background(), "test", crossguard.RoleAuditor); err != nil {
		t.Fatal(err)
	}
	res := e.do(t, request{Method: "GET", Path: "/api/v1/users", Token: e.tokens[crossguard.RoleAdmin]}).want(t, 200)
	var got struct{ Items []crossguard.User }
	res.decode(t, &got)
	var names []string
	for _, u := range got.Items {
		names = append(names, u.Name+":"+u.Role)
		if (u.Name == crossguard.RoleAuditor) != (u.RevokedAt != nil) {
			t.Errorf("user %s revoked_at %v", u.Name, u.RevokedAt)
		}
	}
	if want := []string{"admin:admin", "analyst:analyst", "auditor:auditor", "officer:officer"}; !slices.Equal(names, want) {
		t.Fatalf("users %v, want %v", names, want)
	}
	if strings.Contains(string(res.Body), "hash") || strings.Contains(string(res.Body), "cg_") {
		t.Fatalf("user list leaks token material: %s", res.Body)
	}
	// The revoked auditor's token no longer works.
	e.do(t, request{Method: "GET", Path: "/api/v1/node", Token: e.tokens[crossguard.RoleAuditor]}).wantError(t, 401, "unauthorized", "")
}

// TestAudit checks the audit list, its filters and paging, and the chain
// verification.
func TestAudit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	auditor := e.tokens[crossguard.RoleAuditor]
	s := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
	e.do(t, request{Method: "GET", Path: "/api/v1/users", Token: e.tokens[crossguard.RoleOfficer]}).want(t, 403)
	e.do(t, request{Method: "GET", Path: "/api/v1/node", Token: "cg_wrong"}).want(t, 401)

	list := func(t *testing.T, query string) *crossguard.AuditPage {
		t.Helper()
		var page crossguard.AuditPage
		e.do(t, request{Method: "GET", Path: "/api/v1/audit?" + query, Token: auditor}).want(t, 200).decode(t, &page)
		return &page
	}
	cases := []struct {
		name, query string
		actions     []string // newest first
	}{
		{"all", "", []string{"login.failure", "access.denied", "seizure.create", "user.add", "user.add", "user.add", "user.add"}},
		{"by action", "action=user.add", []string{"user.add", "user.add", "user.add", "user.add"}},
		{"by actor", "actor=officer", []string{"access.denied"}},
		{"by record", "record_id=" + s.ID, []string{"seizure.create"}},
		{"by time", "from=2026-12-01&to=2026-12-01", []string{"login.failure", "access.denied", "seizure.create", "user.add", "user.add", "user.add", "user.add"}},
		{"before the clock", "to=2026-11-30", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := list(t, tc.query)
			var got []string
			for _, a := range page.Items {
				got = append(got, a.Action)
			}
			if !slices.Equal(got, tc.actions) || page.Items == nil {
				t.Fatalf("actions %v, want %v", got, tc.actions)
			}
		})
	}
	t.Run("paging", func(t *testing.T) {
		var seqs []int64
		cursor := ""
		for range 10 {
			page := list(t, "limit=3&cursor="+cursor)
			for _, a := range page.Items {
				seqs = append(seqs, a.Seq)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if want := []int64{7, 6, 5, 4, 3, 2, 1}; !slices.Equal(seqs, want) {
			t.Fatalf("seqs %v, want %v", seqs, want)
		}
	})
	t.Run("bad parameters", func(t *testing.T) {
		e.do(t, request{Method: "GET", Path: "/api/v1/audit?from=x&limit=-2&who=me", Token: auditor}).wantError(t, 400, "invalid", "from")
	})
	t.Run("verify", func(t *testing.T) {
		res := e.do(t, request{Method: "GET", Path: "/api/v1/audit/verify", Token: auditor}).want(t, 200)
		if got := strings.TrimSpace(string(res.Body)); got != `{"ok":true,"entries":7}` {
			t.Fatalf("verify: %s", got)
		}
	})
}

// TestHealthAndMetrics checks /healthz with the database up and down and
// the content of /metrics.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.do(t, request{Method: "GET", Path: "/healthz"}).want(t, 200)
	if strings.TrimSpace(string(res.Body)) != `{"status":"ok"}` {
		t.Fatalf("healthz: %s", res.Body)
	}
	e.do(t, request{Method: "POST", Path: "/api/v1/seizures", Token: e.tokens[crossguard.RoleOfficer], Body: storetest.ExampleSeizureJSON}).want(t, 201)
	e.do(t, request{Method: "GET", Path: "/api/v1/seizures/nope", Token: e.tokens[crossguard.RoleOfficer]}).want(t, 404)

	e.do(t, request{Method: "GET", Path: "/metrics"}).wantError(t, 401, "unauthorized", "")
	res = e.do(t, request{Method: "GET", Path: "/metrics", Token: e.tokens[crossguard.RoleAuditor]}).want(t, 200)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("metrics Content-Type %q", ct)
	}
	body := string(res.Body)
	for _, want := range []string{
		`crossguard_http_requests_total{method="POST",route="/api/v1/seizures",status="201"} 1`,
		`crossguard_http_requests_total{method="GET",route="/api/v1/seizures/{id}",status="404"} 1`,
		`crossguard_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`crossguard_http_request_duration_seconds_bucket{method="POST",route="/api/v1/seizures",le="+Inf"} 1`,
		`crossguard_seizures_written_total{op="create"} 1`,
		`crossguard_seizures_written_total{op="delete"} 0`,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	e.store.Close()
	res = e.do(t, request{Method: "GET", Path: "/healthz"})
	res.wantError(t, 503, "internal", "")
	if strings.Contains(string(res.Body), "sql") {
		t.Errorf("healthz leaks the database error: %s", res.Body)
	}
	res = e.do(t, request{Method: "GET", Path: "/api/v1/node", Token: e.tokens[crossguard.RoleAdmin]})
	d := res.wantError(t, 500, "internal", "")
	if d.Message != "Internal error." {
		t.Errorf("internal error message %q", d.Message)
	}
	id := res.Header.Get("X-Request-Id")
	if logs := e.logs.String(); id == "" || !strings.Contains(logs, "request_id="+id) || !strings.Contains(logs, "request failed") {
		t.Errorf("internal error of request %q not logged with its details:\n%s", id, logs)
	}
}

// TestRouting checks the JSON answers for unknown paths and wrong methods,
// and the request id.
func TestRouting(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	token := e.tokens[crossguard.RoleAdmin]
	cases := []struct {
		name, method, path, token string
		status                    int
		code, allow               string
	}{
		{"unknown api path", "GET", "/api/v1/nothing", token, 404, "not_found", ""},
		{"unknown api path needs a token", "GET", "/api/v1/nothing", "", 401, "unauthorized", ""},
		{"unknown version", "GET", "/api/v2/seizures", token, 404, "not_found", ""},
		{"trailing slash", "GET", "/api/v1/seizures/", token, 404, "not_found", ""},
		{"outside the api", "GET", "/index.html", "", 404, "not_found", ""},
		{"patch a seizure", "PATCH", "/api/v1/seizures/x", token, 405, "invalid", "GET, PUT, DELETE, HEAD"},
		{"delete the list", "DELETE", "/api/v1/seizures", token, 405, "invalid", "POST, GET, HEAD"},
		{"post to healthz", "POST", "/healthz", "", 405, "invalid", "GET, HEAD"},
		{"put the peers", "PUT", "/api/v1/peers", token, 405, "invalid", "GET, POST, HEAD"},
		{"get one peer", "GET", "/api/v1/peers/cn-customs/tashkurgan", token, 405, "invalid", "DELETE"},
		{"peer id of one segment", "DELETE", "/api/v1/peers/cn-customs", token, 404, "not_found", ""},
		{"delete the annotations", "DELETE", "/api/v1/records/x/annotations", token, 405, "invalid", "POST, GET, HEAD"},
		{"wrong method needs a token", "PATCH", "/api/v1/seizures/x", "", 401, "unauthorized", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, request{Method: tc.method, Path: tc.path, Token: tc.token})
			d := res.wantError(t, tc.status, tc.code, "")
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			if tc.status == 405 && !strings.Contains(d.Message, "not allowed") {
				t.Errorf("405 message %q", d.Message)
			}
		})
	}
	t.Run("request id", func(t *testing.T) {
		res := e.do(t, request{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-Id": "abc-123"}})
		if got := res.Header.Get("X-Request-Id"); got != "abc-123" {
			t.Errorf("request id %q, want the client's abc-123", got)
		}
		res = e.do(t, request{Method: "GET", Path: "/healthz", Header: map[string]string{"X-Request-Id": "not an id!"}})
		if got := res.Header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
			t.Errorf("request id %q, want a fresh one", got)
		}
	})
}

// TestPanicRecovery checks that a panicking handler gives a JSON 500 and
// a log entry, and that the server goes on serving.
func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	logs := &syncbuf.Buffer{}
	s := New(Services{}, nil)
	s.Logger = newTextLogger(logs)
	h := requestID(s.observe(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"1"`)
		panic("boom")
	}))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	if err := checkErrorShape(rec.Code, rec.Body.Bytes()); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	if rec.Header().Get("ETag") != "" {
		t.Errorf("500 kept the handler's ETag")
	}
	if !strings.Contains(logs.String(), "boom") || !strings.Contains(logs.String(), "panic serving request") {
		t.Errorf("panic not logged:\n%s", logs)
	}
}
