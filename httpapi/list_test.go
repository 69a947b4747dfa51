package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// listFixture stores five seizures that differ in date, category, HS code,
// country and text, and returns their ids by name.
func listFixture(t *testing.T, e *testEnv) map[string]string {
	t.Helper()
	type fixture struct {
		name, at, country, category, hs, description string
	}
	ids := map[string]string{}
	for _, f := range []fixture{
		{"heroin", "2026-11-20T09:30:00Z", "PK", "narcotics", "293911", "heroin, brown powder"},
		{"rifles", "2026-11-21T06:00:00Z", "AF", "weapons", "930190", "assault rifles in crates"},
		{"cigarettes", "2026-11-19T22:00:00Z", "PK", "tobacco", "240220", "untaxed cigarettes"},
		{"opium", "2026-10-01T00:00:00Z", "PK", "narcotics", "130211", "raw opium"},
		{"shoes", "2026-11-25T12:00:00Z", "CN", "counterfeit_goods", "640299", "fake branded trainers"},
	} {
		s := e.mustCreate(t, storetest.ExampleSeizureJSON, func(s *crossguard.Seizure) {
			s.OccurredAt, _ = time.Parse(time.RFC3339, f.at)
			s.Country = f.country
			s.Goods[0].Category, s.Goods[0].HS, s.Goods[0].Description = f.category, f.hs, f.description
			s.Narrative = "Found at the border."
		})
		ids[f.name] = s.ID
	}
	return ids
}

// TestListSeizures checks each filter of the list and its ordering.
func TestListSeizures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ids := listFixture(t, e)
	cases := []struct {
		name  string
		query string
		want  []string // fixture names, newest first
	}{
		{"no filter", "", []string{"shoes", "rifles", "heroin", "cigarettes", "opium"}},
		{"category", "category=narcotics", []string{"heroin", "opium"}},
		{"hs chapter", "hs=29", []string{"heroin"}},
		{"hs heading", "hs=2939", []string{"heroin"}},
		{"hs subheading", "hs=293911", []string{"heroin"}},
		{"hs with a dot", "hs=2939.11", []string{"heroin"}},
		{"hs odd length", "hs=930", []string{"rifles"}},
		{"hs no match", "hs=01", []string{}},
		{"country", "country=AF", []string{"rifles"}},
		{"country in lower case", "country=pk", []string{"heroin", "cigarettes", "opium"}},
		{"from a date", "from=2026-11-20", []string{"shoes", "rifles", "heroin"}},
		{"to a date includes that day", "to=2026-11-20", []string{"heroin", "cigarettes", "opium"}},
		{"from an instant", "from=2026-11-20T10:00:00Z", []string{"shoes", "rifles"}},
		{"from with an unescaped offset", "from=2026-11-20T14:00:00+05:00", []string{"shoes", "rifles", "heroin"}},
		{"from with an escaped offset", "from=" + url.QueryEscape("2026-11-20T14:31:00+05:00"), []string{"shoes", "rifles"}},
		{"date range", "from=2026-11-19&to=2026-11-21", []string{"rifles", "heroin", "cigarettes"}},
		{"full text", "q=heroin", []string{"heroin"}},
		{"full text two words", "q=raw+opium", []string{"opium"}},
		{"full text punctuation", "q=" + url.QueryEscape(`"rifles" (crates) *`), []string{"rifles"}},
		{"category and country", "category=narcotics&country=PK", []string{"heroin", "opium"}},
		{"everything", "category=narcotics&country=PK&hs=2939&from=2026-11-01&to=2026-11-30&q=powder", []string{"heroin"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var page crossguard.SeizurePage
			e.do(t, request{Method: "GET", Path: "/api/v1/seizures?" + tc.query, Token: e.tokens[crossguard.RoleAuditor]}).
				want(t, http.StatusOK).decode(t, &page)
			if page.Items == nil {
				t.Fatal("items is null, want an array")
			}
			got := make([]string, len(page.Items))
			for i, s := range page.Items {
				got[i] = s.ID
			}
			want := make([]string, len(tc.want))
			for i, name := range tc.want {
				want[i] = ids[name]
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v (%v)", got, want, tc.want)
			}
			if page.NextCursor != "" {
				t.Fatalf("next_cursor %q on a single page", page.NextCursor)
			}
		})
	}
}

// TestListSeizuresPaging pages through a list two at a time.
func TestListSeizuresPaging(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ids := listFixture(t, e)
	for _, tc := range []struct {
		name  string
		query string
		pages [][]string
	}{
		{"all", "limit=2", [][]string{{"shoes", "rifles"}, {"heroin", "cigarettes"}, {"opium"}}},
		{"exact pages", "limit=1&category=narcotics", [][]string{{"heroin"}, {"opium"}}},
		{"filtered", "limit=2&country=PK", [][]string{{"heroin", "cigarettes"}, {"opium"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cursor := ""
			for i, wantPage := range tc.pages {
				path := "/api/v1/seizures?" + tc.query
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				var page crossguard.SeizurePage
				e.do(t, request{Method: "GET", Path: path, Token: e.tokens[crossguard.RoleOfficer]}).want(t, http.StatusOK).decode(t, &page)
				var got, want []string
				for _, s := range page.Items {
					got = append(got, s.ID)
				}
				for _, name := range wantPage {
					want = append(want, ids[name])
				}
				if !slices.Equal(got, want) {
					t.Fatalf("page %d: got %v, want %v", i, got, want)
				}
				last := i == len(tc.pages)-1
				if last != (page.NextCursor == "") {
					t.Fatalf("page %d of %d: next_cursor %q", i+1, len(tc.pages), page.NextCursor)
				}
				cursor = page.NextCursor
			}
		})
	}
}

// TestListSeizuresErrors checks that each bad parameter is named.
func TestListSeizuresErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	cases := []struct {
		name, query string
		fields      []string
	}{
		{"bad from", "from=yesterday", []string{"from"}},
		{"bad to", "to=2026-13-01", []string{"to"}},
		{"to before from", "from=2026-11-20&to=2026-11-19", []string{"to"}},
		{"unknown category", "category=cars", []string{"category"}},
		{"hs with letters", "hs=29a", []string{"hs"}},
		{"hs too long", "hs=1234567890123", []string{"hs"}},
		{"unknown country", "country=ZZ", []string{"country"}},
		{"negative limit", "limit=-1", []string{"limit"}},
		{"limit not a number", "limit=ten", []string{"limit"}},
		{"bad cursor", "cursor=not-a-cursor", []string{"cursor"}},
		{"unknown parameter", "categroy=narcotics", []string{"categroy"}},
		{"repeated parameter", "country=PK&country=AF", []string{"country"}},
		{"several at once", "from=x&to=y&limit=z", []string{"from", "limit", "to"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := e.do(t, request{Method: "GET", Path: "/api/v1/seizures?" + tc.query, Token: e.tokens[crossguard.RoleOfficer]}).
				wantError(t, http.StatusBadRequest, "invalid", "")
			var got []string
			for _, f := range d.Fields {
				got = append(got, f.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}
