package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// newWatch returns a watch-list entry created by an analyst at created
// and expiring at expires.
func newWatch(id, typ, value, channel string, created, expires time.Time) *crossguard.WatchEntry {
	return &crossguard.WatchEntry{ID: id, Identifier: crossguard.Identifier{Type: typ, Value: value}, Channel: channel,
		Reason: "warning about " + value, ExpiresAt: expires, CreatedAt: created, Source: "analyst"}
}

// mustWatchlist returns the entries in force at at, sorted by id.
func mustWatchlist(t *testing.T, s crossguard.Store, at time.Time) []*crossguard.WatchEntry {
	t.Helper()
	got, err := s.Watchlist(t.Context(), at)
	if err != nil {
		t.Fatalf("Watchlist(%s): %v", at, err)
	}
	slices.SortFunc(got, func(a, b *crossguard.WatchEntry) int { return strings.Compare(a.ID, b.ID) })
	return got
}

// testWatchlist checks PutWatch, RemoveWatch and Watchlist.
func testWatchlist(t *testing.T, open Opener) {
	t.Run("entries in force until expired or removed", func(t *testing.T) {
		s := riskFresh(t, open)
		at := func(h int) time.Time { return riskT0.Add(time.Duration(h) * time.Hour) }
		if got := mustWatchlist(t, s, at(0)); len(got) != 0 {
			t.Fatalf("Watchlist of an empty store has %d entries", len(got))
		}
		w1 := newWatch("w-1", "container", "MSCU1234567", crossguard.ChannelRed, at(0), at(48))
		w2 := newWatch("w-2", "vehicle_plate", "KBL-4411", crossguard.ChannelYellow, at(0).Add(time.Minute), at(2))
		w3 := newWatch("w-3", "company_registration", "PK-0099812", crossguard.ChannelBlue, at(0).Add(2*time.Minute), at(72))
		for _, w := range []*crossguard.WatchEntry{w1, w2, w3} {
			if err := s.PutWatch(t.Context(), actor, w); err != nil {
				t.Fatalf("PutWatch(%s): %v", w.ID, err)
			}
		}
		wantEqual(t, "watch list at 1h", mustWatchlist(t, s, at(1)), []*crossguard.WatchEntry{w1, w2, w3})
		wantEqual(t, "watch list at 2h, when w-2 expires", mustWatchlist(t, s, at(2)), []*crossguard.WatchEntry{w1, w3})

		if err := s.RemoveWatch(t.Context(), actor, "w-3", at(3)); err != nil {
			t.Fatalf("RemoveWatch: %v", err)
		}
		wantEqual(t, "watch list at 3h, when w-3 is removed", mustWatchlist(t, s, at(3)), []*crossguard.WatchEntry{w1})
		wantEqual(t, "watch list at 4h", mustWatchlist(t, s, at(4)), []*crossguard.WatchEntry{w1})
		wantEqual(t, "watch list at 48h, when w-1 expires", mustWatchlist(t, s, at(48)), []*crossguard.WatchEntry{})

		wantCode(t, s.RemoveWatch(t.Context(), actor, "w-3", at(5)), crossguard.ENOTFOUND)
		wantCode(t, s.RemoveWatch(t.Context(), actor, "w-9", at(5)), crossguard.ENOTFOUND)
		if err := s.RemoveWatch(t.Context(), actor, "w-2", at(5)); err != nil {
			t.Fatalf("RemoveWatch of an expired entry: %v", err)
		}
		wantCode(t, s.PutWatch(t.Context(), actor, newWatch("w-1", "container", "OTHER", crossguard.ChannelRed, at(6), at(60))), crossguard.ECONFLICT)
		wantEqual(t, "watch list after a refused put", mustWatchlist(t, s, at(6)), []*crossguard.WatchEntry{w1})

		wantAudit(t, s, "w-1", crossguard.ActionWatchAdd)
		wantAudit(t, s, "w-2", crossguard.ActionWatchAdd, crossguard.ActionWatchRemove)
		wantAudit(t, s, "w-3", crossguard.ActionWatchAdd, crossguard.ActionWatchRemove)
		wantChain(t, s, 5)
	})
}

// newModelInfo returns the description of a model trained with seed.
func newModelInfo(seed int64, created time.Time) *crossguard.ModelInfo {
	return &crossguard.ModelInfo{
		CreatedAt: created, Seed: seed, TrainedRows: 37385, Positives: 3001,
		Eval: &crossguard.Evaluation{Rows: 8134, Positives: 650,
			PrecisionAt: map[string]float64{"1": 0.9875, "2": 0.975, "5": 0.953125, "10": 0.875},
			RecallAt:    map[string]float64{"1": 0.125, "2": 0.25, "5": 0.59375, "10": 0.875}},
		Notes: "trained on train.csv", Meta: map[string]any{"trees": 300.0, "learner": "gradient boosting"},
	}
}

