package web_test

import (
	"context"
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
	"crossguard/web"
)

// newBrowserOperationNode starts the web interface of node pk-customs/sost
// with one analyst, amina, on a real SQLite database, holding a running
// joint operation with af-customs and one warning of its own. It returns
// the server and the ids of the operation and the warning.
func newBrowserOperationNode(t *testing.T) (srv *httptest.Server, opID, warningID string) {
	t.Helper()
	ctx := context.Background()
	st := browserStore(t, "amina", crossguard.RoleAnalyst)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	now := time.Now().UTC()
	amber := crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}
	op, err := n.CreateOperation(ctx, "test", &crossguard.Operation{Header: crossguard.Header{Marking: amber},
		Name: "Opium Route Winter", Participants: []string{"af-customs"}, StartsAt: now.Add(-time.Hour), EndsAt: now.AddDate(0, 1, 0),
		Focus: crossguard.OperationFocus{Categories: []string{"narcotics"}}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := n.CreateWarning(ctx, "test", op.ID, &crossguard.Warning{
		Identifiers:      []crossguard.Identifier{{Type: "container", Value: "MSKU1234565"}},
		ExpectedCrossing: "Sost dry port", Window: crossguard.WarningWindow{From: now, To: now.Add(48 * time.Hour)},
		Reason: "dried fruit on an unusual route", SuggestedChannel: crossguard.ChannelRed})
	if err != nil {
		t.Fatal(err)
	}
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv = httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID,
		Records: n, Cooperation: n, Settings: st}))
	t.Cleanup(srv.Close)
	return srv, op.ID, w.ID
}

