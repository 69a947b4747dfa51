package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/browsertest"
	"crossguard/internal/testnode"
	"crossguard/web"
)

// TestBrowserDashboardCountsANewSeizure records a seizure with coordinates
// through the form in headless Chromium, then finds it on the dashboard:
// in the category table of this month, as a bar of the monthly chart and
// as a circle at its place on the map. No request goes to another host.
func TestBrowserDashboardCountsANewSeizure(t *testing.T) {
	b := browsertest.New(t)
	st := browserStore(t, "omar", crossguard.RoleOfficer)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Records: n, Dashboard: web.NodeDashboard{Partners: n, Risk: n, Now: n.Clock.Now}}))
	t.Cleanup(srv.Close)

	b.Load(chromedp.Navigate(srv.URL + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "omar"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	empty := browsertest.Run(b, chromedp.Text(chromedp.ID("monthly")))
	if !strings.Contains(empty, "No seizures yet") {
		t.Errorf("the new node's dashboard says %q, want no seizures yet", empty)
	}

	b.Load(chromedp.Navigate(srv.URL + "/seizures/new"))
	b.Do(chromedp.WaitVisible(chromedp.ID("f-place-name")))
	fields := map[string]string{
		"f-place-name":          "Sost dry port",
		"f-place-lat":           "36.69",
		"f-place-lon":           "74.82",
		"f-country":             "PK",
		"f-direction":           "import",
		"f-transport_mode":      "road",
		"f-detection_method":    "canine",
		"f-concealment":         "natural_cavity",
		"f-goods-0-category":    "wildlife",
		"f-goods-0-hs":          "010619",
		"f-goods-0-description": "snow leopard pelts",
		"f-goods-0-quantity":    "3",
		"f-goods-0-unit":        "pieces",
		"f-distribution":        "agency",
		"f-marking-tlp":         "amber",
		"f-marking-handling":    "H1",
	}
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.Do(steps...)
	b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	if loc := browsertest.Run(b, chromedp.Location()); strings.HasSuffix(loc, "/new") {
		t.Fatalf("the seizure was not saved: %s", browsertest.Run(b, chromedp.Text(chromedp.CSS("main"))))
	}

	b.Load(chromedp.Navigate(srv.URL + "/"))
	b.Do(chromedp.WaitVisible(chromedp.CSS("svg.map")))
	table := browsertest.Run(b, chromedp.TextContent(chromedp.ID("monthly-table")))
	if !strings.Contains(table, "Wildlife") {
		t.Errorf("the monthly table lacks the wildlife seizure: %q", table)
	}
	bar := browsertest.Run(b, chromedp.TextContent(chromedp.CSS(`svg.monthly rect.c-wildlife title`)))
	if !strings.HasPrefix(bar, "Wildlife,") || !strings.HasSuffix(bar, ": 1") {
		t.Errorf("wildlife bar titled %q", bar)
	}
	circle := browsertest.Run(b, chromedp.TextContent(chromedp.CSS(`svg.map circle.place title`)))
	if circle != "36.7° N, 74.8° E — seizures: 1" {
		t.Errorf("place circle titled %q", circle)
	}
	conceal := browsertest.Run(b, chromedp.TextContent(chromedp.ID("concealments-table")))
	if !strings.Contains(conceal, "Natural cavity") {
		t.Errorf("concealment table %q", conceal)
	}
	b.Screenshot("dashboard")
	b.Load(chromedp.Navigate(srv.URL + "/?lang=ur"))
	b.Do(chromedp.WaitVisible(chromedp.CSS("svg.map")))
	b.Screenshot("dashboard-ur")
	b.CheckOnSite(t, srv.URL)
}
