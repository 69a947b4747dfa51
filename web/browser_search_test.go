package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/browsertest"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/storetest"
	"crossguard/web"
)

// recordedSeizure is what the search test types into the seizure form,
// by the id of each field.
var recordedSeizure = map[string]string{
	"f-place-name":          "Sost dry port",
	"f-country":             "PK",
	"f-direction":           "import",
	"f-transport_mode":      "road",
	"f-detection_method":    "canine",
	"f-concealment":         "natural_cavity",
	"f-goods-0-category":    "narcotics",
	"f-goods-0-hs":          "121190",
	"f-goods-0-description": "poppy straw in sacks of cumin",
	"f-goods-0-quantity":    "35",
	"f-goods-0-unit":        "kg",
	"f-identifiers-0-type":  "vehicle_plate",
	"f-identifiers-0-value": "GLT-9015",
	"f-narrative":           "The dog stopped at the third sack of the load.",
	"f-distribution":        "partners",
	"f-marking-tlp":         "green",
	"f-marking-handling":    "H0",
}

// TestBrowserFindRecordedSeizure records a seizure through the form in
// headless Chromium and then finds it from the seizure list's search form
// among others: by a word of its narrative, by the filters it matches
// together, and not by a filter it fails. No request goes to another host.
func TestBrowserFindRecordedSeizure(t *testing.T) {
	b := browsertest.New(t)
	srv := newSearchNode(t)
	signIn(t, b, srv.URL, "omar")

	b.Load(chromedp.Navigate(srv.URL + "/seizures/new"))
	b.Do(chromedp.WaitVisible(chromedp.ID("f-place-name")))
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range recordedSeizure {
		steps = append(steps, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.Do(steps...)
	b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	loc := browsertest.Run(b, chromedp.Location())
	if !strings.HasPrefix(loc, srv.URL+"/seizures/") || strings.HasSuffix(loc, "/new") {
		t.Fatalf("after saving the page is %s, want the seizure's page", loc)
	}
	recorded := strings.TrimPrefix(loc, srv.URL)

	const mine = "poppy straw in sacks of cumin"
	others := []string{"heroin, brown powder", "cigarettes, counterfeit brand"}
	for _, c := range []struct {
		name   string
		fields map[string]string // by id; the selects category and origin too
		found  bool
	}{
		{"free text", map[string]string{"q": "dog"}, true},
		{"filters", map[string]string{"category": "narcotics", "hs": "1211", "country": "PK", "origin": "self"}, true},
		{"filters and free text", map[string]string{"category": "narcotics", "q": "cumin"}, true},
		{"another category", map[string]string{"category": "tobacco"}, false},
		{"another word", map[string]string{"q": "tyres"}, false},
	} {
		b.Load(chromedp.Navigate(srv.URL + "/seizures"))
		var set []chromedp.Action[chromedp.Void]
		for id, v := range c.fields {
			set = append(set, chromedp.SetValue(chromedp.ID(id), v))
		}
		b.Do(set...)
		res := b.Load(chromedp.Click(chromedp.CSS(`form.filter button[type="submit"]`)))
		if res.Status != http.StatusOK {
			t.Errorf("%s: search answered %d", c.name, res.Status)
			continue
		}
		body := browsertest.Run(b, chromedp.Text(chromedp.CSS("main")))
		if got := strings.Contains(body, mine); got != c.found {
			t.Errorf("%s %v: recorded seizure listed %v, want %v\n%s", c.name, c.fields, got, c.found, body)
		}
		if c.found {
			for _, o := range others {
				if strings.Contains(body, o) {
					t.Errorf("%s %v: the list also shows %q", c.name, c.fields, o)
				}
			}
			href := browsertest.Run(b, chromedp.Evaluate[string](
				`(document.querySelector("table.records tbody a") || {}).pathname || ""`))
			if href != recorded {
				t.Errorf("%s: the row links to %q, want %q", c.name, href, recorded)
			}
			for id, v := range c.fields {
				if got := browsertest.Run(b, chromedp.Value(chromedp.ID(id))); got != v {
					t.Errorf("%s: the form shows %s=%q after the search, want %q", c.name, id, got, v)
				}
			}
		}
		if c.name == "filters" {
			b.Screenshot("seizure-found")
		}
	}
	b.CheckOnSite(t, srv.URL)
}

// newSearchNode starts the web interface of node pk-customs/sost with one
// officer, omar, and two seizures that the search must leave out: one of
// heroin at Sost and one of cigarettes received from a Chinese node.
func newSearchNode(t *testing.T) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	st := browserStore(t, "omar", crossguard.RoleOfficer)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	var z crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateSeizure(ctx, "test", &z); err != nil {
		t.Fatalf("create seizure: %v", err)
	}
	var foreign crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &foreign); err != nil {
		t.Fatal(err)
	}
	foreign.Normalize()
	foreign.ID = node.NewUUIDv7()
	foreign.Origin = "cn-customs/tashkurgan"
	foreign.Version = 1
	foreign.CreatedAt, foreign.UpdatedAt = z.CreatedAt, z.UpdatedAt
	foreign.Country, foreign.Place = "CN", crossguard.Place{Name: "Tashkurgan"}
	foreign.Goods = []crossguard.Goods{{Category: "tobacco", HS: "240220", Description: "cigarettes, counterfeit brand", Quantity: 1200, Unit: "cartons"}}
	foreign.Narrative = "Cartons behind spare tyres."
	if err := st.CreateSeizures(ctx, "test", []*crossguard.Seizure{&foreign}, nil); err != nil {
		t.Fatal(err)
	}
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Records: n}))
	t.Cleanup(srv.Close)
	return srv
}
