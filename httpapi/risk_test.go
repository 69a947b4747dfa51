package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"crossguard"
)

// TestDeclarationDecision checks that one declaration is answered with its
// decision and stored with it, and a batch with its decisions in order.
func TestDeclarationDecision(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		t.Run("one declaration answers its decision", func(t *testing.T) {
			res := e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer],
				Body: declarationJSON(t, "97061800", nil)}).want(t, http.StatusOK)
			var raw map[string]any
			res.decode(t, &raw)
			for _, k := range []string{"declaration_id", "channel", "score", "reasons", "selected_by", "decided_at"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("decision lacks %q: %s", k, res.Body)
				}
			}
			var d crossguard.Decision
			res.decode(t, &d)
			if d.DeclarationID != "97061800" || d.Channel != crossguard.ChannelGreen || d.SelectedBy != crossguard.SelectedNone ||
				d.Score != 0 || d.Reasons == nil || len(d.Reasons) != 0 || d.Crossing != "sost" || !d.DecidedAt.Equal(testNow) {
				t.Fatalf("decision without rules %+v; body %s", d, res.Body)
			}
			var entry crossguard.DeclarationEntry
			e.do(t, request{Method: "GET", Path: "/api/v1/declarations/97061800", Token: e.tokens[crossguard.RoleAuditor]}).
				want(t, http.StatusOK).decode(t, &entry)
			if entry.Declaration == nil || entry.Declaration.HS6Code != "440890" || entry.Declaration.OfficeID != "30" ||
				entry.Declaration.ItemPrice != 372254.4 || len(entry.Declaration.Identifiers) != 1 ||
				entry.Decision == nil || entry.Decision.Channel != d.Channel || entry.Inspection != nil {
				t.Fatalf("stored entry %+v", entry)
			}
		})
		t.Run("a batch answers its decisions in order", func(t *testing.T) {
			ids := []string{"B0000003", "B0000001", "B0000002"}
			var batch []map[string]any
			for _, id := range ids {
				batch = append(batch, declarationMap(id, nil))
			}
			var got struct{ Decisions []crossguard.Decision }
			e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleAnalyst],
				Body: mustJSON(t, batch)}).want(t, http.StatusOK).decode(t, &got)
			if len(got.Decisions) != len(ids) {
				t.Fatalf("%d decisions, want %d", len(got.Decisions), len(ids))
			}
			for i, d := range got.Decisions {
				if d.DeclarationID != ids[i] || d.Channel == "" {
					t.Errorf("decision %d: %+v, want declaration %s", i, d, ids[i])
				}
				e.do(t, request{Method: "GET", Path: "/api/v1/declarations/" + ids[i], Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK)
			}
		})
		t.Run("a repeated declaration answers the same decision and is not stored twice", func(t *testing.T) {
			first := e.decide(t, "R0000001", cheapOpium)
			saves := e.auditCount(t, crossguard.RoleOfficer, crossguard.ActionDeclarationSave)
			again := e.decide(t, "R0000001", cheapOpium)
			if again.Channel != first.Channel || again.Score != first.Score || !again.DecidedAt.Equal(first.DecidedAt) || len(again.Reasons) != len(first.Reasons) {
				t.Fatalf("second answer %+v, first %+v", again, first)
			}
			if got := e.auditCount(t, crossguard.RoleOfficer, crossguard.ActionDeclarationSave); got != saves {
				t.Fatalf("%d declaration.save entries after the repeat, want %d", got, saves)
			}
		})
	})
}

