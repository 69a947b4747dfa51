package sqlite

import (
	"strings"
	"testing"
)

// TestOldestFirstQueryPlans checks that oldest-first lists walk the same
// indexes as newest-first ones, backwards, rather than sort the matches,
// with and without a full-text query and a place filter.
func TestOldestFirstQueryPlans(t *testing.T) {
	s := openInternal(t)
	for _, c := range listPlanCases {
		if c.f.Cursor != "" { // the same position as an oldest-first cursor
			at, id, err := c.f.DecodeCursor()
			if err != nil {
				t.Fatal(err)
			}
			c.f.Oldest = true
			c.f.Cursor = c.f.EncodeCursor(at, id)
		}
		c.f.Oldest = true
		for _, place := range []string{"", "torkham"} {
			c.f.Place = place
			name := c.name
			if place != "" {
				name += " and place"
			}
			t.Run(name, func(t *testing.T) {
				f, err := validateFilter(c.f)
				if err != nil {
					t.Fatal(err)
				}
				q, args := indexedList(f)
				wantOrderedPlan(t, q, queryPlan(t, s, q, args))
			})
			t.Run(name+" with query", func(t *testing.T) {
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
}
