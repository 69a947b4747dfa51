package web

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// fakeDashboard returns fixed dashboard data.
type fakeDashboard struct{ data *DashboardData }

func (f fakeDashboard) Dashboard(ctx context.Context, actor string) (*DashboardData, error) {
	return f.data, nil
}

// newDashboardEnv starts the interface with d as its dashboard.
func newDashboardEnv(t *testing.T, d *DashboardData) *testEnv {
	t.Helper()
	auth := newFakeAuth()
	srv := httptest.NewServer(Handler(Config{Auth: auth, NodeName: "Khunjerab", NodeID: seizureNodeID,
		Now: func() time.Time { return testNow }, Dashboard: fakeDashboard{d}}))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, auth: auth, srv: srv}
}

// smallDashboard is a dashboard with a few tallies: narcotics 3 in
// 2026-01 and 6 in 2026-03, weapons 2 in 2026-03; two routes; two places,
// Sost (36.7, 74.8) with 4 seizures and one in Dubai (25.2, 55.3), off
// the map; one partner record; two channels; two peers.
func smallDashboard() *DashboardData {
	last := time.Date(2026, time.March, 1, 6, 0, 0, 0, time.UTC)
	lat, lon := 36.7, 74.8
	partner := &crossguard.Seizure{Header: crossguard.Header{ID: "p-1", Origin: "cn-customs/kashgar",
		Marking: crossguard.Marking{TLP: crossguard.TLPGreen}}, OccurredAt: last, Country: "CN",
		Place: crossguard.Place{Name: "Kashgar", Lat: &lat, Lon: &lon},
		Goods: []crossguard.Goods{{Category: "narcotics", Description: "opium", Quantity: 2, Unit: "kg"}}}
	tally := func(month, dim, key string, n int64) *crossguard.Tally {
		return &crossguard.Tally{Month: month, Dim: dim, Key: key, Count: n}
	}
	return &DashboardData{
		Months: dashboardMonthsTo(testNow, 12),
		Tallies: []*crossguard.Tally{
			tally("2026-01", "category", "narcotics", 3),
			tally("2026-01", "origin", seizureNodeID, 3),
			tally("2026-03", "category", "narcotics", 6),
			tally("2026-03", "category", "weapons", 2),
			tally("2026-03", "origin", seizureNodeID, 7),
			tally("2026-03", "route", "AF>PK", 5),
			tally("2026-03", "route", "CN>PK", 2),
			tally("2026-03", "concealment", "false_compartment", 4),
			tally("2026-03", "concealment", "on_body", 1),
			tally("2026-03", "place", "36.7,74.8", 4),
			tally("2026-03", "place", "25.2,55.3", 1),
		},
		Recent: []*crossguard.Seizure{partner},
		Risk: &crossguard.RiskStats{Total: 200, Channels: []*crossguard.RateStats{
			{Key: "red", Selected: 20, Inspected: 20, Hits: 5, HitRate: 0.25},
			{Key: "green", Selected: 180},
		}, Crossings: []*crossguard.CrossingStats{
			{Crossing: "khunjerab", Total: 200, Channels: []*crossguard.RateStats{
				{Key: "red", Selected: 20, Inspected: 20, Hits: 5, HitRate: 0.25},
				{Key: "green", Selected: 180},
			}},
			{Crossing: "sost"},
		}},
		Peers: []*crossguard.Peer{
			{Card: crossguard.NodeCard{ID: "cn-customs/kashgar", Name: "Kashgar"}, Status: crossguard.PeerStatus{Cursor: 10, RemoteHead: 10, LastExchange: &last}},
			{Card: crossguard.NodeCard{ID: "pk-customs/hq", Name: "HQ"}, Status: crossguard.PeerStatus{LastError: "the peer's certificate does not match its card", LastErrorAt: &last}},
		},
	}
}

// tableRows returns the cells of each row of the table with id, as text.
func tableRows(t *testing.T, body, id string) [][]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<table[^>]*id="` + id + `".*?</table>`).FindString(body)
	if m == "" {
		t.Fatalf("no table %s", id)
	}
	var rows [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(m, -1) {
		var cells []string
		for _, c := range regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`).FindAllStringSubmatch(tr[1], -1) {
			cells = append(cells, c[1])
		}
		rows = append(rows, cells)
	}
	return rows
}

