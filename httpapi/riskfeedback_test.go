package httpapi

import (
	"encoding/binary"
	"net/http"
	"slices"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// rateOf returns the statistics of key among stats, failing without.
func rateOf(t testing.TB, stats []*crossguard.RateStats, key string) *crossguard.RateStats {
	t.Helper()
	i := slices.IndexFunc(stats, func(s *crossguard.RateStats) bool { return s.Key == key })
	if i < 0 {
		t.Fatalf("no statistics for %q among %d", key, len(stats))
	}
	return stats[i]
}

// TestInspectionAndStats checks that inspection results are stored with
// their declarations and counted as hits of the profile and the channel
// that selected them.
func TestInspectionAndStats(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[crossguard.RoleOfficer]
		p := e.mustCreateProfile(t)
		e.decide(t, "I0000001", cheapOpium) // red by the profile
		e.decide(t, "I0000002", cheapOpium) // red by the profile, not inspected
		e.decide(t, "I0000003", dearOpium)  // green

		res := e.do(t, request{Method: "POST", Path: "/api/v1/declarations/I0000001/inspection", Token: officer,
			Body: `{"result": "irregularity", "recovered_revenue": 1200.5, "notes": "undervalued by half"}`}).want(t, http.StatusOK)
		var in crossguard.Inspection
		res.decode(t, &in)
		if in.DeclarationID != "I0000001" || in.Result != crossguard.ResultIrregularity || in.Label.Fraud != 1 ||
			in.Source != crossguard.InspectionFromOfficer || !in.At.Equal(testNow) || in.RecoveredRevenue != 1200.5 {
			t.Fatalf("inspection %s", res.Body)
		}
		e.do(t, request{Method: "POST", Path: "/api/v1/declarations/I0000003/inspection", Token: officer,
			Body: `{"result": "no_finding"}`}).want(t, http.StatusOK)
		var entry crossguard.DeclarationEntry
		e.do(t, request{Method: "GET", Path: "/api/v1/declarations/I0000001", Token: officer}).want(t, http.StatusOK).decode(t, &entry)
		if entry.Inspection == nil || entry.Inspection.Result != crossguard.ResultIrregularity || entry.Inspection.Notes != "undervalued by half" {
			t.Fatalf("stored entry %+v", entry)
		}
		if got := e.auditCount(t, crossguard.RoleOfficer, crossguard.ActionInspection); got != 2 {
			t.Errorf("%d declaration.inspect entries, want 2", got)
		}

		for _, path := range []string{"/api/v1/risk/stats", "/api/v1/risk/stats?from=2026-11-01&to=2026-12-01"} {
			var st crossguard.RiskStats
			e.do(t, request{Method: "GET", Path: path, Token: e.tokens[crossguard.RoleAuditor]}).want(t, http.StatusOK).decode(t, &st)
			if st.Total != 3 {
				t.Fatalf("%s: %d declarations, want 3", path, st.Total)
			}
			prof := rateOf(t, st.Profiles, p.ID)
			if prof.Name != p.Name || prof.Selected != 2 || prof.Inspected != 1 || prof.Hits != 1 || prof.HitRate != 1 || prof.Revenue != 1200.5 {
				t.Errorf("%s: profile %+v", path, prof)
			}
			if red := rateOf(t, st.Channels, crossguard.ChannelRed); red.Selected != 2 || red.Inspected != 1 || red.Hits != 1 {
				t.Errorf("%s: red %+v", path, red)
			}
			if green := rateOf(t, st.Channels, crossguard.ChannelGreen); green.Selected != 1 || green.Inspected != 1 || green.Hits != 0 || green.HitRate != 0 {
				t.Errorf("%s: green %+v", path, green)
			}
		}
		var v apiProfile
		e.do(t, request{Method: "GET", Path: "/api/v1/profiles/" + p.ID, Token: officer}).want(t, http.StatusOK).decode(t, &v)
		if v.Stats.Selected != 2 || v.Stats.Hits != 1 {
			t.Fatalf("profile statistics %+v", v.Stats)
		}

		t.Run("a period without decisions", func(t *testing.T) {
			var st crossguard.RiskStats
			e.do(t, request{Method: "GET", Path: "/api/v1/risk/stats?from=2026-10-01&to=2026-10-31", Token: officer}).want(t, http.StatusOK).decode(t, &st)
			if st.Total != 0 {
				t.Fatalf("%d declarations in October", st.Total)
			}
		})
		seizure := e.mustCreate(t, storetest.ExampleSeizureJSON, nil)
		cases := []struct {
			name, id, body string
			status         int
			field          string
		}{
			{"a seizure of this node", "I0000002", `{"result": "seizure", "seizure_id": "` + seizure.ID + `"}`, http.StatusOK, ""},
			{"an unknown result", "I0000002", `{"result": "found"}`, http.StatusBadRequest, "result"},
			{"negative revenue", "I0000002", `{"result": "irregularity", "recovered_revenue": -1}`, http.StatusBadRequest, "recovered_revenue"},
			{"a seizure without a seizure result", "I0000002", `{"result": "no_finding", "seizure_id": "` + seizure.ID + `"}`, http.StatusBadRequest, "seizure_id"},
			{"an unknown seizure", "I0000002", `{"result": "seizure", "seizure_id": "0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f"}`, http.StatusBadRequest, "seizure_id"},
			{"an unknown field", "I0000002", `{"result": "seizure", "officer": "someone"}`, http.StatusBadRequest, "officer"},
			{"an unknown declaration", "NOSUCH", `{"result": "no_finding"}`, http.StatusNotFound, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := e.do(t, request{Method: "POST", Path: "/api/v1/declarations/" + tc.id + "/inspection", Token: officer, Body: tc.body})
				if tc.status == http.StatusOK {
					res.want(t, http.StatusOK)
					return
				}
				res.wantError(t, tc.status, map[int]string{400: "invalid", 404: "not_found"}[tc.status], tc.field)
			})
		}
		t.Run("bad period", func(t *testing.T) {
			e.do(t, request{Method: "GET", Path: "/api/v1/risk/stats?from=2026-12-01&to=2026-11-01", Token: officer}).wantError(t, http.StatusBadRequest, "invalid", "to")
			e.do(t, request{Method: "GET", Path: "/api/v1/risk/stats?since=2026-12-01", Token: officer}).wantError(t, http.StatusBadRequest, "invalid", "since")
		})
	})
}