// testModels checks SaveModel, Models, ModelFile and ActivateModel.
func testModels(t *testing.T, open Opener) {
	t.Run("versions, files and one active", func(t *testing.T) {
		s := riskFresh(t, open)
		models, err := s.Models(t.Context())
		if err != nil || len(models) != 0 {
			t.Fatalf("Models of an empty store = %v, %v; want none", models, err)
		}
		one, file1 := newModelInfo(7, riskT0), []byte("model one\x00\xff\x01 binary")
		if err := s.SaveModel(t.Context(), actor, one, file1); err != nil {
			t.Fatalf("SaveModel: %v", err)
		}
		activated := riskT0
		two, file2 := newModelInfo(8, riskT0.Add(time.Hour)), []byte(strings.Repeat("tree ", 50000))
		two.Active, two.ActivatedAt = true, &activated // not what a new version is
		if err := s.SaveModel(t.Context(), actor, two, file2); err != nil {
			t.Fatalf("SaveModel: %v", err)
		}
		if one.Version != 1 || two.Version != 2 || two.Active || two.ActivatedAt != nil {
			t.Fatalf("SaveModel gave versions %d and %d (active %v at %v), want 1 and 2, not active", one.Version, two.Version, two.Active, two.ActivatedAt)
		}
		wantModels(t, s, two, one)
		for _, c := range []struct {
			info *crossguard.ModelInfo
			file []byte
		}{{one, file1}, {two, file2}} {
			info, file, err := s.ModelFile(t.Context(), c.info.Version)
			if err != nil {
				t.Fatalf("ModelFile(%d): %v", c.info.Version, err)
			}
			wantEqual(t, "model info", info, c.info)
			if string(file) != string(c.file) {
				t.Fatalf("ModelFile(%d) = %d bytes, not the %d stored", c.info.Version, len(file), len(c.file))
			}
		}
		if _, _, err := s.ModelFile(t.Context(), 3); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
			t.Fatalf("ModelFile(3) = %v, want ENOTFOUND", err)
		}

		at1 := riskT0.Add(2 * time.Hour)
		if err := s.ActivateModel(t.Context(), actor, 1, at1); err != nil {
			t.Fatalf("ActivateModel(1): %v", err)
		}
		one.Active, one.ActivatedAt = true, &at1
		wantModels(t, s, two, one)

		at2 := riskT0.Add(3 * time.Hour)
		if err := s.ActivateModel(t.Context(), actor, 2, at2); err != nil {
			t.Fatalf("ActivateModel(2): %v", err)
		}
		wantActive(t, s, 2, at2)
		wantCode(t, s.ActivateModel(t.Context(), actor, 5, at2), crossguard.ENOTFOUND)
		wantActive(t, s, 2, at2)
		if err := s.ActivateModel(t.Context(), actor, 1, at2.Add(time.Hour)); err != nil {
			t.Fatalf("ActivateModel(1) again: %v", err)
		}
		wantActive(t, s, 1, at2.Add(time.Hour))

		wantAudit(t, s, "1", crossguard.ActionModelSave, crossguard.ActionModelActivate, crossguard.ActionModelActivate)
		wantAudit(t, s, "2", crossguard.ActionModelSave, crossguard.ActionModelActivate)
		wantChain(t, s, 5)
	})
}

// wantModels fails t unless Models lists exactly want.
func wantModels(t *testing.T, s crossguard.Store, want ...*crossguard.ModelInfo) {
	t.Helper()
	got, err := s.Models(t.Context())
	if err != nil {
		t.Fatalf("Models: %v", err)
	}
	wantEqual(t, "models", got, want)
}

// wantActive fails t unless version is the only active model, activated
// at at.
func wantActive(t *testing.T, s crossguard.Store, version int64, at time.Time) {
	t.Helper()
	got, err := s.Models(t.Context())
	if err != nil {
		t.Fatalf("Models: %v", err)
	}
	var active []int64
	for _, m := range got {
		if m.Active {
			active = append(active, m.Version)
			if m.Version == version && (m.ActivatedAt == nil || !m.ActivatedAt.Equal(at)) {
				t.Fatalf("model %d activated at %v, want %s", version, m.ActivatedAt, at)
			}
		}
	}
	if len(active) != 1 || active[0] != version {
		t.Fatalf("active models %v, want only %d", active, version)
	}
}

// testProfileStates checks SetProfileState and ProfileStates.
func testProfileStates(t *testing.T, open Opener) {
	t.Run("set, replaced and audited", func(t *testing.T) {
		s := riskFresh(t, open)
		got, err := s.ProfileStates(t.Context())
		if err != nil || len(got) != 0 {
			t.Fatalf("ProfileStates of an empty store = %v, %v; want none", got, err)
		}
		for _, c := range []struct{ id, state string }{
			{"p-1", crossguard.ProfileDisabled}, {"p-2", crossguard.ProfileActive}, {"p-1", crossguard.ProfileInactive},
		} {
			if err := s.SetProfileState(t.Context(), actor, c.id, c.state, riskT0); err != nil {
				t.Fatalf("SetProfileState(%s, %s): %v", c.id, c.state, err)
			}
		}
		wantCode(t, s.SetProfileState(t.Context(), actor, "p-3", "paused", riskT0), crossguard.EINVALID)
		got, err = s.ProfileStates(t.Context())
		if err != nil {
			t.Fatalf("ProfileStates: %v", err)
		}
		wantEqual(t, "profile states", got, map[string]string{"p-1": crossguard.ProfileInactive, "p-2": crossguard.ProfileActive})
		wantAudit(t, s, "p-1", crossguard.ActionProfileState, crossguard.ActionProfileState)
		wantAudit(t, s, "p-3")
		wantChain(t, s, 3)
	})
}
