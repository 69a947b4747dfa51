package demo

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// checkDemoProgramme checks the demo's cooperation agreement: the demo
// prints it with the requests for its status at both agencies, its
// calendar and the CLI's status command; the agreement reaches
// Tashkurgan; both agencies merge the same statuses once synced, overdue
// ones first; and headquarters' calendar has one event per activity.
// (cmd/crossguard's tests run the printed status command.)
func checkDemoProgramme(t *testing.T, out string, urls map[string]string, tokens map[string]map[string]string, run demoRun, done <-chan error) {
	t.Helper()
	ctx := context.Background()
	hq, cn := "pk-customs/hq", "cn-customs/tashkurgan"
	printed := regexp.MustCompile(`(?m)^  agreement +curl -H 'Authorization: Bearer (cg_[^']+)' '(http://[0-9.:]+)/api/v1/agreements/([0-9a-f-]{36})'`)
	ids := map[string]string{}
	for _, m := range printed.FindAllStringSubmatch(out, -1) {
		for _, node := range []string{hq, cn} {
			if m[2] == urls[node] && m[1] == tokens[node]["analyst"] {
				ids[node] = m[3]
			}
		}
	}
	id := ids[hq]
	if id == "" || ids[cn] != id || !strings.Contains(out, demoAgreementTitle) {
		t.Fatalf("the demo printed agreement requests %v; want one agreement at both agencies with analysts' tokens:\n%s", ids, out)
	}
	status := fmt.Sprintf("  status      go run ./cmd/crossguard agreement status %s --data %s\n", id, run.nodes[0].Dir.Path)
	calendar := fmt.Sprintf("  calendar    curl -H 'Authorization: Bearer %s' '%s/api/v1/activities.ics'\n", tokens[hq]["analyst"], urls[hq])
	if !strings.Contains(out, status) || !strings.Contains(out, calendar) {
		t.Errorf("the demo does not print the status command %q and the calendar request %q", status, calendar)
	}
	waitUntil(t, "the agreement at Tashkurgan", func() bool {
		_, err := run.nodes[2].Node.Store.Record(ctx, id)
		return err == nil
	}, done)

	// What the owners report (see demoCommitments), merged for today.
	want := map[string]string{}
	overdue := 0
	for _, c := range demoCommitments {
		s := c.status
		if s == "" {
			s = crossguard.StatusPlanned
		}
		if c.due < 0 && s != crossguard.StatusDone && s != crossguard.StatusCancelled {
			s = crossguard.StatusOverdue
			overdue++
		}
		want[c.id] = s
	}
	type view struct {
		ID          string                       `json:"id"`
		Commitments []crossguard.CommitmentState `json:"commitments"`
		Overdue     int                          `json:"overdue"`
	}
	agreement := func(node string) view {
		var v view
		demoClient{t, urls[node], tokens[node]["analyst"]}.do("GET", "/api/v1/agreements/"+id, "", &v)
		return v
	}
	reported := func(v view) bool {
		for _, c := range v.Commitments {
			if c.Reports == 0 && slices.ContainsFunc(demoCommitments, func(d demoCommitment) bool { return d.id == c.ID && d.status != "" }) {
				return false
			}
		}
		return len(v.Commitments) == len(demoCommitments)
	}
	waitUntil(t, "the same commitment statuses at both agencies", func() bool {
		a, b := agreement(hq), agreement(cn)
		return reported(a) && reflect.DeepEqual(a, b)
	}, done)
	v := agreement(hq)
	got := map[string]string{}
	for _, c := range v.Commitments {
		got[c.ID] = c.Status
	}
	if !maps.Equal(got, want) || v.Overdue != overdue || overdue == 0 {
		t.Errorf("commitment statuses %v (%d overdue), want %v (%d overdue)", got, v.Overdue, want, overdue)
	}
	for i, c := range v.Commitments {
		if (i < overdue) != (c.Status == crossguard.StatusOverdue) {
			t.Errorf("commitment %d is %s %s; the %d overdue ones must come first", i, c.ID, c.Status, overdue)
		}
	}

	// Headquarters' calendar: one VEVENT per activity it holds, its own
	// visit and Tashkurgan's exercise and courses.
	wantActs := len(demoActivities(id, time.Now(), "pk-customs")) + len(demoActivities(id, time.Now(), "cn-customs"))
	var acts struct {
		Items []crossguard.Activity `json:"items"`
	}
	analyst := demoClient{t, urls[hq], tokens[hq]["analyst"]}
	waitUntil(t, "every activity at headquarters", func() bool {
		analyst.do("GET", "/api/v1/activities", "", &acts)
		return len(acts.Items) == wantActs
	}, done)
	req, _ := http.NewRequest("GET", urls[hq]+"/api/v1/activities.ics", nil)
	req.Header.Set("Authorization", "Bearer "+tokens[hq]["analyst"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ics bytes.Buffer
	if _, err := ics.ReadFrom(resp.Body); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET activities.ics: %s %s %v", resp.Status, resp.Header.Get("Content-Type"), err)
	}
	// Unfold the content lines (RFC 5545 3.1) and count the events.
	lines := strings.Split(strings.ReplaceAll(ics.String(), "\r\n ", ""), "\r\n")
	events, uids := 0, map[string]bool{}
	for _, l := range lines {
		switch {
		case l == "BEGIN:VEVENT":
			events++
		case strings.HasPrefix(l, "UID:"):
			uids[strings.TrimSuffix(strings.TrimPrefix(l, "UID:"), "@crossguard")] = true
		}
	}
	if lines[0] != "BEGIN:VCALENDAR" || events != wantActs {
		t.Errorf("activities.ics has %d events, want %d:\n%s", events, wantActs, ics.String())
	}
	for _, a := range acts.Items {
		if !uids[a.ID] {
			t.Errorf("activities.ics has no event for activity %s %q", a.ID, a.Title)
		}
	}
}
