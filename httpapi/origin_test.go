package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// originFixture stores two seizures of this node, one received from a
// partner and one from a node of the same agency, and returns their ids by
// name.
func originFixture(t *testing.T, e *testEnv) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for i, name := range []string{"own1", "own2"} {
		s := e.mustCreate(t, storetest.ExampleSeizureJSON, func(s *crossguard.Seizure) {
			s.OccurredAt = testNow.Add(-time.Duration(i+1) * time.Hour)
		})
		ids[name] = s.ID
	}
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
	e.mustAddPeer(t, storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow))
	partner := storetest.ForeignSeizure(1, testNow.Add(-3*time.Hour), storetest.PeerA, 1)
	post := storetest.ForeignSeizure(2, testNow.Add(-4*time.Hour), storetest.PeerB, 3)
	e.mustReceive(t, storetest.PeerA, 1, 1, storetest.IncomingSeizure(partner))
	e.mustReceive(t, storetest.PeerB, 1, 1, storetest.IncomingSeizure(post))
	ids["partner"], ids["post"] = partner.ID, post.ID
	return ids
}

// TestListSeizuresByOrigin checks the origin filter of the seizure list,
// and that every seizure the list and the detail show names its origin.
func TestListSeizuresByOrigin(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ids := originFixture(t, e)
	origins := map[string]string{"own1": e.node.Info.ID, "own2": e.node.Info.ID, "partner": storetest.PeerA, "post": storetest.PeerB}
	cases := []struct {
		name, query string
		want        []string // fixture names, newest first
	}{
		{"no filter", "", []string{"own1", "own2", "partner", "post"}},
		{"self", "origin=self", []string{"own1", "own2"}},
		{"others", "origin=others", []string{"partner", "post"}},
		{"a partner", "origin=" + storetest.PeerA, []string{"partner"}},
		{"a post of the agency", "origin=" + storetest.PeerB, []string{"post"}},
		{"this node by id", "origin=" + e.node.Info.ID, []string{"own1", "own2"}},
		{"a node with no records", "origin=cn-customs/tashkurgan", []string{}},
		{"others and a country", "origin=others&country=" + mustSeizure(t, e, ids["partner"]).Country, []string{"partner"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, request{Method: "GET", Path: "/api/v1/seizures?" + tc.query, Token: e.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK)
			var page struct {
				Items []map[string]json.RawMessage `json:"items"`
			}
			res.decode(t, &page)
			if page.Items == nil {
				t.Fatal("items is null, want an array")
			}
			names := map[string]string{}
			for name, id := range ids {
				names[id] = name
			}
			var got []string
			for _, item := range page.Items {
				var id, origin string
				if err := json.Unmarshal(item["id"], &id); err != nil {
					t.Fatalf("item without an id: %v", item)
				}
				if err := json.Unmarshal(item["origin"], &origin); err != nil || origin != origins[names[id]] {
					t.Fatalf("seizure %s (%s) shows origin %s, want %s", id, names[id], item["origin"], origins[names[id]])
				}
				got = append(got, names[id])
			}
			if got == nil {
				got = []string{}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("detail shows the origin", func(t *testing.T) {
		for name, id := range ids {
			if got := mustSeizure(t, e, id).Origin; got != origins[name] {
				t.Errorf("seizure %s shows origin %q, want %q", name, got, origins[name])
			}
		}
	})
}

// mustSeizure reads a seizure through the API.
func mustSeizure(t *testing.T, e *testEnv, id string) *crossguard.Seizure {
	t.Helper()
	return e.do(t, request{Method: "GET", Path: "/api/v1/seizures/" + id, Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK).seizure(t)
}

// TestListSeizuresOriginErrors checks that a malformed origin is refused
// with a field error naming the parameter.
func TestListSeizuresOriginErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, origin := range []string{"mine", "Self", "PK-Customs/sost", "pk-customs/", "/sost", "pk-customs/sost/x", "pk_customs/sost", "pk-customs/Sost"} {
		t.Run(origin, func(t *testing.T) {
			d := e.do(t, request{Method: "GET", Path: "/api/v1/seizures?origin=" + origin, Token: e.tokens[crossguard.RoleOfficer]}).
				wantError(t, http.StatusBadRequest, "invalid", "origin")
			for _, f := range d.Fields {
				if f.Field != "origin" {
					t.Fatalf("field error for %q, want only origin: %+v", f.Field, d)
				}
			}
		})
	}
}
