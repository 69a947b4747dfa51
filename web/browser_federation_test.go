package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/federation/fedtest"
	"crossguard/httpapi"
	"crossguard/internal/apiserver"
	"crossguard/internal/browsertest"
	"crossguard/internal/wiring"
	"crossguard/storetest"
	"crossguard/web"
)

// TestBrowserPartnerRecordArrives federates two real nodes over loopback
// with mutual TLS, Tashkurgan (cn-customs) and Sost (pk-customs), with the
// web interface mounted on Sost's HTTP server as the binary mounts it.
// An analyst signed in on Sost in headless Chromium sees no partner record;
// a seizure recorded at Tashkurgan for partners then appears in Sost's list
// once Sost has pulled Tashkurgan's feed (between reloads, so that the test
// never waits on a pull loop's timer or restarts a listener), and its page
// names Tashkurgan as the origin and shows the markings set there.
func TestBrowserPartnerRecordArrives(t *testing.T) {
	b := browsertest.New(t)
	a := fedtest.NewNode(t, fedtest.SQLite, "cn-customs/tashkurgan")
	sost := fedtest.NewNode(t, fedtest.SQLite, "pk-customs/sost")
	fedtest.Link(a, sost, fedtest.All)

	now := time.Now().UTC()
	if err := sost.Store.CreateUser(t.Context(), "test", &crossguard.User{Name: "zara", Role: crossguard.RoleAnalyst, CreatedAt: now}, "tokenhash-zara"); err != nil {
		t.Fatal(err)
	}
	if err := auth.SetPassword(t.Context(), sost.Store, "test", "zara", browserPassword, auth.DefaultParams, now); err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(apiserver.API(&wiring.Services{Core: sost.Node.Core, Store: sost.Store, Sharing: sost.Node.Sharing,
		Cooperation: sost.Node.Cooperation, Targeting: sost.Node.Targeting, Admin: sost.Node.Admin}), nil)
	api.UI = web.Handler(web.Config{Auth: &web.NodeAuth{Service: auth.New(sost.Store, auth.Options{}), Now: sost.Node.Clock.Now},
		NodeName: sost.Node.Info.Name, Now: sost.Node.Clock.Now, Records: sost.Node, NodeID: sost.ID()})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	signIn(t, b, srv.URL, "zara")
	const goods = "opium resin in saddle bags"
	b.Load(chromedp.Navigate(srv.URL + "/seizures"))
	if body := browsertest.Run(b, chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, goods) {
		t.Fatalf("Sost lists the seizure before Tashkurgan recorded it:\n%s", body)
	}

	var z crossguard.Seizure
	if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &z); err != nil {
		t.Fatal(err)
	}
	z.Country, z.Place, z.Office = "CN", crossguard.Place{Name: "Tashkurgan"}, "Tashkurgan"
	z.Goods = []crossguard.Goods{{Category: "narcotics", HS: "130211", Description: goods, Quantity: 8, Unit: "kg"}}
	z.Distribution = crossguard.DistPartners
	z.Marking = crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H2"}
	saved, err := a.Node.CreateSeizure(t.Context(), "test", &z)
	if err != nil {
		t.Fatalf("record the seizure at Tashkurgan: %v", err)
	}

	// Sost pulls Tashkurgan's feed up to its head (a few pages at most); a
	// pull returns once its page is applied, so the list shows the seizure
	// at the next load.
	for pulls, caughtUp := 0, false; !caughtUp; pulls++ {
		if pulls == 100 {
			t.Fatalf("Sost is not at the head of Tashkurgan's feed after %d pulls", pulls)
		}
		res, err := sost.Pull(a)
		if err != nil {
			t.Fatalf("Sost pulls from Tashkurgan: %v", err)
		}
		caughtUp = res.CaughtUp()
	}
	b.Load(chromedp.Reload())
	if body := browsertest.Run(b, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, goods) {
		t.Fatalf("Sost's list lacks Tashkurgan's seizure after the pull:\n%s", body)
	}
	row := browsertest.Run(b, chromedp.Text(chromedp.CSS("table.records tbody tr")))
	own := browsertest.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("table.records tbody tr .own").length`))
	if !strings.Contains(row, a.ID()) || own != 0 {
		t.Errorf("the row of the partner's seizure reads %q, want origin %s and not marked as this node's", row, a.ID())
	}
	b.Screenshot("partner-seizure-listed")

	b.Load(chromedp.Click(chromedp.CSS(`table.records tbody a`)))
	if loc := browsertest.Run(b, chromedp.Location()); loc != srv.URL+"/seizures/"+saved.ID {
		t.Fatalf("the row leads to %s, want %s/seizures/%s", loc, srv.URL, saved.ID)
	}
	origin := browsertest.Run(b, chromedp.Text(chromedp.CSS(`section[aria-labelledby="record-heading"] dd`)))
	if strings.TrimSpace(origin) != a.ID() {
		t.Errorf("origin on the seizure's page %q, want %s", origin, a.ID())
	}
	if tlp := browsertest.Run(b, chromedp.Text(chromedp.CSS(".marking-line"))); !strings.Contains(tlp, "TLP:AMBER") || !strings.Contains(tlp, "H2") {
		t.Errorf("markings on the seizure's page %q, want TLP:AMBER and H2", tlp)
	}
	if edit := browsertest.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('a[href$="/edit"]').length`)); edit != 0 {
		t.Errorf("the partner's seizure has %d edit links on Sost", edit)
	}
	b.Screenshot("partner-seizure")
	b.CheckOnSite(t, srv.URL)
}
