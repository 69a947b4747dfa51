package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"crossguard"
)

// listData stores a varied set of seizures, with ties of occurred_at, some
// updated and some deleted, and returns the live ones.
func listData(t *testing.T, s crossguard.Store, n int) []*crossguard.Seizure {
	t.Helper()
	items := NewSeizures(0, n, T0, 9*time.Hour+17*time.Minute+123456789)
	for k := range items {
		if k%5 == 1 || k%5 == 2 { // three records share each such instant
			items[k].OccurredAt = items[k-k%5].OccurredAt
		}
	}
	mustCreateBatches(t, s, items, 40)
	live := map[string]*crossguard.Seizure{}
	for _, it := range items {
		live[it.ID] = it
	}
	for k := 3; k < n; k += 17 { // change goods, country and time
		upd := NewSeizure(n+k, T0.Add(-time.Duration(k)*time.Hour-time.Minute))
		upd.ID, upd.CreatedAt, upd.Version = items[k].ID, items[k].CreatedAt, 2
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		live[upd.ID] = upd
	}
	for k := 6; k < n; k += 23 {
		if err := s.DeleteSeizure(t.Context(), actor, items[k].ID, 0, T0); err != nil {
			t.Fatalf("DeleteSeizure: %v", err)
		}
		delete(live, items[k].ID)
	}
	out := make([]*crossguard.Seizure, 0, len(live))
	for _, it := range live {
		out = append(out, it)
	}
	sortNewestFirst(out)
	return out
}

