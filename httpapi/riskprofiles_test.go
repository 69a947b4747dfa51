package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
	"crossguard/storetest"
)

// apiProfile is a profile as the API answers it.
type apiProfile = node.ProfileView

// profileHit returns the reason of d naming profile id, if any.
func profileHit(d *crossguard.Decision, id string) (crossguard.Reason, bool) {
	for _, r := range reasonsOf(d, crossguard.ReasonProfile) {
		if r.ID == id {
			return r, true
		}
	}
	return crossguard.Reason{}, false
}

// TestProfiles checks the life of a profile of this node: created active,
// selecting the declarations it matches and no others, updated under
// If-Match, and deleted.
func TestProfiles(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		analyst := e.tokens[crossguard.RoleAnalyst]
		res := e.do(t, request{Method: "POST", Path: "/api/v1/profiles", Token: analyst, Body: opiumProfileJSON}).want(t, http.StatusCreated)
		var p apiProfile
		res.decode(t, &p)
		if p.ID == "" || p.Kind != crossguard.KindProfile || p.Origin != e.node.Info.ID || p.Version != 1 ||
			p.State != crossguard.ProfileActive || p.Name != "Opium alkaloids declared cheap" || p.Owner != e.node.Info.ID ||
			p.Stats == nil || p.Stats.Key != p.ID || p.Stats.Selected != 0 {
			t.Fatalf("created profile %s", res.Body)
		}
		if res.Header.Get("Location") != "/api/v1/profiles/"+p.ID || res.Header.Get("ETag") != `"1"` {
			t.Fatalf("Location %q, ETag %q", res.Header.Get("Location"), res.Header.Get("ETag"))
		}
		var list struct{ Items []apiProfile }
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles", Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != p.ID || list.Items[0].State != crossguard.ProfileActive {
			t.Fatalf("profile list %+v", list.Items)
		}

		d := e.decide(t, "P0000001", cheapOpium)
		hit, ok := profileHit(d, p.ID)
		if !ok || d.Channel != crossguard.ChannelRed || d.SelectedBy != crossguard.SelectedProfile || d.Score < 0.9 ||
			hit.Name != p.Name || hit.Channel != crossguard.ChannelRed || !strings.Contains(hit.Text, p.Name) {
			t.Fatalf("decision on cheap opium %+v", d)
		}
		if d := e.decide(t, "P0000002", dearOpium); d.Channel != crossguard.ChannelGreen || len(reasonsOf(d, crossguard.ReasonProfile)) != 0 {
			t.Fatalf("decision on dear opium %+v", d)
		}
		if got := e.do(t, request{Method: "GET", Path: "/api/v1/profiles/" + p.ID, Token: analyst}).want(t, http.StatusOK); true {
			var v apiProfile
			got.decode(t, &v)
			if v.Stats.Selected != 1 || got.Header.Get("ETag") != `"1"` {
				t.Fatalf("profile after one hit: %s", got.Body)
			}
		}

		path := "/api/v1/profiles/" + p.ID
		yellow := strings.Replace(opiumProfileJSON, `"channel": "red", "score": 0.9`, `"channel": "yellow", "score": 0.7`, 1)
		t.Run("PUT needs If-Match", func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: yellow}).wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
		})
		res = e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: yellow, Header: map[string]string{"If-Match": `"1"`}}).want(t, http.StatusOK)
		res.decode(t, &p)
		if p.Version != 2 || p.Channel != crossguard.ChannelYellow || res.Header.Get("ETag") != `"2"` || !p.CreatedAt.Equal(testNow) {
			t.Fatalf("updated profile %s, ETag %q", res.Body, res.Header.Get("ETag"))
		}
		t.Run("PUT of a stale version", func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: yellow, Header: map[string]string{"If-Match": `"1"`}}).
				wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
		})
		if d := e.decide(t, "P0000003", cheapOpium); d.Channel != crossguard.ChannelYellow {
			t.Fatalf("decision after the update %+v", d)
		}

		t.Run("PUT of what GET answered", func(t *testing.T) {
			got := e.do(t, request{Method: "GET", Path: path, Token: analyst}).want(t, http.StatusOK)
			res := e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: string(got.Body), Header: map[string]string{"If-Match": got.Header.Get("ETag")}}).
				want(t, http.StatusOK)
			if res.Header.Get("ETag") != `"3"` {
				t.Fatalf("ETag %q after a round trip", res.Header.Get("ETag"))
			}
		})
		t.Run("PUT with an unknown field", func(t *testing.T) {
			body := strings.Replace(yellow, `"handling": "H1"`, `"handling": "H1", "colour": "orange"`, 1)
			e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: body, Header: map[string]string{"If-Match": `"3"`}}).
				wantError(t, http.StatusBadRequest, "invalid", "marking.colour")
		})
		t.Run("PUT with another id", func(t *testing.T) {
			body := strings.Replace(yellow, `{"name"`, `{"id": "0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f", "name"`, 1)
			e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: body, Header: map[string]string{"If-Match": `"3"`}}).
				wantError(t, http.StatusBadRequest, "invalid", "id")
		})

		e.do(t, request{Method: "DELETE", Path: path, Token: analyst, Header: map[string]string{"If-Match": `"2"`}}).
			wantError(t, http.StatusPreconditionFailed, "precondition_failed", "")
		e.do(t, request{Method: "DELETE", Path: path, Token: analyst, Header: map[string]string{"If-Match": `"3"`}}).want(t, http.StatusNoContent)
		e.do(t, request{Method: "GET", Path: path, Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
		e.do(t, request{Method: "DELETE", Path: path, Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
		if d := e.decide(t, "P0000004", cheapOpium); d.Channel != crossguard.ChannelGreen || len(d.Reasons) != 0 {
			t.Fatalf("decision after the delete %+v", d)
		}
		for action, want := range map[string]int{crossguard.ActionRecordCreate: 1, crossguard.ActionRecordUpdate: 2, crossguard.ActionRecordDelete: 1} {
			if got := e.auditCount(t, crossguard.RoleAnalyst, action); got != want {
				t.Errorf("%d %s entries, want %d", got, action, want)
			}
		}
	})
}

// TestProfileRefused checks that a profile that could never match or
// names an unknown field is refused with the reason, and not stored.
func TestProfileRefused(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		withConditions := func(conds string) string {
			return `{"name": "n", "channel": "red", "score": 0.5, "conditions": ` + conds +
				`, "valid_from": "2026-11-01", "distribution": "local", "marking": {"tlp": "amber", "handling": "H1"}}`
		}
		cases := []struct {
			name, body, field, says string
		}{
			{"between low above high", withConditions(`[{"field": "net_mass", "op": "between", "value": [100, 10]}]`), "conditions[0].value", "100"},
			{"unknown declaration field", withConditions(`[{"field": "importer_name", "op": "eq", "value": "x"}]`), "conditions[0].field", "importer_name"},
			{"contradictory conditions", withConditions(`[{"field": "net_mass", "op": "gt", "value": 100}, {"field": "net_mass", "op": "lt", "value": 50}]`), "", "never"},
			{"prefix on a number", withConditions(`[{"field": "net_mass", "op": "prefix", "value": "29"}]`), "conditions[0].op", "prefix"},
			{"unknown operator", withConditions(`[{"field": "hs6_code", "op": "like", "value": "29%"}]`), "conditions[0].op", "like"},
			{"no conditions", withConditions(`[]`), "conditions", "every declaration"},
			{"validity ending before it starts", strings.Replace(opiumProfileJSON, `"valid_to": "2027-05-01"`, `"valid_to": "2026-10-01"`, 1), "valid_to", "never"},
			{"green channel", strings.Replace(opiumProfileJSON, `"channel": "red"`, `"channel": "green"`, 1), "channel", ""},
			{"unknown JSON field", strings.Replace(opiumProfileJSON, `"name"`, `"analyst_email": "a@b.c", "name"`, 1), "analyst_email", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, request{Method: "POST", Path: "/api/v1/profiles", Token: e.tokens[crossguard.RoleAnalyst], Body: tc.body})
				d := res.wantError(t, http.StatusBadRequest, "invalid", tc.field)
				if !strings.Contains(string(res.Body), tc.says) {
					t.Fatalf("the refusal does not say %q: %s", tc.says, res.Body)
				}
				if len(d.Fields) == 0 {
					t.Fatalf("no field errors: %s", res.Body)
				}
			})
		}
		var list struct{ Items []apiProfile }
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles", Token: e.tokens[crossguard.RoleAnalyst]}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("refused profiles were stored: %+v", list.Items)
		}
	})
}

