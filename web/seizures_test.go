package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/sqlite"
	"crossguard/storetest"
)

var _ Records = (*node.Sharing)(nil)

// seizureNodeID is the id of the node behind the seizure pages' tests.
const seizureNodeID = "pk-customs/sost"

// seizureEnv is a web interface over a real node on SQLite holding four
// seizures: three of its own and one received from another node.
type seizureEnv struct {
	*testEnv
	node *testnode.Node
	// ids maps a goods description to the id of its seizure.
	ids map[string]string
}

// newSeizureEnv starts the interface of a node on a fresh SQLite database
// and stores the test seizures, newest first: heroin (20 November 2026),
// cigarettes (10 November), methamphetamine (1 November, from another
// node) and pistols (5 October).
func newSeizureEnv(t *testing.T) *seizureEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "n.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	n := testnode.New(crossguard.NodeInfo{ID: seizureNodeID, Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}, st, nil)
	created := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	n.Clock = crossguard.FixedClock(created)
	e := &seizureEnv{node: n, ids: make(map[string]string)}

	add := func(edit func(z *crossguard.Seizure)) {
		t.Helper()
		var z crossguard.Seizure
		if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
			t.Fatal(err)
		}
		edit(&z)
		got, err := n.CreateSeizure(ctx, "test", &z)
		if err != nil {
			t.Fatalf("create %s: %v", z.Goods[0].Description, err)
		}
		e.ids[got.Goods[0].Description] = got.ID
	}
	add(func(z *crossguard.Seizure) {})
	add(func(z *crossguard.Seizure) {
		z.OccurredAt = time.Date(2026, time.November, 10, 14, 0, 0, 0, time.UTC)
		z.Country, z.Place = "CN", crossguard.Place{Name: "Khunjerab pass"}
		z.Goods = []crossguard.Goods{
			{Category: "tobacco", HS: "240220", Description: "cigarettes, counterfeit brand", Quantity: 1200, Unit: "cartons"},
			{Category: "counterfeit_goods", HS: "420222", Description: "handbags", Quantity: 40, Unit: "pieces"},
		}
		z.Identifiers = []crossguard.Identifier{{Type: "vehicle_plate", Value: "XJ-4471"}}
		z.Narrative = "Cartons under a load of dried fruit."
		z.Marking = crossguard.Marking{TLP: crossguard.TLPGreen, Handling: "H0"}
	})
	add(func(z *crossguard.Seizure) {
		z.OccurredAt = time.Date(2026, time.October, 5, 7, 15, 0, 0, time.UTC)
		z.Place = crossguard.Place{Name: "Torkham"}
		z.Goods = []crossguard.Goods{{Category: "weapons", HS: "930200", Description: "pistols", Quantity: 6, Unit: "pieces"}}
		z.Narrative = "Hidden in spare tyres."
		z.Marking = crossguard.Marking{TLP: crossguard.TLPRed, Handling: "H1"}
		z.Recipients = []string{"cn-customs"}
	})

	// A seizure received from another node, stored as a peer's record is.
	var foreign crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &foreign); err != nil {
		t.Fatal(err)
	}
	foreign.Normalize()
	foreign.ID = "0190f0a0-0000-7000-8000-00000000c0de"
	foreign.Origin = "cn-customs/tashkurgan"
	foreign.Version = 3
	foreign.CreatedAt, foreign.UpdatedAt = created, created
	foreign.OccurredAt = time.Date(2026, time.November, 1, 3, 0, 0, 0, time.UTC)
	foreign.Country = "CN"
	foreign.Place = crossguard.Place{Name: "Tashkurgan"}
	foreign.Goods = []crossguard.Goods{{Category: "psychotropics", HS: "293999", Description: "methamphetamine tablets", Quantity: 30000, Unit: "tablets"}}
	foreign.Narrative = "Tablets in tea packets."
	foreign.Marking = crossguard.Marking{TLP: crossguard.TLPAmberStrict, Handling: "H3", Conditions: "Ask before use."}
	if err := st.CreateSeizures(ctx, "test", []*crossguard.Seizure{&foreign}, nil); err != nil {
		t.Fatal(err)
	}
	e.ids["methamphetamine tablets"] = foreign.ID

	srv := httptest.NewServer(Handler(Config{
		Auth: newFakeAuth(), NodeName: "Sost", NodeID: seizureNodeID, Records: n,
		Now: func() time.Time { return testNow },
	}))
	t.Cleanup(srv.Close)
	e.testEnv = &testEnv{t: t, srv: srv}
	return e
}

