package sqlite

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// TestRiskQueryPlans checks that the queries of risk targeting walk their
// indexes in order rather than sort or scan whole tables: recent scores
// (read at every decision window refresh), labelled declarations (one
// page at a time), and the stats of a period.
func TestRiskQueryPlans(t *testing.T) {
	s := openInternal(t)
	lo, hi := "2026-01-01T00:00:00.000000000Z", "2026-02-01T00:00:00.000000000Z"
	for _, c := range []struct {
		name string
		q    string
		args []any
		want []string
		// groups is set for the stats, which group their rows and may
		// sort the groups, few as they are.
		groups bool
	}{
		{"recent scores", recentScoresSQL, []any{100}, []string{"SCAN decisions USING COVERING INDEX decisions_decided"}, false},
		{"recent scores at a crossing", recentScoresAtSQL, []any{"torkham", 100}, []string{"SEARCH decisions USING COVERING INDEX decisions_crossing (crossing=?)"}, false},
		{"labelled page", labelledSQL, []any{"", "", labelledPage}, []string{"SEARCH d USING INDEX declarations_received ((received_at,id)>(?,?))", "SEARCH i USING INDEX"}, false},
		{"stats by channel", riskGroupsSQL, []any{lo, hi}, []string{"INDEX decisions_decided (decided_at>? AND decided_at<?)"}, true},
		{"stats by profile", riskProfilesSQL, []any{lo, hi}, []string{"INDEX decisions_decided (decided_at>? AND decided_at<?)", "SEARCH p USING PRIMARY KEY (declaration_id=?)"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := queryPlan(t, s, c.q, c.args)
			for _, w := range c.want {
				if !strings.Contains(plan, w) {
					t.Errorf("plan lacks %q:\n%s\n%s", w, c.q, plan)
				}
			}
			if !c.groups && strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("plan sorts:\n%s\n%s", c.q, plan)
			}
		})
	}
}

// TestOneActiveModel checks that the schema itself refuses a second
// active model, whatever statement tries.
func TestOneActiveModel(t *testing.T) {
	s := openInternal(t)
	for v := 1; v <= 2; v++ {
		if err := s.SaveModel(t.Context(), "trainer", &crossguard.ModelInfo{CreatedAt: time.Unix(int64(v), 0)}, []byte("m")); err != nil {
			t.Fatalf("SaveModel: %v", err)
		}
	}
	if err := s.ActivateModel(t.Context(), "analyst", 1, time.Unix(10, 0)); err != nil {
		t.Fatalf("ActivateModel: %v", err)
	}
	if _, err := s.w.ExecContext(t.Context(), `UPDATE models SET active = 1 WHERE version = 2`); err == nil {
		t.Fatal("a second model was made active")
	}
}