// TestDeclarationRefused checks that a declaration with missing or wrong
// fields, alone or in a batch, gets per-field errors and nothing is stored.
func TestDeclarationRefused(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		cases := []struct {
			name   string
			body   string
			fields []string
			stored []string // ids that must not be stored
		}{
			{"missing fields", declarationJSON(t, "X0000001", map[string]any{"hs6_code": nil, "net_mass": nil}),
				[]string{"hs6_code", "net_mass"}, []string{"X0000001"}},
			{"null field", declarationJSON(t, "X0000002", map[string]any{"date": nil, "office_id": nil}),
				[]string{"date", "office_id"}, []string{"X0000002"}},
			{"wrong values", declarationJSON(t, "X0000003", map[string]any{"hs6_code": "2939", "date": "27/11/2026",
				"country_of_origin": "Pakistan", "net_mass": -5}),
				[]string{"hs6_code", "date", "country_of_origin", "net_mass"}, []string{"X0000003"}},
			{"bad container", declarationJSON(t, "X0000004", map[string]any{"identifiers": []map[string]string{{"type": "container", "value": "MSKU1234566"}}}),
				[]string{"identifiers[0].value"}, []string{"X0000004"}},
			{"wrong type", declarationJSON(t, "X0000005", map[string]any{"net_mass": "heavy"}), []string{"net_mass"}, []string{"X0000005"}},
			{"unknown field", declarationJSON(t, "X0000006", map[string]any{"importer_name": "A. Khan"}), []string{"importer_name"}, []string{"X0000006"}},
			{"batch with one bad declaration", "[" + declarationJSON(t, "X0000007", nil) + "," +
				declarationJSON(t, "X0000008", map[string]any{"hs6_code": "29391"}) + "," + declarationJSON(t, "X0000009", nil) + "]",
				[]string{"[1].hs6_code"}, []string{"X0000007", "X0000008", "X0000009"}},
			{"batch with an unknown field", "[" + declarationJSON(t, "X0000010", nil) + "," +
				declarationJSON(t, "X0000011", map[string]any{"driver": "someone"}) + "]",
				[]string{"[1].driver"}, []string{"X0000010", "X0000011"}},
			{"batch of one", "[" + declarationJSON(t, "X0000014", map[string]any{"date": nil}) + "]",
				[]string{"[0].date"}, []string{"X0000014"}},
			{"batch with several bad declarations", "[" + declarationJSON(t, "X0000015", map[string]any{"tax_rate": "high"}) + "," +
				declarationJSON(t, "X0000016", map[string]any{"country_of_departure": "be"}) + "]",
				[]string{"[0].tax_rate", "[1].country_of_departure"}, []string{"X0000015", "X0000016"}},
			{"batch repeating an id", "[" + declarationJSON(t, "X0000012", nil) + "," + declarationJSON(t, "X0000012", nil) + "]",
				[]string{"[1].declaration_id"}, []string{"X0000012"}},
			{"batch item not an object", "[" + declarationJSON(t, "X0000013", nil) + ", 42]",
				[]string{"[1]"}, []string{"X0000013"}},
			{"empty batch", "[]", nil, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer], Body: tc.body})
				d := res.wantError(t, http.StatusBadRequest, "invalid", "")
				for _, f := range tc.fields {
					if !slices.ContainsFunc(d.Fields, func(fe crossguard.FieldError) bool { return fe.Field == f }) {
						t.Errorf("no field error for %q: %s", f, res.Body)
					}
				}
				for _, id := range tc.stored {
					e.do(t, request{Method: "GET", Path: "/api/v1/declarations/" + id, Token: e.tokens[crossguard.RoleOfficer]}).
						wantError(t, http.StatusNotFound, "not_found", "")
				}
			})
		}
	})
}

