package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// queueRowPattern finds the declaration ids of the queue's rows, in
// order.
var queueRowPattern = regexp.MustCompile(`<th scope="row" class="code" dir="ltr"><a href="/declarations/([^"]+)">`)

// queueIDs returns the ids of the queue's rows on the page r.
func queueIDs(r *response) []string {
	var out []string
	for _, m := range queueRowPattern.FindAllStringSubmatch(r.body, -1) {
		out = append(out, m[1])
	}
	return out
}

// queueNextLink returns the address of the queue's next page on r, "" if none.
func queueNextLink(r *response) string {
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestQueueShowsDecisionsWithReasons(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	plain, err := e.node.DeclarationEntry(context.Background(), e.plain)
	if err != nil {
		t.Fatal(err)
	}
	if e.decision.Channel != crossguard.ChannelRed || plain.Decision.Channel == crossguard.ChannelRed {
		t.Fatalf("channels %s and %s, want the first red only", e.decision.Channel, plain.Decision.Channel)
	}

	res := e.get(c, "/targeting")
	wantStatus(t, res, http.StatusOK)
	if got := queueIDs(res); fmt.Sprint(got) != fmt.Sprint([]string{e.plain, e.both}) && fmt.Sprint(got) != fmt.Sprint([]string{e.both, e.plain}) {
		t.Errorf("queue rows %v, want both declarations", got)
	}
	for _, r := range e.decision.Reasons {
		wantText(t, res, r.Text)
	}
	wantContains(t, res, `id="queue"`, "Declaration queue", "Watch list</span>", "Profile</span>", "Not yet inspected",
		`href="/targeting?channel=red#queue"`, `href="/declarations/`+e.both+`"`)

	red := e.get(c, "/targeting?channel=red")
	wantStatus(t, red, http.StatusOK)
	if got := queueIDs(red); len(got) != 1 || got[0] != e.both {
		t.Errorf("red queue %v, want %s only", got, e.both)
	}
	wantContains(t, red, `<a href="/targeting?channel=red#queue" aria-current="page">`)

	other := e.get(c, "/targeting?channel="+plain.Decision.Channel)
	if got := queueIDs(other); len(got) != 1 || got[0] != e.plain {
		t.Errorf("%s queue %v, want %s only", plain.Decision.Channel, got, e.plain)
	}
	none := e.get(c, "/targeting?crossing=chaman")
	wantStatus(t, none, http.StatusOK)
	if got := queueIDs(none); len(got) != 0 {
		t.Errorf("queue at chaman %v, want none", got)
	}
	wantContains(t, none, "No decided declaration matches this filter.", `value="chaman"`)
	if got := queueIDs(e.get(c, "/targeting?crossing=sost&channel=red")); len(got) != 1 {
		t.Errorf("red queue at sost %v, want one", got)
	}
}

func TestQueueNotYetInspected(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("alice")
	path := "/declarations/" + e.both
	token := mustCSRF(t, e.get(c, path))
	wantStatus(t, e.post(c, path+"/inspection", url.Values{"csrf": {token}, "result": {"no_finding"}}), http.StatusSeeOther)

	all := e.get(c, "/targeting")
	wantContains(t, all, "No finding")
	open := e.get(c, "/targeting?uninspected=1")
	wantStatus(t, open, http.StatusOK)
	if got := queueIDs(open); len(got) != 1 || got[0] != e.plain {
		t.Errorf("not yet inspected %v, want %s only", got, e.plain)
	}
	wantContains(t, open, `name="uninspected" type="checkbox" value="1" checked`)
}

func TestQueuePages(t *testing.T) {
	e := newTargetingEnv(t)
	var ds []*crossguard.Declaration
	for i := 100; i < 100+queuePageSize+5; i++ {
		d := storetest.NewDeclaration(i, "sost")
		d.Identifiers = nil
		ds = append(ds, d)
	}
	if _, err := e.node.Decide(context.Background(), "test", ds); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("alice")
	first := e.get(c, "/targeting?crossing=sost&from=2026-02-01")
	wantStatus(t, first, http.StatusOK)
	ids := queueIDs(first)
	if len(ids) != queuePageSize {
		t.Fatalf("first page has %d rows, want %d", len(ids), queuePageSize)
	}
	next := queueNextLink(first)
	if !strings.Contains(next, "crossing=sost") || !strings.Contains(next, "from=2026-02-01") || !strings.Contains(next, "cursor=") {
		t.Fatalf("next page link %q keeps neither the filter nor the period", next)
	}
	second := e.get(c, next)
	wantStatus(t, second, http.StatusOK)
	more := queueIDs(second)
	if len(more) != len(ds)+2-queuePageSize {
		t.Errorf("second page has %d rows, want %d", len(more), len(ds)+2-queuePageSize)
	}
	seen := map[string]bool{}
	for _, id := range append(ids, more...) {
		if seen[id] {
			t.Errorf("%s shown twice", id)
		}
		seen[id] = true
	}
	if queueNextLink(second) != "" {
		t.Error("the last page links a next page")
	}
	wantContains(t, second, "First page")

	bad := e.get(c, "/targeting?cursor=forged")
	wantStatus(t, bad, http.StatusBadRequest)
	wantContains(t, bad, "This queue filter is not valid.")
	wantStatus(t, e.get(c, "/targeting?channel=purple"), http.StatusBadRequest)
}

func TestQueueInUrdu(t *testing.T) {
	e := newTargetingEnv(t)
	c := e.signedIn("bilal") // bilal reads Urdu
	res := e.get(c, "/targeting")
	wantStatus(t, res, http.StatusOK)
	tr := mustCatalogs(t).Translator("ur")
	wantText(t, res, tr.T("queue.heading"), tr.T("queue.all"), tr.T("channel.red"))
}