// barRect is a bar of a chart: its title and height.
type barRect struct {
	title  string
	height float64
}

// rects returns the bars of class cls, each with its title.
func rects(t *testing.T, body, cls string) []barRect {
	t.Helper()
	var out []barRect
	re := regexp.MustCompile(`<rect class="` + cls + `[^"]*"[^>]*height="([0-9.]+)"><title>([^<]*)</title>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		h, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, barRect{m[2], h})
	}
	return out
}

func TestDashboardShowsTheFigures(t *testing.T) {
	e := newDashboardEnv(t, smallDashboard())
	c := e.client()
	e.mustSignIn(c, "alice")
	res := e.get(c, "/")
	wantStatus(t, res, 200)
	wantContains(t, res, "Signed in as alice (analyst).", "April 2025 – March 2026 — seizures: 10.",
		"Afghanistan → Pakistan", "False compartment", "opium", "cn-customs/kashgar",
		"Up to date", "Failing", "the peer&#39;s certificate does not match its card",
		"Places outside this map: 1, with 1 seizures in all.", "Red: physical inspection", "10%", "25%")

	rows := tableRows(t, res.body, "monthly-table")
	// Head, narcotics, weapons (months April 2025 to March 2026), totals.
	if len(rows) != 4 || rows[1][0] != "Narcotics" || rows[2][0] != "Weapons" {
		t.Fatalf("monthly table rows %q", rows)
	}
	if rows[0][10] != "January 2026" || rows[1][10] != "3" || rows[1][12] != "6" || rows[2][12] != "2" || rows[3][12] != "8" {
		t.Errorf("monthly table %q", rows)
	}
	mix := tableRows(t, res.body, "channels-0")
	if len(mix) != 3 || mix[1][1] != "20" || mix[1][2] != "10%" || mix[1][5] != "25%" || mix[2][1] != "180" {
		t.Errorf("channel mix at khunjerab %q", mix)
	}
	wantContains(t, res, "khunjerab: 200 declarations")
	if strings.Contains(res.body, `id="channels-1"`) {
		t.Error("a crossing point that scored nothing has a channel table")
	}
	routes := tableRows(t, res.body, "routes-table")
	if len(routes) != 3 || routes[1][1] != "5" || routes[2][0] != "China → Pakistan" || routes[2][1] != "2" {
		t.Errorf("routes table %q", routes)
	}

	t.Run("bar heights are proportional to counts", func(t *testing.T) {
		bars := rects(t, res.body, "bar")
		if len(bars) != 3 {
			t.Fatalf("bars %v, want 3", bars)
		}
		unit := bars[0].height / 3 // narcotics, January 2026: 3
		for _, b := range bars {
			n, err := strconv.Atoi(b.title[strings.LastIndex(b.title, " ")+1:])
			if err != nil {
				t.Fatal(b.title)
			}
			if math.Abs(b.height-unit*float64(n)) > 0.2 {
				t.Errorf("bar %q is %v high, want %v", b.title, b.height, unit*float64(n))
			}
		}
		h := regexp.MustCompile(`<rect class="hbar"[^>]*width="([0-9.]+)"`).FindAllStringSubmatch(res.body, -1)
		if len(h) != 4 {
			t.Fatalf("%d horizontal bars, want 4", len(h))
		}
		w0, _ := strconv.ParseFloat(h[0][1], 64)
		w1, _ := strconv.ParseFloat(h[1][1], 64)
		if math.Abs(w1/w0-2.0/5) > 0.01 {
			t.Errorf("route bars %v and %v, want 5:2", w0, w1)
		}
	})
	t.Run("a circle per place on the map", func(t *testing.T) {
		m, err := loadRegion()
		if err != nil {
			t.Fatal(err)
		}
		x, y, in := m.project(36.7, 74.8)
		if !in {
			t.Fatal("Sost is off the map")
		}
		circles := regexp.MustCompile(`<circle class="place" cx="([0-9.]+)" cy="([0-9.]+)" r="([0-9.]+)"><title>([^<]*)</title>`).FindAllStringSubmatch(res.body, -1)
		if len(circles) != 1 {
			t.Fatalf("%d circles, want 1 (Dubai is off the map)", len(circles))
		}
		cx, _ := strconv.ParseFloat(circles[0][1], 64)
		cy, _ := strconv.ParseFloat(circles[0][2], 64)
		if math.Abs(cx-x) > 0.1 || math.Abs(cy-y) > 0.1 || circles[0][4] != "36.7° N, 74.8° E — seizures: 4" {
			t.Errorf("circle %q, want at (%.1f, %.1f)", circles[0][1:], x, y)
		}
		if !strings.Contains(res.body, "<title>Pakistan</title></path>") {
			t.Error("no outline of Pakistan")
		}
	})
}

func TestDashboardInEachLanguage(t *testing.T) {
	e := newDashboardEnv(t, smallDashboard())
	c := e.client()
	e.mustSignIn(c, "alice")
	tests := []struct {
		lang string
		want []string
	}{
		{"en", []string{`<html lang="en" dir="ltr">`, "Narcotics", "Afghanistan → Pakistan", "January 2026", ">Mar<"}},
		{"zh", []string{`<html lang="zh" dir="ltr">`, "阿富汗 → 巴基斯坦", "2026年1月", ">3月<", "<title>巴基斯坦</title>", "北纬36.7°，东经74.8°：查获4起"}},
		{"ur", []string{`<html lang="ur" dir="rtl">`, "افغانستان ← پاکستان", "جنوری 2026", "<title>پاکستان</title>", `direction="ltr"`, `text-anchor="end"`}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			res := e.get(c, "/?lang="+tt.lang)
			wantStatus(t, res, 200)
			wantContains(t, res, tt.want...)
			if strings.Contains(res.body, "dashboard.") {
				t.Errorf("a message key shows: %s", regexp.MustCompile(`dashboard\.[a-z.]+`).FindString(res.body))
			}
			rows := tableRows(t, res.body, "monthly-table")
			if rows[1][12] != "6" {
				t.Errorf("narcotics in March: %q", rows[1][12])
			}
		})
	}
}

func TestDashboardEmpty(t *testing.T) {
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			e := newDashboardEnv(t, &DashboardData{Months: dashboardMonthsTo(testNow, 12)})
			c := e.client()
			e.mustSignIn(c, "alice")
			res := e.get(c, "/?lang="+lang)
			wantStatus(t, res, 200)
			tr := mustCatalogs(t).Translator(lang)
			for _, key := range []string{"dashboard.empty", "dashboard.bars.empty", "dashboard.map.empty",
				"dashboard.recent.empty", "dashboard.channels.empty", "dashboard.peers.empty"} {
				if msg := templateEscape(tr.T(key)); !strings.Contains(res.body, msg) {
					t.Errorf("no %s (%q)", key, msg)
				}
			}
			if strings.Contains(res.body, `class="bar `) || strings.Contains(res.body, "<circle") {
				t.Error("empty dashboard draws bars or circles")
			}
		})
	}
}

