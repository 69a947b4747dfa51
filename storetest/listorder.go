package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// matchesPlace is the reference implementation of SeizureFilter.Place: the
// place name contains the text ignoring case, or the UN/LOCODE is the text
// in any case.
func matchesPlace(s *crossguard.Seizure, place string) bool {
	return place == "" || strings.EqualFold(s.Place.LOCODE, place) ||
		strings.Contains(strings.ToLower(s.Place.Name), strings.ToLower(place))
}

// testListOrder checks the oldest-first order of ListSeizures and the place
// filter: every filter pages, in both orders and at every page size,
// through exactly the matching records, one order the other reversed.
func testListOrder(t *testing.T, open Opener) {
	t.Run("filters in both orders", func(t *testing.T) { testBothOrders(t, open) })
	t.Run("oldest first with ties and writes between pages", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, 9, T0, 0) // all at one instant: ties by id
		mustCreate(t, s, items...)
		sortNewestFirst(items)
		ids := idsOf(items)
		slices.Reverse(ids)
		first := mustList(t, s, crossguard.SeizureFilter{Limit: 4, Oldest: true})
		wantIDs(t, "first page", idsOf(first.Items), ids[:4])
		// An older record does not disturb the pages that follow.
		mustCreate(t, s, NewSeizure(100, T0.Add(-time.Hour)))
		rest := listAll(t, s, crossguard.SeizureFilter{Limit: 4, Oldest: true, Cursor: first.NextCursor})
		wantIDs(t, "rest", rest, ids[4:])
	})
}

// testBothOrders pages through every filter in both orders.
func testBothOrders(t *testing.T, open Opener) {
	s := fresh(t, open)
	live := listData(t, s, 120)
	mid := live[len(live)/2].OccurredAt
	early := live[len(live)*3/4].OccurredAt
	cases := []struct {
		name string
		f    crossguard.SeizureFilter
	}{
		{"no filter", crossguard.SeizureFilter{}},
		{"from and to", crossguard.SeizureFilter{From: early, To: mid}},
		{"category", crossguard.SeizureFilter{Category: "narcotics"}},
		{"country", crossguard.SeizureFilter{Country: "AF"}},
		{"hs 2 digits", crossguard.SeizureFilter{HS: "29"}},
		{"hs 3 digits", crossguard.SeizureFilter{HS: "293"}},
		{"hs 1 digit", crossguard.SeizureFilter{HS: "2"}},
		{"hs 8 digits", crossguard.SeizureFilter{HS: "24031100"}},
		{"origin (every record)", crossguard.SeizureFilter{Origin: Origin}},
		{"not origin (no record)", crossguard.SeizureFilter{NotOrigin: Origin}},
		{"origin and country", crossguard.SeizureFilter{Origin: Origin, Country: "PK"}},
		{"query", crossguard.SeizureFilter{Query: "concealed"}},
		{"query and category", crossguard.SeizureFilter{Query: "concealed", Category: "narcotics"}},
		{"query and dates", crossguard.SeizureFilter{Query: "concealed", From: early, To: mid}},
		{"category and country and to", crossguard.SeizureFilter{Category: "narcotics", Country: "PK", To: mid}},
		{"place name word", crossguard.SeizureFilter{Place: "torkham"}},
		{"place name middle in upper case", crossguard.SeizureFilter{Place: "BORDER CROSS"}},
		{"place name shared by two places", crossguard.SeizureFilter{Place: "Crossing"}},
		{"place locode in lower case", crossguard.SeizureFilter{Place: "afiqa"}},
		{"place and category", crossguard.SeizureFilter{Place: "crossing", Category: "narcotics"}},
		{"place and query", crossguard.SeizureFilter{Place: "islam", Query: "concealed"}},
		{"place and hs", crossguard.SeizureFilter{Place: "pass", HS: "29"}},
		{"unknown place", crossguard.SeizureFilter{Place: "Atlantis"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, it := range live {
				if matches(it, c.f) && matchesPlace(it, c.f.Place) && (c.f.Origin == "" || it.Origin == c.f.Origin) && it.Origin != c.f.NotOrigin {
					want = append(want, it.ID)
				}
			}
			every := c.f == (crossguard.SeizureFilter{}) || c.f.Origin == Origin && c.f.Country == ""
			nothing := c.f.Place == "Atlantis" || c.f.NotOrigin == Origin
			if (len(want) == len(live)) != every || (len(want) == 0) != nothing {
				t.Fatalf("test data: the filter matches %d of %d records, want some but not all", len(want), len(live))
			}
			reversed := slices.Clone(want)
			slices.Reverse(reversed)
			for _, limit := range []int{1, 2, 3, 100} {
				f := c.f
				f.Limit = limit
				newest := listAll(t, s, f)
				wantIDs(t, "newest first", newest, want)
				f.Oldest = true
				oldest := listAll(t, s, f)
				wantIDs(t, "oldest first", oldest, reversed)
			}
		})
	}
	t.Run("cursor of the other order is invalid", func(t *testing.T) {
		newest := mustList(t, s, crossguard.SeizureFilter{Limit: 2})
		oldest := mustList(t, s, crossguard.SeizureFilter{Limit: 2, Oldest: true})
		if newest.NextCursor == "" || oldest.NextCursor == "" {
			t.Fatal("test data: first pages of 2 have no next cursor")
		}
		_, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Limit: 2, Oldest: true, Cursor: newest.NextCursor})
		wantCode(t, err, crossguard.EINVALID)
		_, err = s.ListSeizures(t.Context(), crossguard.SeizureFilter{Limit: 2, Cursor: oldest.NextCursor})
		wantCode(t, err, crossguard.EINVALID)
	})
}
