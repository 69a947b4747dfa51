package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"crossguard"
	"crossguard/auth"
	"crossguard/internal/browsertest"
	"crossguard/internal/testnode"
	"crossguard/risk/decide"
	"crossguard/storetest"
	"crossguard/web"
)

// browserTargeting is a node with risk targeting behind the web
// interface: red is the id of a declaration that a profile and the watch
// list sent to the red channel.
type browserTargeting struct {
	srv *httptest.Server
	red string
}

// newBrowserTargetingNode starts the web interface of node pk-customs/sost
// with one analyst, amina, a profile, a watch-list entry and a dozen
// decided declarations, on a real SQLite database.
func newBrowserTargetingNode(t *testing.T) *browserTargeting {
	t.Helper()
	ctx := context.Background()
	st := browserStore(t, "amina", crossguard.RoleAnalyst)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	if err := n.EnableTargeting(ctx, decide.Config{RandomRate: -1, Seed: 1}); err != nil {
		t.Fatalf("enable targeting: %v", err)
	}
	var p crossguard.Profile
	if err := json.Unmarshal([]byte(`{"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
 "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"}, {"field": "value_per_kg", "op": "lt", "value": 50}],
 "valid_from": "2026-01-01", "distribution": "agency", "marking": {"tlp": "amber", "handling": "H1"}}`), &p); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateProfile(ctx, "test", &p); err != nil {
		t.Fatalf("create profile: %v", err)
	}
	if _, err := n.AddWatch(ctx, "test", &crossguard.WatchEntry{
		Identifier: crossguard.Identifier{Type: "container", Value: "CSQU3054383"}, Channel: "yellow",
		Reason: "partner warning: heroin in false floors", ExpiresAt: time.Now().Add(30 * 24 * time.Hour),
	}); err != nil {
		t.Fatalf("add watch-list entry: %v", err)
	}
	var ds []*crossguard.Declaration
	for i := 1; i <= 12; i++ {
		d := storetest.NewDeclaration(i, "sost")
		d.Identifiers = nil
		ds = append(ds, d)
	}
	red := storetest.NewDeclaration(6, "sost") // HS 293911
	red.DeclarationID = "20260001"
	red.NetMass, red.ItemPrice = 100, 1000
	red.Identifiers = []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}}
	ds = append(ds, red)
	if _, err := n.Decide(ctx, "test", ds); err != nil {
		t.Fatalf("decide: %v", err)
	}
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Records: n, Targeting: n}))
	t.Cleanup(srv.Close)
	return &browserTargeting{srv: srv, red: string(red.DeclarationID)}
}

