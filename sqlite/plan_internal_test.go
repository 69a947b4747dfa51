package sqlite

import (
	"strings"
	"testing"
	"time"

	"crossguard"
)

// listPlanCases are the filters whose query plans must walk an index in
// list order rather than sort the matches.
var listPlanCases = []struct {
	name string
	f    crossguard.SeizureFilter
}{
	{"none", crossguard.SeizureFilter{}},
	{"category", crossguard.SeizureFilter{Category: "narcotics"}},
	{"country", crossguard.SeizureFilter{Country: "PK"}},
	{"hs 2", crossguard.SeizureFilter{HS: "29"}},
	{"hs 3", crossguard.SeizureFilter{HS: "293"}},
	{"hs 4", crossguard.SeizureFilter{HS: "2939"}},
	{"hs 6", crossguard.SeizureFilter{HS: "293911"}},
	{"hs 8", crossguard.SeizureFilter{HS: "24031100"}},
	{"hs 1", crossguard.SeizureFilter{HS: "2"}},
	{"date range", crossguard.SeizureFilter{From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}},
	{"category and country", crossguard.SeizureFilter{Category: "narcotics", Country: "PK"}},
	{"category and hs", crossguard.SeizureFilter{Category: "narcotics", HS: "2403"}},
	{"country and date range", crossguard.SeizureFilter{Country: "PK", From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}},
	{"cursor", crossguard.SeizureFilter{Cursor: crossguard.EncodeSeizureCursor(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "x")}},
	{"category and cursor", crossguard.SeizureFilter{Category: "tobacco", Cursor: crossguard.EncodeSeizureCursor(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "x")}},
	{"origin", crossguard.SeizureFilter{Origin: "af-customs/islam-qala"}},
	{"not origin", crossguard.SeizureFilter{NotOrigin: "pk-customs/sost"}},
	{"origin and date range", crossguard.SeizureFilter{Origin: "af-customs/islam-qala", From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}},
	{"origin and cursor", crossguard.SeizureFilter{Origin: "af-customs/islam-qala", Cursor: crossguard.EncodeSeizureCursor(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "x")}},
	{"country and origin", crossguard.SeizureFilter{Country: "PK", Origin: "af-customs/islam-qala"}},
	{"category and not origin", crossguard.SeizureFilter{Category: "narcotics", NotOrigin: "pk-customs/sost"}},
	{"hs and origin", crossguard.SeizureFilter{HS: "2939", Origin: "af-customs/islam-qala"}},
}

// queryPlan returns the EXPLAIN QUERY PLAN of a query, one step a line.
func queryPlan(t *testing.T, s *Store, q string, args []any) string {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// wantOrderedPlan fails t unless plan walks an index (or the FTS index)
// in list order: its first step searches or scans an index, and it never
// sorts the whole result (sorting ties of occurred_at by id, the "last
// term" of ORDER BY, is done a group at a time and stops with the limit).
func wantOrderedPlan(t *testing.T, q, plan string) {
	t.Helper()
	first, _, _ := strings.Cut(plan, "\n")
	if !strings.Contains(first, " USING ") && !strings.Contains(first, "VIRTUAL TABLE") {
		t.Errorf("plan does not start from an index:\n%s\n%s", q, plan)
	}
	if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
		t.Errorf("plan sorts every match:\n%s\n%s", q, plan)
	}
}

func TestListQueryPlans(t *testing.T) {
	s := openInternal(t)
	for _, c := range listPlanCases {
		t.Run(c.name, func(t *testing.T) {
			f, err := validateFilter(c.f)
			if err != nil {
				t.Fatal(err)
			}
			q, args := indexedList(f)
			wantOrderedPlan(t, q, queryPlan(t, s, q, args))
		})
		t.Run(c.name+" with query", func(t *testing.T) {
			c.f.Query = "heroin"
			f, err := validateFilter(c.f)
			if err != nil {
				t.Fatal(err)
			}
			q, args := searchQuery(f, ftsMatch(f.Query, f.Category, f.Country, f.HS))
			plan := queryPlan(t, s, q, args)
			wantOrderedPlan(t, q, plan)
			if !strings.HasPrefix(plan, "SCAN f VIRTUAL TABLE") {
				t.Errorf("search does not start from the FTS index:\n%s\n%s", q, plan)
			}
		})
	}
}

// TestChangesPlan checks that the change feed merges the seq indexes of
// both tables instead of sorting their rows.
func TestChangesPlan(t *testing.T) {
	s := openInternal(t)
	plan := queryPlan(t, s, changesSQL, []any{0, 100})
	if strings.Contains(plan, "TEMP B-TREE") || strings.Count(plan, " USING INDEX ") != 2 || !strings.Contains(plan, "MERGE") {
		t.Errorf("changes plan does not merge the two seq indexes:\n%s", plan)
	}
}

// TestAckServedPlan checks that acknowledging a peer's cursor, at every
// pull, looks up the peer's pending withdrawals in shares_withdrawn rather
// than reading every share of the peer.
func TestAckServedPlan(t *testing.T) {
	s := openInternal(t)
	for _, q := range []string{pendingAckSQL, ackSQL} {
		plan := queryPlan(t, s, q, []any{"af-customs/islam-qala", 42})
		if !strings.HasPrefix(plan, "SEARCH shares USING ") || !strings.Contains(plan, "INDEX shares_withdrawn (peer=? AND withdrawn_seq>? AND withdrawn_seq<?)") {
			t.Errorf("plan does not search shares_withdrawn by peer and seq:\n%s\n%s", q, plan)
		}
	}
}