func TestStartPageWithoutDashboardShowsTheLinks(t *testing.T) {
	e := newTestEnv(t)
	c := e.client()
	e.mustSignIn(c, "alice")
	res := e.get(c, "/")
	wantStatus(t, res, 200)
	if strings.Contains(res.body, `class="dashboard"`) {
		t.Error("a start page without dashboard data shows the dashboard")
	}
}

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct{ max, top, step int64 }{
		{0, 4, 1}, {1, 1, 1}, {3, 3, 1}, {9, 10, 5}, {10, 10, 5}, {11, 15, 5}, {95, 100, 50}, {1234, 1500, 500},
	} {
		if top, step := niceScale(tt.max); top != tt.top || step != tt.step {
			t.Errorf("niceScale(%d) = %d, %d; want %d, %d", tt.max, top, step, tt.top, tt.step)
		}
	}
}

// templateEscape escapes text as the templates do.
func templateEscape(s string) string { return fmt.Sprint(esc(s)) }

func TestIntFormatterMatchesNumber(t *testing.T) {
	c := mustCatalogs(t)
	for _, lang := range Languages {
		tr := c.Translator(lang)
		f := intFormatter(tr)
		for _, n := range []int64{0, 7, 999, 1000, 12345, 1234567, -4321} {
			if got, want := f(n), tr.Number(n); got != want {
				t.Errorf("%s: %d = %q, want %q", lang, n, got, want)
			}
		}
	}
}