// signInAmina signs the analyst amina in through the sign-in form.
func signInAmina(b *browsertest.Browser, url string) {
	b.Load(chromedp.Navigate(url + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "amina"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
}

// TestBrowserDeclarationReasons follows the queue in headless Chromium:
// the red tab lists the red declaration with its reasons; a click on it
// shows its decision with the profile and the watch-list entry that
// chose it, in words. No request goes to another host.
func TestBrowserDeclarationReasons(t *testing.T) {
	b := browsertest.New(t)
	f := newBrowserTargetingNode(t)
	signInAmina(b, f.srv.URL)

	b.Load(chromedp.Navigate(f.srv.URL + "/targeting"))
	b.Do(chromedp.WaitVisible(chromedp.ID("queue")))
	b.Screenshot("queue")
	b.Load(chromedp.Click(chromedp.CSS(`nav.queue-tabs a[href*="channel=red"]`)))
	rows := browsertest.Run(b, chromedp.Text(chromedp.CSS("table.queue tbody")))
	if !strings.Contains(rows, f.red) || !strings.Contains(rows, `matches profile "Opium alkaloids declared cheap"`) {
		t.Errorf("red queue reads %q; want %s with the profile's reason", rows, f.red)
	}
	// Declarations 6 and 12 of the suite are cheap opium alkaloids too.
	if n := browsertest.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("table.queue tbody tr").length`)); n != 3 {
		t.Errorf("the red queue has %d rows, want 3", n)
	}
	b.Screenshot("queue-red")

	res := b.Load(chromedp.Click(chromedp.CSS(`table.queue a[href="/declarations/` + f.red + `"]`)))
	if res.Status != http.StatusOK {
		t.Fatalf("declaration page answered %d", res.Status)
	}
	if loc := browsertest.Run(b, chromedp.Location()); loc != f.srv.URL+"/declarations/"+f.red {
		t.Fatalf("after the click the page is %s", loc)
	}
	reasons := browsertest.Run(b, chromedp.Text(chromedp.CSS("ul.reasons")))
	for _, want := range []string{"Profile", `matches profile "Opium alkaloids declared cheap"`, "Watch list",
		"container CSQU3054383 is on the watch list", "heroin in false floors"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("reasons %q lack %q", reasons, want)
		}
	}
	if ch := browsertest.Run(b, chromedp.Text(chromedp.CSS("p.marking-line"))); !strings.Contains(ch, "Red") {
		t.Errorf("channel %q, want red", ch)
	}
	b.Screenshot("declaration-decision")
	b.CheckOnSite(t, f.srv.URL)
}

// TestBrowserCreateProfile writes a profile in the editor in headless
// Chromium: a score out of range comes back with its reason beside the
// field and everything typed kept; the preview counts the recent
// declarations the draft would have selected; saving leads to the
// profile list, which shows it.
func TestBrowserCreateProfile(t *testing.T) {
	b := browsertest.New(t)
	f := newBrowserTargetingNode(t)
	signInAmina(b, f.srv.URL)

	b.Load(chromedp.Navigate(f.srv.URL + "/profiles"))
	b.Load(chromedp.Click(chromedp.CSS(`a[href="/profiles/new"]`)))
	b.Do(chromedp.WaitVisible(chromedp.ID("pf-name")))
	fields := map[string]string{
		"pf-name":             "Opium alkaloids, any value",
		"pf-channel":          "yellow",
		"pf-score":            "1.5",
		"pf-owner":            "Sost targeting unit",
		"pf-cond-0-field":     "hs4",
		"pf-cond-0-op":        "eq",
		"pf-cond-0-value":     "2939",
		"pf-cond-1-field":     "crossing",
		"pf-cond-1-op":        "in",
		"pf-cond-1-value":     "sost, khunjerab",
		"pf-marking-handling": "H1",
	}
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.ID(id), v))
	}
	b.Do(steps...)
	res := b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a score of 1.5 answered %d, want %d", res.Status, http.StatusUnprocessableEntity)
	}
	if msg := browsertest.Run(b, chromedp.Text(chromedp.ID("pf-score-error"))); !strings.Contains(msg, "Enter a number from 0 to 1") {
		t.Errorf("score message %q", msg)
	}
	for id, want := range fields {
		if got := browsertest.Run(b, chromedp.Value(chromedp.ID(id))); got != want {
			t.Errorf("%s after the refusal = %q, want the typed %q", id, got, want)
		}
	}
	b.Screenshot("profile-refused")

	b.Do(chromedp.SetValue(chromedp.ID("pf-score"), "0.6"))
	res = b.Load(chromedp.Click(chromedp.CSS(`button[name="preview"]`)))
	if res.Status != http.StatusOK {
		t.Fatalf("preview answered %d", res.Status)
	}
	preview := browsertest.Run(b, chromedp.Text(chromedp.ID("preview-result")))
	if !strings.Contains(preview, "Would have selected 3 of the last 13 declarations (0 inspected, 0 with a find).") {
		t.Errorf("preview says %q", preview)
	}
	b.Screenshot("profile-preview")

	b.Load(chromedp.Click(chromedp.CSS(`button[name="save"]`)))
	loc := browsertest.Run(b, chromedp.Location())
	if !strings.HasPrefix(loc, f.srv.URL+"/profiles?saved=") {
		t.Fatalf("after saving the page is %s, want the profile list", loc)
	}
	list := browsertest.Run(b, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Opium alkaloids, any value", "was saved", "Yellow", "Opium alkaloids declared cheap"} {
		if !strings.Contains(list, want) {
			t.Errorf("profile list lacks %q", want)
		}
	}
	b.Screenshot("profile-saved")
	b.CheckOnSite(t, f.srv.URL)
}