// TestWatchlist checks that a declaration carrying an identifier on the
// watch list gets the entry's channel and a reason naming it, until the
// entry is removed.
func TestWatchlist(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		analyst := e.tokens[crossguard.RoleAnalyst]
		res := e.do(t, request{Method: "POST", Path: "/api/v1/watchlist", Token: analyst, Body: watchJSON}).want(t, http.StatusCreated)
		var w crossguard.WatchEntry
		res.decode(t, &w)
		if w.ID == "" || w.Channel != crossguard.ChannelYellow || w.Source != "analyst" || !w.CreatedAt.Equal(testNow) ||
			res.Header.Get("Location") != "/api/v1/watchlist/"+w.ID {
			t.Fatalf("entry %+v, Location %q", w, res.Header.Get("Location"))
		}
		var list struct{ Items []crossguard.WatchEntry }
		e.do(t, request{Method: "GET", Path: "/api/v1/watchlist", Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != w.ID {
			t.Fatalf("watch list %+v", list.Items)
		}

		carrying := map[string]any{"identifiers": []map[string]string{
			{"type": "vehicle_plate", "value": "KBL-4411"}, {"type": "container", "value": "CSQU3054383"}}}
		d := e.decide(t, "W0000001", carrying)
		hits := reasonsOf(d, crossguard.ReasonWatchlist)
		if d.Channel != crossguard.ChannelYellow || d.SelectedBy != crossguard.SelectedWatchlist || len(hits) != 1 ||
			hits[0].ID != w.ID || hits[0].Channel != crossguard.ChannelYellow || !strings.Contains(hits[0].Text, "heroin in false floors") {
			t.Fatalf("decision on a watched container %+v", d)
		}
		if d := e.decide(t, "W0000002", nil); d.Channel != crossguard.ChannelGreen || len(reasonsOf(d, crossguard.ReasonWatchlist)) != 0 {
			t.Fatalf("decision on another container %+v", d)
		}

		e.do(t, request{Method: "DELETE", Path: "/api/v1/watchlist/" + w.ID, Token: analyst}).want(t, http.StatusNoContent)
		e.do(t, request{Method: "DELETE", Path: "/api/v1/watchlist/" + w.ID, Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
		if d := e.decide(t, "W0000003", carrying); d.Channel != crossguard.ChannelGreen || len(d.Reasons) != 0 {
			t.Fatalf("decision after the entry was removed %+v", d)
		}
		if got := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionWatchAdd); got != 1 {
			t.Errorf("%d watch.add entries, want 1", got)
		}
		if got := e.auditCount(t, crossguard.RoleAnalyst, crossguard.ActionWatchRemove); got != 1 {
			t.Errorf("%d watch.remove entries, want 1", got)
		}

		t.Run("invalid entry", func(t *testing.T) {
			body := `{"identifier": {"type": "container", "value": "CSQU3054384"}, "channel": "green", "reason": "",
			          "expires_at": "2026-11-30T00:00:00Z"}`
			d := e.do(t, request{Method: "POST", Path: "/api/v1/watchlist", Token: analyst, Body: body}).wantError(t, http.StatusBadRequest, "invalid", "")
			for _, f := range []string{"identifier.value", "channel", "reason", "expires_at"} {
				if !slices.ContainsFunc(d.Fields, func(fe crossguard.FieldError) bool { return fe.Field == f }) {
					t.Errorf("no field error for %q: %+v", f, d.Fields)
				}
			}
		})
	})
}

// TestDeclarationsStayLocal checks that deciding and inspecting
// declarations adds nothing to the change feed that peers pull.
func TestDeclarationsStayLocal(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		e.mustCreateProfile(t)
		_, head, err := e.store.Changes(ctx, 0, crossguard.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		e.decide(t, "L0000001", cheapOpium)
		e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer],
			Body: "[" + declarationJSON(t, "L0000002", nil) + "," + declarationJSON(t, "L0000003", dearOpium) + "]"}).want(t, http.StatusOK)
		e.do(t, request{Method: "POST", Path: "/api/v1/declarations/L0000001/inspection", Token: e.tokens[crossguard.RoleOfficer],
			Body: `{"result": "seizure"}`}).want(t, http.StatusOK)
		changes, after, err := e.store.Changes(ctx, 0, crossguard.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		if after != head {
			t.Errorf("the change head moved from %d to %d", head, after)
		}
		for _, c := range changes {
			if c.Header.Kind != crossguard.KindProfile || strings.HasPrefix(c.Header.ID, "L000") {
				t.Errorf("change %d is a %s %s; want only the profile", c.Seq, c.Header.Kind, c.Header.ID)
			}
		}
	})
}