// TestModels checks training on the node, uploading a model file,
// activation, decisions explained by the active model, and that a corrupt
// or incompatible file is refused while the active model stays.
func TestModels(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, e *testEnv) {
		analyst := e.tokens[crossguard.RoleAnalyst]
		t.Run("training needs inspected declarations", func(t *testing.T) {
			e.do(t, request{Method: "POST", Path: "/api/v1/models/train", Token: analyst}).wantError(t, http.StatusBadRequest, "invalid", "")
		})
		e.mustSaveLabelled(t)
		t.Run("an imported declaration is not decided again", func(t *testing.T) {
			id := string(mustLabelled(t)[0].Declaration.DeclarationID)
			e.do(t, request{Method: "POST", Path: "/api/v1/declarations", Token: e.tokens[crossguard.RoleOfficer], Body: declarationJSON(t, id, nil)}).
				wantError(t, http.StatusConflict, "conflict", "")
		})
		res := e.do(t, request{Method: "POST", Path: "/api/v1/models/train?seed=3", Token: analyst}).want(t, http.StatusCreated)
		var trained crossguard.ModelInfo
		res.decode(t, &trained)
		if trained.Version != 1 || trained.Active || trained.Seed != 3 || trained.TrainedRows != labelledRows*4/5 || trained.Eval == nil ||
			trained.Eval.Rows != labelledRows/5 || trained.Eval.Positives == 0 {
			t.Fatalf("trained model %s", res.Body)
		}
		for _, m := range []map[string]float64{trained.Eval.PrecisionAt, trained.Eval.RecallAt} {
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range m {
					if !yield(k) {
						return
					}
				}
			})
			if !slices.Equal(keys, []string{"1", "10", "2", "5"}) {
				t.Fatalf("evaluation keys %v; body %s", keys, res.Body)
			}
			for k, v := range m {
				if v < 0 || v > 1 {
					t.Errorf("evaluation at %s%%: %v", k, v)
				}
			}
		}

		file := mustModelFile(t)
		res = e.do(t, request{Method: "POST", Path: "/api/v1/models?notes=trained+offline", Token: analyst, Body: string(file),
			Header: map[string]string{"Content-Type": "application/octet-stream"}}).want(t, http.StatusCreated)
		var uploaded crossguard.ModelInfo
		res.decode(t, &uploaded)
		if uploaded.Version != 2 || uploaded.Active || uploaded.Notes != "trained offline" || uploaded.TrainedRows != labelledRows || uploaded.Seed != 7 {
			t.Fatalf("uploaded model %s", res.Body)
		}
		if d := e.decide(t, "D0000001", nil); d.ModelVersion != 0 || len(reasonsOf(d, crossguard.ReasonModel)) != 0 {
			t.Fatalf("decision before activation %+v", d)
		}

		res = e.do(t, request{Method: "POST", Path: "/api/v1/models/2/activate", Token: analyst}).want(t, http.StatusOK)
		var active crossguard.ModelInfo
		res.decode(t, &active)
		if active.Version != 2 || !active.Active || active.ActivatedAt == nil {
			t.Fatalf("activated model %s", res.Body)
		}
		wantModel := func(t *testing.T, id string, version int64) {
			t.Helper()
			d := e.decide(t, id, nil)
			why := reasonsOf(d, crossguard.ReasonModel)
			if d.ModelVersion != version || len(why) == 0 || len(why) > 3 || d.Score <= 0 || d.Score > 1 {
				t.Fatalf("decision %+v, want model %d with its reasons", d, version)
			}
			for _, r := range why {
				if r.Feature == "" || r.Contribution == 0 || r.Text == "" {
					t.Fatalf("model reason %+v", r)
				}
			}
		}
		wantModel(t, "D0000002", 2)

		good := mustModelFile(t)
		flipped := slices.Clone(good)
		flipped[len(flipped)/2] ^= 0xff
		newer := slices.Clone(good)
		binary.LittleEndian.PutUint32(newer[8:], 99)
		refusals := []struct{ name, body, says string }{
			{"corrupt", string(flipped), "corrupt"},
			{"truncated", string(good[:len(good)/2]), "truncated"},
			{"another format version", string(newer), "format version 99"},
			{"not a model", `{"trees": []}`, "not a crossguard model file"},
		}
		for _, tc := range refusals {
			t.Run(tc.name+" file refused", func(t *testing.T) {
				d := e.do(t, request{Method: "POST", Path: "/api/v1/models", Token: analyst, Body: tc.body,
					Header: map[string]string{"Content-Type": "application/octet-stream"}}).wantError(t, http.StatusBadRequest, "invalid", "")
				if !strings.Contains(d.Message, tc.says) {
					t.Fatalf("refusal does not say %q: %s", tc.says, d.Message)
				}
			})
		}
		var list struct{ Items []crossguard.ModelInfo }
		e.do(t, request{Method: "GET", Path: "/api/v1/models", Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK).decode(t, &list)
		if len(list.Items) != 2 || list.Items[0].Version != 2 || !list.Items[0].Active || list.Items[1].Active || list.Items[1].Eval == nil {
			t.Fatalf("models after the refusals %+v", list.Items)
		}
		wantModel(t, "D0000003", 2)

		e.do(t, request{Method: "POST", Path: "/api/v1/models/1/activate", Token: analyst}).want(t, http.StatusOK)
		wantModel(t, "D0000004", 1)
		for _, v := range []string{"3", "0", "x"} {
			e.do(t, request{Method: "POST", Path: "/api/v1/models/" + v + "/activate", Token: analyst}).wantError(t, http.StatusNotFound, "not_found", "")
		}
		for action, want := range map[string]int{crossguard.ActionModelSave: 2, crossguard.ActionModelActivate: 2} {
			if got := e.auditCount(t, crossguard.RoleAnalyst, action); got != want {
				t.Errorf("%d %s entries, want %d", got, action, want)
			}
		}

		t.Run("the next training uses new inspection results", func(t *testing.T) {
			// D0000001 to D0000004 were decided above; officers report two
			// of them, and only those two join the labelled declarations.
			for id, result := range map[string]string{"D0000001": "seizure", "D0000003": "no_finding"} {
				e.do(t, request{Method: "POST", Path: "/api/v1/declarations/" + id + "/inspection", Token: e.tokens[crossguard.RoleOfficer],
					Body: `{"result": "` + result + `"}`}).want(t, http.StatusOK)
			}
			var next crossguard.ModelInfo
			e.do(t, request{Method: "POST", Path: "/api/v1/models/train?seed=3", Token: analyst}).want(t, http.StatusCreated).decode(t, &next)
			if next.Eval == nil || next.TrainedRows+next.Eval.Rows != labelledRows+2 {
				t.Fatalf("retrained on %d + %d declarations, want %d", next.TrainedRows, next.Eval.Rows, labelledRows+2)
			}
		})
	})
}
