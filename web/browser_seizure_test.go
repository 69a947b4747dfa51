package web_test

import (
	"net/http"
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

// newBrowserSeizureNode starts the web interface of node pk-customs/sost,
// with its records, and one officer, omar, on a real SQLite database, on a
// loopback test server.
func newBrowserSeizureNode(t *testing.T) *httptest.Server {
	t.Helper()
	st := browserStore(t, "omar", crossguard.RoleOfficer)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Records: n}))
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserRecordSeizure records a seizure through the form in headless
// Chromium: an unknown HS code brings the form back with the reason beside
// the field and everything typed kept; the corrected code saves the
// seizure and leads to its page. No request goes to another host.
func TestBrowserRecordSeizure(t *testing.T) {
	b := browsertest.New(t)
	srv := newBrowserSeizureNode(t)

	b.Load(chromedp.Navigate(srv.URL + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "omar"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	b.Load(chromedp.Navigate(srv.URL + "/seizures/new"))
	b.Do(chromedp.WaitVisible(chromedp.ID("f-place-name")))

	fields := map[string]string{
		"f-place-name":          "Sost dry port",
		"f-country":             "PK",
		"f-direction":           "import",
		"f-transport_mode":      "road",
		"f-detection_method":    "xray",
		"f-concealment":         "false_compartment",
		"f-goods-0-category":    "narcotics",
		"f-goods-0-hs":          "999999",
		"f-goods-0-description": "heroin in a fuel tank",
		"f-goods-0-quantity":    "4",
		"f-goods-0-unit":        "kg",
		"f-identifiers-0-type":  "vehicle_plate",
		"f-identifiers-0-value": "GLT-2231",
		"f-narrative":           "Found behind a welded plate.",
		"f-distribution":        "partners",
		"f-recipients":          "cn-customs",
		"f-marking-tlp":         "amber",
		"f-marking-handling":    "H1",
	}
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.Do(steps...)
	res := b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown HS code answered %d, want %d", res.Status, http.StatusUnprocessableEntity)
	}
	msg := browsertest.Run(b, chromedp.Text(chromedp.ID("f-goods-0-hs-error")))
	if !strings.Contains(msg, "Enter a known six-digit HS code") {
		t.Errorf("HS code message %q", msg)
	}
	for _, id := range []string{"f-goods-0-hs", "f-goods-0-description", "f-recipients", "f-narrative"} {
		if got := browsertest.Run(b, chromedp.Value(chromedp.ID(id))); got != fields[id] {
			t.Errorf("%s after the refusal = %q, want the typed %q", id, got, fields[id])
		}
	}
	share := browsertest.Run(b, chromedp.Text(chromedp.ID("sharing")))
	if !strings.Contains(share, "pk-customs") || !strings.Contains(share, "cn-customs") || !strings.Contains(share, "TLP:AMBER") {
		t.Errorf("sharing sentence %q", share)
	}
	b.Screenshot("seizure-form-refused")
	// The README's picture: the refused field and its reason in view.
	b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById("f-goods-0-hs").scrollIntoView({block: "center"})`))
	browsertest.Screenshot(t, b.Context(), "seizure-form")

	b.Do(chromedp.SetValue(chromedp.ID("f-goods-0-hs"), "293911"))
	b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	loc := browsertest.Run(b, chromedp.Location())
	if !strings.HasPrefix(loc, srv.URL+"/seizures/") || strings.HasSuffix(loc, "/new") {
		t.Fatalf("after saving the page is %s, want the seizure's page", loc)
	}
	body := browsertest.Run(b, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"heroin in a fuel tank", "293911", "GLT-2231", "TLP:AMBER"} {
		if !strings.Contains(body, want) {
			t.Errorf("seizure page lacks %q", want)
		}
	}
	b.Screenshot("seizure-saved")
	b.CheckOnSite(t, srv.URL)
}