// signedIn returns a client signed in as alice.
func (e *seizureEnv) signedIn() *http.Client {
	e.t.Helper()
	c := e.client()
	e.mustSignIn(c, "alice")
	return c
}

// allDescriptions are the first goods lines of the test seizures, newest
// first.
var allDescriptions = []string{"heroin, brown powder", "cigarettes, counterfeit brand", "methamphetamine tablets", "pistols"}

// wantRows fails unless the list r shows exactly the seizures with these
// goods descriptions, in this order.
func wantRows(t *testing.T, r *response, descriptions ...string) {
	t.Helper()
	last := -1
	for _, d := range allDescriptions {
		i := strings.Index(r.body, html.EscapeString(d))
		want := false
		for _, w := range descriptions {
			want = want || w == d
		}
		if want && i < 0 {
			t.Errorf("%s: list lacks %q\n%s", r.Request.URL, d, r.body)
		}
		if !want && i >= 0 {
			t.Errorf("%s: list shows %q", r.Request.URL, d)
		}
		if want && i >= 0 {
			if i < last {
				t.Errorf("%s: %q is out of order", r.Request.URL, d)
			}
			last = i
		}
	}
	if got := strings.Count(r.body, "<tr>") - 1; got != len(descriptions) && len(descriptions) > 0 {
		t.Errorf("%s: %d rows, want %d", r.Request.URL, got, len(descriptions))
	}
}

func TestSeizurePagesNeedSignIn(t *testing.T) {
	e := newSeizureEnv(t)
	for _, p := range []string{"/seizures", "/seizures?country=PK", "/seizures/" + e.ids["pistols"]} {
		res := e.get(e.client(), p)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/login" {
			t.Errorf("%s: Location = %q, want /login", p, loc)
		}
	}
}

func TestSeizureList(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	home := e.get(c, "/")
	wantContains(t, home, `<a href="/seizures">Seizures</a>`)

	res := e.get(c, "/seizures")
	wantStatus(t, res, http.StatusOK)
	wantRows(t, res, allDescriptions...)
	wantContains(t, res,
		`<a href="/seizures/`+e.ids["heroin, brown powder"]+`">20 November 2026</a>`,
		"heroin, brown powder, 12.5 kg (Narcotics)",
		"cigarettes, counterfeit brand, 1,200 cartons (Tobacco), and 1 more",
		`<span class="tlp tlp-amber">TLP:AMBER</span>`,
		`<span class="tlp tlp-green">TLP:GREEN</span>`,
		`<span class="tlp tlp-red">TLP:RED</span>`,
		`<span class="tlp tlp-amber-strict">TLP:AMBER&#43;STRICT</span>`,
		"cn-customs/tashkurgan", "Sost dry port", "Khunjerab pass",
		`<option value="" selected>Any</option>`,
	)
	if strings.Contains(res.body, `rel="next"`) {
		t.Error("a list of one page links a next page")
	}
}

func TestSeizureListWithoutRecords(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	wantStatus(t, e.get(c, "/seizures"), http.StatusNotFound)
	if home := e.get(c, "/"); strings.Contains(home.body, `href="/seizures"`) {
		t.Error("the start page links seizure pages that do not exist")
	}
}

func TestSeizureListFilters(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	tests := []struct {
		query string
		want  []string
	}{
		{"category=tobacco", []string{"cigarettes, counterfeit brand"}},
		{"category=counterfeit_goods", []string{"cigarettes, counterfeit brand"}},
		{"country=CN", []string{"cigarettes, counterfeit brand", "methamphetamine tablets"}},
		{"country=cn", []string{"cigarettes, counterfeit brand", "methamphetamine tablets"}},
		{"q=pistols", []string{"pistols"}},
		{"q=tyres", []string{"pistols"}},
		{"hs=2939", []string{"heroin, brown powder", "methamphetamine tablets"}},
		{"hs=29.39", []string{"heroin, brown powder", "methamphetamine tablets"}},
		{"origin=others", []string{"methamphetamine tablets"}},
		{"origin=self", []string{"heroin, brown powder", "cigarettes, counterfeit brand", "pistols"}},
		{"from=2026-11-01&to=2026-11-10", []string{"cigarettes, counterfeit brand", "methamphetamine tablets"}},
		{"country=PK&category=weapons", []string{"pistols"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := e.get(c, "/seizures?"+tt.query)
			wantStatus(t, res, http.StatusOK)
			wantRows(t, res, tt.want...)
		})
	}
	t.Run("nothing matches", func(t *testing.T) {
		res := e.get(c, "/seizures?category=wildlife")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "No seizure matches these filters.", `<option value="wildlife" selected>Wildlife</option>`)
		wantRows(t, res)
	})
	t.Run("the form keeps the filters", func(t *testing.T) {
		res := e.get(c, "/seizures?q=pistols&origin=self&country=PK")
		wantContains(t, res, `name="q" type="text" value="pistols"`, `<option value="self" selected>This node</option>`,
			`name="country" type="text" value="PK"`)
	})
}