// TestBrowserFeedbackAndLanguage answers a warning through the feedback
// form in headless Chromium: a refused answer keeps what was typed and
// says why beside the field; the corrected one raises the report's count
// of answers. Then the person sets their own language to Chinese on the
// settings page, and the next page comes in Chinese without ?lang=. No
// request goes to another host.
func TestBrowserFeedbackAndLanguage(t *testing.T) {
	b := browsertest.New(t)
	srv, opID, wid := newBrowserOperationNode(t)
	fid := "fb-" + wid

	b.Load(chromedp.Navigate(srv.URL + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "amina"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	b.Load(chromedp.Navigate(srv.URL + "/operations/" + opID))
	if got := browsertest.Run(b, chromedp.Text(chromedp.ID("report-feedback"))); got != "0" {
		t.Fatalf("answers before the feedback: %q, want 0", got)
	}

	// Not inspected, without the reason it needs.
	b.Do(
		chromedp.Click(chromedp.CSS(`#w-`+wid+` details.answer summary`)),
		chromedp.WaitVisible(chromedp.ID(fid+"-result")),
		chromedp.SetValue(chromedp.ID(fid+"-result"), "not_inspected"),
		chromedp.SendKeys(chromedp.ID(fid+"-notes"), "lane closed at noon"),
	)
	res := b.Load(chromedp.Click(chromedp.CSS(`#w-` + wid + ` .feedback-form button[type="submit"]`)))
	if res.Status != http.StatusBadRequest {
		t.Fatalf("feedback without a reason answered %d, want 400", res.Status)
	}
	if msg := browsertest.Run(b, chromedp.Text(chromedp.ID(fid+"-reason-error"))); !strings.Contains(msg, "Say why") {
		t.Errorf("reason message %q", msg)
	}
	if got := browsertest.Run(b, chromedp.Value(chromedp.ID(fid+"-notes"))); got != "lane closed at noon" {
		t.Errorf("notes after the refusal %q, want what was typed", got)
	}
	if got := browsertest.Run(b, chromedp.Value(chromedp.ID(fid+"-result"))); got != "not_inspected" {
		t.Errorf("result after the refusal %q, want not_inspected", got)
	}
	b.Screenshot("feedback-refused")

	b.Do(chromedp.SendKeys(chromedp.ID(fid+"-reason"), "scanner out of order"))
	b.Load(chromedp.Click(chromedp.CSS(`#w-` + wid + ` .feedback-form button[type="submit"]`)))
	if loc := browsertest.Run(b, chromedp.Location()); !strings.Contains(loc, "/operations/"+opID+"?saved=feedback") {
		t.Fatalf("after the feedback the page is %s", loc)
	}
	if got := browsertest.Run(b, chromedp.Text(chromedp.ID("report-feedback"))); got != "1" {
		t.Errorf("answers after the feedback: %q, want 1", got)
	}
	if body := browsertest.Run(b, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "scanner out of order") {
		t.Error("the answer is not listed under the warning")
	}
	b.Screenshot("feedback-sent")

	// Her own language: Chinese, chosen in the settings, on the next page
	// without ?lang=.
	b.Load(chromedp.Click(chromedp.CSS(`header.site a.who`)))
	b.Do(chromedp.Click(chromedp.CSS(`input[name="language"][value="zh"]`)))
	b.Load(chromedp.Click(chromedp.CSS(`form.settings button[type="submit"]`)))
	wantDocument(t, b, "zh", "ltr")
	b.Load(chromedp.Navigate(srv.URL + "/operations/" + opID))
	wantDocument(t, b, "zh", "ltr")
	if h := browsertest.Run(b, chromedp.Text(chromedp.ID("messages"))); h == "" || strings.Contains(h, "Messages") {
		t.Errorf("the messages heading %q is not in Chinese", h)
	}
	if loc := browsertest.Run(b, chromedp.Location()); strings.Contains(loc, "lang=") {
		t.Errorf("the page %s carries ?lang=", loc)
	}
	b.Screenshot("operation-zh")
	b.CheckOnSite(t, srv.URL)
}

// TestBrowserCalendarNarrow opens a month of the activities calendar with
// a three-day exercise in a window 320 CSS pixels wide, in English and in
// Urdu: the grid becomes a list of the busy days, each with its date
// written out, the page does not scroll sideways, and the activity's kind
// is written beside its colour.
func TestBrowserCalendarNarrow(t *testing.T) {
	b := browsertest.New(t)
	ctx := context.Background()
	st := browserStore(t, "amina", crossguard.RoleAnalyst)
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost"}
	n := testnode.New(info, st, nil)
	start := time.Now().UTC().AddDate(0, 1, 0)
	month := start.Format("2006-01")
	first := time.Date(start.Year(), start.Month(), 10, 0, 0, 0, 0, time.UTC)
	ag, err := n.CreateAgreement(ctx, "test", &crossguard.Agreement{
		Title: "Counter-narcotics cooperation", Parties: []string{"pk-customs", "af-customs"}, SignedOn: "2026-01-10",
		Scope:       crossguard.AgreementScope{Kinds: []string{"seizure"}, DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Commitments: []crossguard.Commitment{{ID: "ex-1", Type: crossguard.CommitmentExercise, Title: "Winter exercise", Owner: "pk-customs", Due: "2030-02-01"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateActivity(ctx, "test", &crossguard.Activity{Type: crossguard.ActivityExercise, Agreement: ag.ID, Commitment: "ex-1",
		Title: "Joint border exercise at the dry port", StartsOn: first.Format(time.DateOnly), EndsOn: first.AddDate(0, 0, 2).Format(time.DateOnly),
		Place: "Sost dry port", Agencies: []string{"pk-customs", "af-customs"}, Status: crossguard.StatusPlanned}); err != nil {
		t.Fatal(err)
	}
	na := &web.NodeAuth{Service: auth.New(st, auth.Options{})}
	srv := httptest.NewServer(web.Handler(web.Config{Auth: na, NodeName: "Sost", NodeID: info.ID, Cooperation: n, Settings: st}))
	t.Cleanup(srv.Close)

	b.Load(chromedp.Navigate(srv.URL + "/login"))
	b.Load(
		chromedp.SendKeys(chromedp.ID("username"), "amina"),
		chromedp.SendKeys(chromedp.ID("password"), browserPassword),
		chromedp.Click(chromedp.CSS(`form.login button[type="submit"]`)),
	)
	for _, lang := range []string{"en", "ur"} {
		b.Do(chromedp.EmulateViewport(320, 640))
		b.Load(chromedp.Navigate(srv.URL + "/activities?month=" + month + "&lang=" + lang))
		if w := browsertest.Run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
			t.Errorf("%s: the calendar is %d px wide at 320", lang, w)
		}
		days := browsertest.Run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".cal-grid td")]
			.filter(td => getComputedStyle(td).display !== "none").map(td => td.innerText)`))
		if len(days) != 3 {
			t.Fatalf("%s: %d days shown at 320 px, want the 3 of the exercise: %q", lang, len(days), days)
		}
		kind := map[string]string{"en": "Exercise", "ur": "مشق"}[lang]
		for _, d := range days {
			if !strings.Contains(d, kind) || !strings.Contains(d, "Joint border exercise") {
				t.Errorf("%s: day %q does not name the kind %q and the activity", lang, d, kind)
			}
		}
		if head := browsertest.Run(b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".cal-grid thead")).display`)); head != "none" {
			t.Errorf("%s: the weekday row shows at 320 px (%s)", lang, head)
		}
		b.Screenshot("calendar-narrow-" + lang)
	}
	b.Do(chromedp.EmulateViewport(1280, 900))
	b.Load(chromedp.Navigate(srv.URL + "/activities?month=" + month + "&lang=en"))
	if cells := browsertest.Run(b, chromedp.Evaluate[int](`document.querySelectorAll(".cal-grid tbody tr:first-child td").length`)); cells != 7 {
		t.Errorf("a week row has %d days, want 7", cells)
	}
	b.Screenshot("calendar-wide")
	b.CheckOnSite(t, srv.URL)
}
