package sqlite

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// TestDecisionQueuePlans checks that every filter of the declaration
// queue walks a decisions index in queue order, looking up declarations
// and inspections by key, and that the profile preview walks
// declarations_received: neither scans a table nor sorts.
func TestDecisionQueuePlans(t *testing.T) {
	s := openInternal(t)
	cursor := crossguard.EncodeDecisionCursor(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "10000007")
	for _, c := range []struct {
		name  string
		f     crossguard.DecisionFilter
		index string
	}{
		{"all", crossguard.DecisionFilter{}, "decisions_decided"},
		{"channel", crossguard.DecisionFilter{Channel: "red"}, "decisions_decided"},
		{"uninspected", crossguard.DecisionFilter{Uninspected: true}, "decisions_decided"},
		{"cursor", crossguard.DecisionFilter{Cursor: cursor}, "decisions_decided"},
		{"crossing", crossguard.DecisionFilter{Crossing: "sost"}, "decisions_crossing"},
		{"everything", crossguard.DecisionFilter{Crossing: "sost", Channel: "red", Uninspected: true, Cursor: cursor}, "decisions_crossing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.f.Normalize()
			if err != nil {
				t.Fatal(err)
			}
			q, args, _, err := queueQuery(f)
			if err != nil {
				t.Fatal(err)
			}
			plan := queryPlan(t, s, q, args)
			first, _, _ := strings.Cut(plan, "\n")
			if !strings.Contains(first, "c USING") || !strings.Contains(first, c.index) {
				t.Errorf("plan does not start from %s:\n%s", c.index, plan)
			}
			wantNoScan(t, plan)
		})
	}
	plan := queryPlan(t, s, recentDeclarationsSQL, []any{100})
	if !strings.Contains(plan, "declarations_received") {
		t.Errorf("recent declarations do not walk declarations_received:\n%s", plan)
	}
	wantNoScan(t, plan)
}

// wantNoScan fails t if plan sorts rows or reads a table other than
// through an index or its key. The correlated subquery that lists a
// decision's few profiles in their order comes last in the plan and is
// left out.
func wantNoScan(t *testing.T, plan string) {
	t.Helper()
	plan, _, _ = strings.Cut(plan, "CORRELATED SCALAR SUBQUERY")
	if strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("plan sorts:\n%s", plan)
	}
	for _, line := range strings.Split(plan, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "SCAN") && !strings.Contains(line, " USING ") {
			t.Errorf("plan scans a table: %q\n%s", line, plan)
		}
	}
}