// matches is the reference implementation of a seizure filter.
func matches(s *crossguard.Seizure, f crossguard.SeizureFilter) bool {
	switch {
	case !f.From.IsZero() && s.OccurredAt.Before(f.From):
		return false
	case !f.To.IsZero() && !s.OccurredAt.Before(f.To):
		return false
	case f.Country != "" && s.Country != f.Country:
		return false
	case f.Category != "" && !slices.ContainsFunc(s.Goods, func(g crossguard.Goods) bool { return g.Category == f.Category }):
		return false
	case f.HS != "" && !slices.ContainsFunc(s.Goods, func(g crossguard.Goods) bool { return strings.HasPrefix(g.HS, f.HS) }):
		return false
	}
	if f.Query != "" {
		text := s.Narrative
		for _, g := range s.Goods {
			text += " " + g.Description
		}
		have := words(text)
		for _, w := range words(f.Query) {
			if !slices.Contains(have, w) {
				return false
			}
		}
	}
	return true
}

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// expected returns the ids of items that match f, in list order.
func expected(items []*crossguard.Seizure, f crossguard.SeizureFilter) []string {
	var ids []string
	for _, it := range items {
		if matches(it, f) {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// testList checks every filter of ListSeizures, alone and combined.
func testList(t *testing.T, open Opener) {
	t.Run("filters", func(t *testing.T) {
		s := fresh(t, open)
		live := listData(t, s, 160)
		mid := live[len(live)/2].OccurredAt
		early := live[len(live)*3/4].OccurredAt
		cases := []struct {
			name string
			f    crossguard.SeizureFilter
			all  bool // the filter matches every record
			none bool // the filter matches no record
		}{
			{name: "no filter", all: true},
			{name: "from", f: crossguard.SeizureFilter{From: mid}},
			{name: "to", f: crossguard.SeizureFilter{To: mid}},
			{name: "from and to", f: crossguard.SeizureFilter{From: early, To: mid}},
			{name: "from equals to", f: crossguard.SeizureFilter{From: mid, To: mid}, none: true},
			{name: "from after to", f: crossguard.SeizureFilter{From: mid, To: early}, none: true},
			{name: "from far past", f: crossguard.SeizureFilter{From: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}, all: true},
			{name: "to far future", f: crossguard.SeizureFilter{To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, all: true},
			{name: "category narcotics", f: crossguard.SeizureFilter{Category: "narcotics"}},
			{name: "category tobacco", f: crossguard.SeizureFilter{Category: "tobacco"}},
			{name: "category wildlife", f: crossguard.SeizureFilter{Category: "wildlife"}},
			{name: "unknown category", f: crossguard.SeizureFilter{Category: "spaceships"}, none: true},
			{name: "country", f: crossguard.SeizureFilter{Country: "AF"}},
			{name: "other country", f: crossguard.SeizureFilter{Country: "IR"}},
			{name: "country without seizures", f: crossguard.SeizureFilter{Country: "FR"}, none: true},
			{name: "hs chapter (2 digits)", f: crossguard.SeizureFilter{HS: "29"}},
			{name: "hs 3 digits", f: crossguard.SeizureFilter{HS: "293"}},
			{name: "hs heading (4 digits)", f: crossguard.SeizureFilter{HS: "2939"}},
			{name: "hs heading of a national code", f: crossguard.SeizureFilter{HS: "2403"}},
			{name: "hs 5 digits", f: crossguard.SeizureFilter{HS: "29394"}},
			{name: "hs subheading (6 digits)", f: crossguard.SeizureFilter{HS: "293911"}},
			{name: "hs national code (8 digits)", f: crossguard.SeizureFilter{HS: "24031100"}},
			{name: "hs 8 digits of a 6-digit code", f: crossguard.SeizureFilter{HS: "29391100"}, none: true},
			{name: "hs 3 digits longer than a 2-digit code", f: crossguard.SeizureFilter{HS: "970"}},
			{name: "hs 2 digits matching a 2-digit code", f: crossguard.SeizureFilter{HS: "97"}},
			{name: "hs without seizures", f: crossguard.SeizureFilter{HS: "0101"}, none: true},
			{name: "query", f: crossguard.SeizureFilter{Query: "heroin"}},
			{name: "query two words", f: crossguard.SeizureFilter{Query: "goods concealed"}},
			{name: "category and country", f: crossguard.SeizureFilter{Category: "narcotics", Country: "PK"}},
			{name: "category and hs of another line", f: crossguard.SeizureFilter{Category: "counterfeit_goods", HS: "2939"}},
			{name: "hs and date range", f: crossguard.SeizureFilter{HS: "29", From: early, To: mid}},
			{name: "country and to", f: crossguard.SeizureFilter{Country: "PK", To: mid}},
			{name: "query and category", f: crossguard.SeizureFilter{Query: "concealed", Category: "narcotics"}},
			{name: "query and country and from", f: crossguard.SeizureFilter{Query: "concealed", Country: "IR", From: early}},
			{name: "everything", f: crossguard.SeizureFilter{Query: "concealed", Category: "narcotics", HS: "29", Country: "PK", From: early}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				want := expected(live, c.f)
				switch {
				case c.all && len(want) != len(live):
					t.Fatalf("test data: the filter should match all %d records, matches %d", len(live), len(want))
				case c.none && len(want) != 0:
					t.Fatalf("test data: the filter should match nothing, matches %d", len(want))
				case !c.all && !c.none && (len(want) == 0 || len(want) == len(live)):
					t.Fatalf("test data: the filter matches %d of %d records, want some but not all", len(want), len(live))
				}
				first := mustList(t, s, c.f)
				wantIDs(t, "first page", idsOf(first.Items), want[:min(len(want), crossguard.DefaultPageSize)])
				if (first.NextCursor != "") != (len(want) > crossguard.DefaultPageSize) {
					t.Fatalf("first page of %d matches has next cursor %q", len(want), first.NextCursor)
				}
				f := c.f
				f.Limit = 7
				wantIDs(t, "all pages of 7", listAll(t, s, f), want)
			})
		}
		t.Run("items are the stored records", func(t *testing.T) {
			page := mustList(t, s, crossguard.SeizureFilter{Limit: crossguard.MaxPageSize})
			for i, it := range page.Items {
				wantEqual(t, "list item", it, live[i])
			}
		})
	})
	t.Run("invalid filters", func(t *testing.T) {
		s := fresh(t, open)
		mustCreate(t, s, NewSeizures(0, 3, T0, time.Hour)...)
		cases := []struct {
			name  string
			f     crossguard.SeizureFilter
			field string
		}{
			{"hs with a letter", crossguard.SeizureFilter{HS: "29a"}, "hs"},
			{"hs with a dot", crossguard.SeizureFilter{HS: "2939.11"}, "hs"},
			{"hs with a space", crossguard.SeizureFilter{HS: "29 "}, "hs"},
			{"hs with a sign", crossguard.SeizureFilter{HS: "-29"}, "hs"},
			{"hs with a wildcard", crossguard.SeizureFilter{HS: "29%"}, "hs"},
			{"hs with non-ASCII digits", crossguard.SeizureFilter{HS: "٢٩"}, "hs"},
			{"negative limit", crossguard.SeizureFilter{Limit: -1}, "limit"},
			{"cursor not base64", crossguard.SeizureFilter{Cursor: "not a cursor!"}, "cursor"},
			{"cursor without id", crossguard.SeizureFilter{Cursor: "MjAyNi0wMy0xNFQwOToyNjo1M1o"}, "cursor"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.ListSeizures(t.Context(), c.f)
				wantCode(t, err, crossguard.EINVALID)
				if c.field != "limit" && !slices.ContainsFunc(crossguard.ErrorFields(err), func(fe crossguard.FieldError) bool { return fe.Field == c.field }) {
					t.Fatalf("error %v does not name the field %q", err, c.field)
				}
			})
		}
	})
	t.Run("limits", func(t *testing.T) {
		s := fresh(t, open)
		items := NewSeizures(0, crossguard.MaxPageSize+20, T0, time.Minute)
		mustCreateBatches(t, s, items, 200)
		sortNewestFirst(items)
		all := idsOf(items)
		cases := []struct {
			name  string
			limit int
			want  int
		}{
			{"zero means the default", 0, crossguard.DefaultPageSize},
			{"one", 1, 1},
			{"seven", 7, 7},
			{"the maximum", crossguard.MaxPageSize, crossguard.MaxPageSize},
			{"above the maximum is capped", crossguard.MaxPageSize + 1, crossguard.MaxPageSize},
			{"far above the maximum is capped", 1 << 30, crossguard.MaxPageSize},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				page := mustList(t, s, crossguard.SeizureFilter{Limit: c.limit})
				wantIDs(t, "page", idsOf(page.Items), all[:c.want])
				if page.NextCursor == "" {
					t.Fatal("no next cursor although more records exist")
				}
			})
		}
	})
	t.Run("no match is an empty page", func(t *testing.T) {
		s := fresh(t, open)
		mustCreate(t, s, NewSeizures(0, 3, T0, time.Hour)...)
		page := mustList(t, s, crossguard.SeizureFilter{Country: "FR"})
		if len(page.Items) != 0 || page.NextCursor != "" {
			t.Fatalf("page = %+v, want empty", page)
		}
	})
	t.Run("updates move records between filters", func(t *testing.T) {
		s := fresh(t, open)
		orig := NewSeizure(0, T0)
		orig.Goods = []crossguard.Goods{{Category: "tobacco", HS: "240220", Description: "cigarettes", Quantity: 10, Unit: "cartons"}}
		mustCreate(t, s, orig)
		upd := clone(orig)
		upd.Version = 2
		upd.Goods = []crossguard.Goods{{Category: "narcotics", HS: "293911", Description: "heroin", Quantity: 1, Unit: "kg"}}
		upd.Country = "AF"
		if err := s.UpdateSeizure(t.Context(), actor, upd); err != nil {
			t.Fatalf("UpdateSeizure: %v", err)
		}
		for _, f := range []crossguard.SeizureFilter{{Category: "tobacco"}, {HS: "24"}, {HS: "2402"}, {HS: "240220"}, {Country: orig.Country}, {Query: "cigarettes"}} {
			if n := len(mustList(t, s, f).Items); n != 0 {
				t.Errorf("filter %+v matches the old version of an updated record", f)
			}
		}
		for _, f := range []crossguard.SeizureFilter{{Category: "narcotics"}, {HS: "29"}, {HS: "2939"}, {HS: "293911"}, {Country: "AF"}, {Query: "heroin"}} {
			wantIDs(t, "filter on the new version", idsOf(mustList(t, s, f).Items), []string{orig.ID})
		}
		wantEqual(t, "listed record", mustList(t, s, crossguard.SeizureFilter{}).Items[0], upd)
	})
}