// TestReceivedProfile checks that a profile received from a partner is
// inactive and selects nothing until adopted, selects once adopted, stops
// when disabled, and cannot be changed here.
func TestReceivedProfile(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		analyst := e.tokens[crossguard.RoleAnalyst]
		e.mustAddPeer(t, storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, testNow))
		p := e.mustReceiveProfile(t, 3, 1) // channel red
		path := "/api/v1/profiles/" + p.ID
		state := func(t *testing.T, res *response, want string) {
			t.Helper()
			var v apiProfile
			res.decode(t, &v)
			if v.ID != p.ID || v.Origin != storetest.PeerA || v.State != want {
				t.Fatalf("profile %s, want state %s", res.Body, want)
			}
		}
		reads := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionRecordRead)
		state(t, e.do(t, request{Method: "GET", Path: path, Token: analyst}).want(t, http.StatusOK), crossguard.ProfileInactive)
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles", Token: analyst}).want(t, http.StatusOK)
		if got := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionRecordRead); got != reads+2 {
			t.Fatalf("%d record.read entries after reading a partner's profile and the list, want %d", got, reads+2)
		}
		if d := e.decide(t, "F0000001", cheapOpium); len(reasonsOf(d, crossguard.ReasonProfile)) != 0 || d.Channel != crossguard.ChannelGreen {
			t.Fatalf("an inactive profile selected: %+v", d)
		}

		state(t, e.do(t, request{Method: "POST", Path: path + "/adopt", Token: analyst}).want(t, http.StatusOK), crossguard.ProfileActive)
		d := e.decide(t, "F0000002", cheapOpium)
		hit, ok := profileHit(d, p.ID)
		if !ok || hit.Name != p.Name || d.Channel != crossguard.ChannelRed || !strings.Contains(hit.Text, storetest.PeerA) {
			t.Fatalf("decision after adoption %+v", d)
		}

		state(t, e.do(t, request{Method: "POST", Path: path + "/disable", Token: analyst}).want(t, http.StatusOK), crossguard.ProfileDisabled)
		if d := e.decide(t, "F0000003", cheapOpium); len(reasonsOf(d, crossguard.ReasonProfile)) != 0 {
			t.Fatalf("a disabled profile selected: %+v", d)
		}
		if got := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionProfileState); got != 2 {
			t.Errorf("%d profile.state entries, want 2", got)
		}

		t.Run("only its origin changes it", func(t *testing.T) {
			e.do(t, request{Method: "PUT", Path: path, Token: analyst, Body: opiumProfileJSON, Header: map[string]string{"If-Match": `"1"`}}).
				wantError(t, http.StatusForbidden, "forbidden", "")
			e.do(t, request{Method: "DELETE", Path: path, Token: analyst}).wantError(t, http.StatusForbidden, "forbidden", "")
		})
		t.Run("unknown profile", func(t *testing.T) {
			e.do(t, request{Method: "POST", Path: "/api/v1/profiles/0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f/adopt", Token: analyst}).
				wantError(t, http.StatusNotFound, "not_found", "")
		})
		t.Run("a seizure is not a profile", func(t *testing.T) {
			s := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
			e.do(t, request{Method: "GET", Path: "/api/v1/profiles/" + s.ID, Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
		})
		var list struct{ Items []apiProfile }
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles", Token: analyst}).want(t, http.StatusOK).decode(t, &list)
		if !slices.ContainsFunc(list.Items, func(v apiProfile) bool { return v.ID == p.ID && v.State == crossguard.ProfileDisabled }) {
			t.Fatalf("profile list %+v", list.Items)
		}
	})
}

// TestProfileFromOwnAgency checks that a profile received from another
// node of this node's agency (its headquarters, say) is active at once,
// while a partner agency's waits for adoption (TestReceivedProfile).
func TestProfileFromOwnAgency(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		e.mustAddPeer(t, storetest.NewPeer(storetest.PeerB, crossguard.RelAgency, testNow))
		p := storetest.NewProfile(3, storetest.PeerB, testNow.Add(-24*time.Hour))
		e.mustReceive(t, storetest.PeerB, 1, 1, storetest.IncomingProfile(p))
		var v apiProfile
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles/" + p.ID, Token: e.tokens[crossguard.RoleAnalyst]}).
			want(t, http.StatusOK).decode(t, &v)
		if v.State != crossguard.ProfileActive {
			t.Fatalf("a profile of the node's own agency is %s, want active", v.State)
		}
		// A server reloads what peers sent every few seconds; do it now.
		if err := e.node.ReloadTargeting(context.Background()); err != nil {
			t.Fatal(err)
		}
		d := e.decide(t, "F0000009", cheapOpium)
		if _, ok := profileHit(d, p.ID); !ok {
			t.Fatalf("the own agency's profile did not select: %+v", d)
		}
	})
}
