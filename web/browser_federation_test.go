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
	"crossguard/internal/browsertest"
	"crossguard/storetest"
	"crossguard/web"
)

// arrivalTries bounds the reloads of the list while the browser waits for
// the partner's record, and arrivalPause spaces them: together a bound on
// a loop that normally ends in a few tries, not a speed target.
const (
	arrivalTries = 300
	arrivalPause = 100 * time.Millisecond
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
	api := httpapi.New(sost.Node, nil)
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

	arrived := false
	for try := 0; try < arrivalTries && !arrived; try++ {
		if try > 0 {
			time.Sleep(arrivalPause)
		}
		if _, err := sost.Pull(a); err != nil {
			t.Fatalf("Sost pulls from Tashkurgan: %v", err)
		}
		b.Load(chromedp.Reload())
		arrived = strings.Contains(browsertest.Run(b, chromedp.Text(chromedp.CSS("main"))), goods)
	}
	if !arrived {
		t.Fatalf("after %d reloads Sost's list still lacks Tashkurgan's seizure", arrivalTries)
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
