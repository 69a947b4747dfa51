package web

import (
	"html"
	"net/http"
	"strings"
	"testing"
)

// wantOrder fails unless the list r shows exactly the seizures with these
// goods descriptions, in this order.
func wantOrder(t *testing.T, r *response, descriptions ...string) {
	t.Helper()
	last := -1
	for _, d := range descriptions {
		i := strings.Index(r.body, html.EscapeString(d))
		if i < 0 {
			t.Errorf("%s: list lacks %q", r.Request.URL, d)
			continue
		}
		if i < last {
			t.Errorf("%s: %q is out of order", r.Request.URL, d)
		}
		last = i
	}
	if got := strings.Count(r.body, "<tr>") - 1; got != len(descriptions) {
		t.Errorf("%s: %d rows, want %d", r.Request.URL, got, len(descriptions))
	}
}

// dateHeader returns the start of the date column header whose link goes
// to href and whose aria-sort is sort.
func dateHeader(sort, href string) string {
	return `<th scope="col" aria-sort="` + sort + `"><a class="sort" href="` + html.EscapeString(href) + `">Date`
}

func TestSeizureListOrder(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	oldestFirst := []string{"pistols", "methamphetamine tablets", "cigarettes, counterfeit brand", "heroin, brown powder"}

	t.Run("newest first by default, the header offers oldest first", func(t *testing.T) {
		res := e.get(c, "/seizures")
		wantStatus(t, res, http.StatusOK)
		wantRows(t, res, allDescriptions...)
		wantContains(t, res, dateHeader("descending", "/seizures?order=oldest"),
			"(newest first; show oldest first)",
			`<option value="" selected>Newest first</option>`, `<option value="oldest">Oldest first</option>`)
	})
	t.Run("oldest first, the header offers newest first", func(t *testing.T) {
		res := e.get(c, "/seizures?order=oldest")
		wantStatus(t, res, http.StatusOK)
		wantOrder(t, res, oldestFirst...)
		wantContains(t, res, dateHeader("ascending", "/seizures"),
			"(oldest first; show newest first)", `<option value="oldest" selected>Oldest first</option>`)
	})
	t.Run("order=newest is the default order", func(t *testing.T) {
		res := e.get(c, "/seizures?order=newest")
		wantStatus(t, res, http.StatusOK)
		wantRows(t, res, allDescriptions...)
		wantContains(t, res, dateHeader("descending", "/seizures?order=oldest"))
	})
	t.Run("the header keeps the other filters and the page size", func(t *testing.T) {
		res := e.get(c, "/seizures?country=CN&limit=5")
		wantRows(t, res, "cigarettes, counterfeit brand", "methamphetamine tablets")
		wantContains(t, res, dateHeader("descending", "/seizures?country=CN&limit=5&order=oldest"))
		res = e.get(c, "/seizures?country=CN&limit=5&order=oldest")
		wantOrder(t, res, "methamphetamine tablets", "cigarettes, counterfeit brand")
		wantContains(t, res, dateHeader("ascending", "/seizures?country=CN&limit=5"))
	})
	t.Run("pages oldest first carry the order", func(t *testing.T) {
		next := "/seizures?order=oldest&limit=1"
		for _, d := range oldestFirst {
			res := e.get(c, next)
			wantStatus(t, res, http.StatusOK)
			wantOrder(t, res, d)
			m := nextLink.FindStringSubmatch(res.body)
			if d == oldestFirst[len(oldestFirst)-1] {
				if m != nil {
					t.Fatal("the last page links a next page")
				}
				break
			}
			if m == nil {
				t.Fatalf("no next link after %q\n%s", d, res.body)
			}
			next = html.UnescapeString(m[1])
			if !strings.Contains(next, "order=oldest") || !strings.Contains(next, "cursor=") {
				t.Fatalf("next link %q does not carry the order and a cursor", next)
			}
			// The sort header of a later page starts the other order over.
			wantContains(t, res, dateHeader("ascending", "/seizures?limit=1"))
		}
	})
	t.Run("a cursor of the other order shows the first page", func(t *testing.T) {
		first := e.get(c, "/seizures?limit=1")
		m := nextLink.FindStringSubmatch(first.body)
		if m == nil {
			t.Fatalf("no next link\n%s", first.body)
		}
		res := e.get(c, html.UnescapeString(m[1])+"&order=oldest")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "That page link has expired; this is the first page.")
		wantOrder(t, res, oldestFirst...) // the page size goes with the cursor
	})
	t.Run("an unknown order is refused", func(t *testing.T) {
		res := e.get(c, "/seizures?order=sideways")
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res, `aria-invalid="true" aria-describedby="order-error"`, "Choose an order from the list.")
	})
	t.Run("in Chinese and Urdu", func(t *testing.T) {
		res := e.get(c, "/seizures?order=oldest", "Accept-Language", "zh-CN")
		wantContains(t, res, `<option value="oldest" selected>最早在前</option>`, "（最早在前；改为最新在前）", `aria-sort="ascending"`)
		res = e.get(c, "/seizures", "Accept-Language", "ur-PK")
		wantContains(t, res, `<option value="" selected>نئے پہلے</option>`, "(نئے پہلے؛ پرانے پہلے دکھائیں)")
	})
}

func TestSeizureListPlace(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	cases := []struct {
		name, place string
		want        []string
	}{
		{"a word of the name", "torkham", []string{"pistols"}},
		{"upper case", "KHUNJERAB", []string{"cigarettes, counterfeit brand"}},
		{"part of the name", "dry po", []string{"heroin, brown powder"}},
		{"no such place", "Atlantis", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.get(c, "/seizures?place="+strings.ReplaceAll(tc.place, " ", "+"))
			wantStatus(t, res, http.StatusOK)
			wantContains(t, res, `<input id="place" name="place" type="text" value="`+tc.place+`"`)
			if tc.want == nil {
				wantContains(t, res, `<p class="empty">`)
				return
			}
			wantOrder(t, res, tc.want...)
		})
	}
	t.Run("kept by the sort header", func(t *testing.T) {
		res := e.get(c, "/seizures?place=pass&order=oldest")
		wantOrder(t, res, "cigarettes, counterfeit brand")
		wantContains(t, res, dateHeader("ascending", "/seizures?place=pass"))
	})
	t.Run("too long", func(t *testing.T) {
		res := e.get(c, "/seizures?place="+strings.Repeat("x", 201))
		wantStatus(t, res, http.StatusBadRequest)
		wantContains(t, res, "The place is too long: at most 200 bytes.")
	})
}
