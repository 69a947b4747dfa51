package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"crossguard"
)

// TestListSeizuresOrderAndPlace checks order=oldest, the place filter and
// that a cursor of one order is refused in the other.
func TestListSeizuresOrderAndPlace(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ids := listFixture(t, e)
	list := func(t *testing.T, query string) crossguard.SeizurePage {
		t.Helper()
		var page crossguard.SeizurePage
		e.do(t, request{Method: "GET", Path: "/api/v1/seizures?" + query, Token: e.tokens[crossguard.RoleAuditor]}).
			want(t, http.StatusOK).decode(t, &page)
		return page
	}
	names := func(page crossguard.SeizurePage) []string {
		var got []string
		for _, it := range page.Items {
			for name, id := range ids {
				if id == it.ID {
					got = append(got, name)
				}
			}
		}
		return got
	}
	cases := []struct {
		name, query string
		want        []string
	}{
		{"newest", "order=newest", []string{"shoes", "rifles", "heroin", "cigarettes", "opium"}},
		{"oldest", "order=oldest", []string{"opium", "cigarettes", "heroin", "rifles", "shoes"}},
		{"oldest with a filter", "order=oldest&country=PK", []string{"opium", "cigarettes", "heroin"}},
		{"place name, case ignored", "place=SOST+DRY", []string{"shoes", "rifles", "heroin", "cigarettes", "opium"}},
		{"no such place", "place=Atlantis", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(list(t, tc.query)); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("pages oldest first", func(t *testing.T) {
		var got []string
		query := "order=oldest&limit=2"
		for range 5 {
			page := list(t, query)
			got = append(got, names(page)...)
			if page.NextCursor == "" {
				break
			}
			query = "order=oldest&limit=2&cursor=" + url.QueryEscape(page.NextCursor)
		}
		if want := []string{"opium", "cigarettes", "heroin", "rifles", "shoes"}; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
	t.Run("bad values are named", func(t *testing.T) {
		newest := list(t, "limit=1").NextCursor
		oldest := list(t, "limit=1&order=oldest").NextCursor
		for query, field := range map[string]string{
			"order=sideways":                                 "order",
			"place=" + strings.Repeat("x", 201):              "place",
			"order=oldest&cursor=" + url.QueryEscape(newest): "cursor",
			"cursor=" + url.QueryEscape(oldest):              "cursor",
		} {
			d := e.do(t, request{Method: "GET", Path: "/api/v1/seizures?" + query, Token: e.tokens[crossguard.RoleOfficer]}).
				wantError(t, http.StatusBadRequest, "invalid", "")
			if len(d.Fields) != 1 || d.Fields[0].Field != field {
				t.Errorf("%s: fields %v, want %s", query, d.Fields, field)
			}
		}
	})
}