// nextLink finds the link to the next page.
var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

func TestSeizureListPages(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	first := e.get(c, "/seizures?limit=3")
	wantStatus(t, first, http.StatusOK)
	wantRows(t, first, allDescriptions[:3]...)
	m := nextLink.FindStringSubmatch(first.body)
	if m == nil {
		t.Fatalf("first page has no next link\n%s", first.body)
	}
	next := html.UnescapeString(m[1])
	if !strings.Contains(next, "cursor=") || !strings.Contains(next, "limit=3") {
		t.Errorf("next link = %q", next)
	}
	second := e.get(c, next)
	wantStatus(t, second, http.StatusOK)
	wantRows(t, second, "pistols")
	wantContains(t, second, `<a href="/seizures?limit=3">First page</a>`)
	if nextLink.MatchString(second.body) {
		t.Error("the last page links a next page")
	}

	t.Run("filters carry over", func(t *testing.T) {
		res := e.get(c, "/seizures?origin=self&limit=2")
		wantRows(t, res, "heroin, brown powder", "cigarettes, counterfeit brand")
		m := nextLink.FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("no next link\n%s", res.body)
		}
		wantRows(t, e.get(c, html.UnescapeString(m[1])), "pistols")
	})
	t.Run("a bad cursor shows the first page", func(t *testing.T) {
		res := e.get(c, "/seizures?cursor=forged")
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, "That page link has expired; this is the first page.")
		wantRows(t, res, allDescriptions...)
	})
}

func TestSeizureListRefusesBadFilters(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	res := e.get(c, "/seizures?from=yesterday&to=2026-13-01&hs=29x&country=ZZ&category=spices&origin=mars&q=heroin")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res,
		"Some filters are not valid.",
		`name="from" type="text" value="yesterday"`,
		`name="to" type="text" value="2026-13-01"`,
		`name="hs" type="text" value="29x"`,
		`name="country" type="text" value="ZZ"`,
		`name="q" type="text" value="heroin"`,
		`<p class="field-error" id="from-error">Enter a date as year-month-day, such as 2026-11-20.</p>`,
		`<p class="field-error" id="hs-error">Enter 1 to 12 digits of an HS code, such as 2939.</p>`,
		`<p class="field-error" id="country-error">Enter a two-letter ISO country code, such as PK or CN.</p>`,
		`<p class="field-error" id="category-error">Choose a category from the list.</p>`,
		`<p class="field-error" id="origin-error">Choose from the list.</p>`,
		`aria-describedby="hs-hint hs-error" aria-invalid="true"`,
	)
	if strings.Contains(res.body, `id="q-error"`) {
		t.Error("a valid field is marked wrong")
	}
	wantRows(t, res)
	if strings.Contains(res.body, "<table") {
		t.Error("a refused filter still lists seizures")
	}

	order := e.get(c, "/seizures?from=2026-11-20&to=2026-11-19")
	wantStatus(t, order, http.StatusBadRequest)
	wantContains(t, order, `<p class="field-error" id="to-error">The end date must not be before the start date.</p>`)

	long := e.get(c, "/seizures?q="+strings.Repeat("a", 501))
	wantStatus(t, long, http.StatusBadRequest)
	wantContains(t, long, `id="q-error">The search text is too long.`)

	zh := e.get(c, "/seizures?hs=abc&lang=zh")
	wantStatus(t, zh, http.StatusBadRequest)
	wantContains(t, zh, `value="abc"`, "请输入 1 至 12 位 HS 编码数字，例如 2939。")
}

func TestSeizureDetail(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	res := e.get(c, "/seizures/"+e.ids["heroin, brown powder"])
	wantStatus(t, res, http.StatusOK)
	wantContains(t, res,
		`<span class="tlp tlp-amber tlp-large">TLP:AMBER</span> <span class="handling">H2</span>`,
		"No onward sharing without permission.",
		"Partner agencies", "B2",
		"Seizure of 20 November 2026, 09:30",
		"Sost dry port", "36.69, 74.82", "Import", "Road", "truck", "X-ray", "False compartment",
		`<ol class="route"><li class="code">AF</li><li class="code">CN</li><li class="code">PK</li></ol>`,
		"Narcotics", "293911", "heroin, brown powder", "12.5 kg", "250,000 USD",
		"Container", "CSQU3054383",
		"Packets in a welded compartment under the trailer floor.",
		"pk-customs/sost", "(this node)", e.ids["heroin, brown powder"],
		"<dt>Version</dt><dd>1</dd>", "1 December 2026, 08:00",
		`<a href="/seizures">Back to the seizures</a>`,
	)
	if strings.Contains(res.body, `class="caveat"`) {
		t.Error("an H2 record carries the H1 caveat")
	}

	t.Run("another node's record", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.ids["methamphetamine tablets"])
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<span class="tlp tlp-amber-strict tlp-large">TLP:AMBER&#43;STRICT</span> <span class="handling">H3</span>`,
			"Limited disclosure: the recipients&#39; organisations only.", "Other restrictions are stated in the record.",
			"cn-customs/tashkurgan", "30,000 tablets", "Psychotropic substances", "<dt>Version</dt><dd>3</dd>")
		if strings.Contains(res.body, "(this node)") {
			t.Error("another node's record is shown as this node's")
		}
		wantContains(t, res, `<strong>Handling conditions:</strong> <span dir="auto">Ask before use.</span>`)
	})
	t.Run("H1 carries its caveat", func(t *testing.T) {
		res := e.get(c, "/seizures/"+e.ids["pistols"])
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res, `<p class="caveat" role="note">Not for use in judicial proceedings without the permission of the originating agency.</p>`)
	})
	t.Run("unknown id", func(t *testing.T) {
		res := e.get(c, "/seizures/0190f0a0-0000-7000-8000-000000000000")
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, res, "This page does not exist.")
	})
}

func TestSeizurePagesInChineseAndUrdu(t *testing.T) {
	e := newSeizureEnv(t)
	c := e.signedIn()
	heroin := "/seizures/" + e.ids["heroin, brown powder"]

	zh := e.get(c, "/seizures?lang=zh")
	wantStatus(t, zh, http.StatusOK)
	wantContains(t, zh, `<html lang="zh" dir="ltr">`, "<h1>查获记录</h1>", "2026年11月20日",
		"heroin, brown powder，12.5 千克（麻醉品）", "1,200 条", "另有 1 项", "搜索")
	wantContains(t, e.get(c, heroin), "未经许可不得转发共享。", "250,000 USD", "进口")

	ur := e.get(c, "/seizures?lang=ur")
	wantStatus(t, ur, http.StatusOK)
	wantContains(t, ur, `<html lang="ur" dir="rtl">`, "<h1>ضبطیاں</h1>", "20 نومبر 2026", "منشیات", "تلاش کریں")
	wantContains(t, e.get(c, heroin), `<html lang="ur" dir="rtl">`, "اجازت کے بغیر آگے شیئر نہ کریں۔", "TLP:AMBER", "درآمد")
}

func TestSeizureRuntimeKeysAreInTheCatalogs(t *testing.T) {
	c := mustCatalogs(t)
	var keys []string
	for prefix, values := range map[string][]string{
		"category.":     crossguard.Categories,
		"unit.":         crossguard.Units,
		"direction.":    crossguard.Directions,
		"transport.":    crossguard.TransportModes,
		"detection.":    crossguard.DetectionMethods,
		"concealment.":  crossguard.Concealments,
		"identifier.":   crossguard.IdentifierTypes,
		"distribution.": crossguard.Distributions,
	} {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	for _, v := range crossguard.TLPs {
		keys = append(keys, "tlp."+strings.ReplaceAll(v, "+", ""))
	}
	for _, v := range crossguard.HandlingCodes {
		keys = append(keys, "handling."+strings.ToLower(v))
	}
	for _, lang := range Languages {
		for _, k := range keys {
			if _, ok := c.messages[lang][k]; !ok {
				t.Errorf("catalog %s lacks key %q", lang, k)
			}
		}
	}
}
