package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/node"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// demoNodeURLs parses the demo's output into each node's API base URL and
// its tokens by role.
func demoNodeURLs(out string) (map[string]string, map[string]map[string]string) {
	urls, tokens := map[string]string{}, map[string]map[string]string{}
	var cur string
	head := regexp.MustCompile(`^([a-z-]+/[a-z-]+) \(`)
	url := regexp.MustCompile(`^  URL +(http://[0-9.:]+)/api/v1/seizures`)
	token := regexp.MustCompile(`(admin|analyst|officer|auditor) +(cg_[A-Za-z0-9_-]+)$`)
	for _, line := range strings.Split(out, "\n") {
		if m := head.FindStringSubmatch(line); m != nil {
			cur = m[1]
			tokens[cur] = map[string]string{}
		}
		if m := url.FindStringSubmatch(line); m != nil && cur != "" {
			urls[cur] = m[1]
		}
		if m := token.FindStringSubmatch(line); m != nil && cur != "" {
			tokens[cur][m[1]] = m[2]
		}
	}
	return urls, tokens
}

// TestDemoThreeNodesExchange runs the demo and checks that its three
// nodes exchange records as their rules say, that its crossing points
// target declarations (see checkDemoRisk), that the joint operation and
// the cooperation agreement reach both agencies (checkDemoOps,
// checkDemoProgramme), and that it stops cleanly. It runs on the wiring
// of testConfig; cmd/crossguard's TestDemoCommand runs the demo on the
// command's own.
func TestDemoThreeNodesExchange(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	var out, errOut syncBuffer
	started := make(chan demoRun, 1)
	demoStarted = func(nodes []*demoNode, ops *demoOps) { started <- demoRun{nodes, ops} }
	defer func() { demoStarted = nil }()
	cfg := testConfig(t, &out, &errOut)
	cfg.Seizures, cfg.Declarations, cfg.Every = 40, 1500, 300*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg) }()
	waitUntil(t, "the demo to start", func() bool { return strings.Contains(out.String(), "Press Ctrl-C") }, done)
	urls, tokens := demoNodeURLs(out.String())
	if len(urls) != 3 {
		t.Fatalf("demo printed %d node URLs, want 3:\n%s", len(urls), out.String())
	}
	get := func(node, role, path string, v any) {
		t.Helper()
		req, _ := http.NewRequest("GET", urls[node]+path, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[node][role])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s%s: %v", node, path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s%s: %s", node, path, resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	origins := func(node string) map[string]int {
		seen := map[string]int{}
		var page crossguard.SeizurePage
		get(node, "analyst", "/api/v1/seizures?limit=500", &page)
		for _, s := range page.Items {
			seen[s.Origin]++
		}
		return seen
	}
	// Headquarters gets the post's and Tashkurgan's records; Tashkurgan gets
	// the post's through headquarters; the post gets Tashkurgan's only as
	// far as network distribution lets headquarters relay them.
	waitUntil(t, "records from both agencies at every node", func() bool {
		hq, cn, post := origins("pk-customs/hq"), origins("cn-customs/tashkurgan"), origins("pk-customs/sost")
		return hq["pk-customs/sost"] > 0 && hq["cn-customs/tashkurgan"] > 0 && cn["pk-customs/sost"] > 0 && post["cn-customs/tashkurgan"] > 0
	}, done)
	var peers struct {
		Items []struct {
			Card   crossguard.NodeCard   `json:"card"`
			Status crossguard.PeerStatus `json:"status"`
		} `json:"items"`
	}
	get("pk-customs/hq", "admin", "/api/v1/peers", &peers)
	if len(peers.Items) != 2 {
		t.Fatalf("headquarters has %d peers, want 2", len(peers.Items))
	}
	for _, p := range peers.Items {
		if p.Status.LastExchange == nil || p.Status.Received == 0 {
			t.Errorf("headquarters' peer %s: %+v", p.Card.ID, p.Status)
		}
	}
	checkDemoRisk(t, out.String(), urls, tokens, done)
	run := <-started
	checkDemoOps(t, out.String(), urls, tokens, run, done)
	checkDemoProgramme(t, out.String(), urls, tokens, run, done)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo stopped with %v\n%s", err, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop within 30 s of its context ending")
	}
}

// demoClient calls one demo node's API as one of its users.
type demoClient struct {
	t     *testing.T
	url   string
	token string
}

// do sends a request and decodes a 200 answer into v.
func (c demoClient) do(method, path, body string, v any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		var e bytes.Buffer
		e.ReadFrom(resp.Body)
		c.t.Fatalf("%s %s%s: %s %s", method, c.url, path, resp.Status, e.String())
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
}

// profileStates returns the state of each profile a node holds, by name.
func (c demoClient) profileStates() map[string]string {
	c.t.Helper()
	var page struct {
		Items []struct {
			Name  string `json:"name"`
			State string `json:"state"`
		} `json:"items"`
	}
	c.do("GET", "/api/v1/profiles", "", &page)
	out := map[string]string{}
	for _, p := range page.Items {
		out[p.Name] = p.State
	}
	return out
}

// demoDecideBodies returns the printed requests to decide a declaration,
// by node URL, checking that each uses one of the officers' tokens.
func demoDecideBodies(t *testing.T, out string, officers ...string) map[string]string {
	t.Helper()
	bodies := map[string]string{}
	decide := regexp.MustCompile(`(?m)^ +decide +curl -H 'Authorization: Bearer (cg_[^']+)' -H 'Content-Type: application/json' -d '([^']+)' '(http://[0-9.:]+)/api/v1/declarations'$`)
	for _, m := range decide.FindAllStringSubmatch(out, -1) {
		if !slices.Contains(officers, m[1]) {
			t.Errorf("the decide request for %s does not use an officer's token", m[3])
		}
		bodies[m[3]] = m[2]
	}
	return bodies
}

// checkDemoRisk checks risk targeting in the running demo: the crossing
// points have an active model, headquarters' profiles are active at the
// post and, at Tashkurgan, inactive unless adopted, the declaration the
// demo prints for the post gets a decision with its reasons, and the
// statistics answer.
func checkDemoRisk(t *testing.T, out string, urls map[string]string, tokens map[string]map[string]string, done <-chan error) {
	t.Helper()
	post, cn := "pk-customs/sost", "cn-customs/tashkurgan"
	analyst := func(node string) demoClient { return demoClient{t, urls[node], tokens[node]["analyst"]} }

	bodies := demoDecideBodies(t, out, tokens[post]["officer"], tokens[cn]["officer"])
	if bodies[urls[post]] == "" || bodies[urls[cn]] == "" || len(bodies) != 2 {
		t.Fatalf("the demo printed decide requests for %v, want the post and Tashkurgan:\n%s", bodies, out)
	}

	var models struct {
		Items []crossguard.ModelInfo `json:"items"`
	}
	active := map[string]int64{}
	for _, node := range []string{post, cn} {
		analyst(node).do("GET", "/api/v1/models", "", &models)
		for _, m := range models.Items {
			if m.Active {
				active[node] = m.Version
			}
		}
		if active[node] == 0 {
			t.Fatalf("%s has no active model: %+v", node, models.Items)
		}
		if !strings.Contains(out, fmt.Sprintf("model       v%d active", active[node])) {
			t.Errorf("the demo does not say that model v%d is active at %s", active[node], node)
		}
	}

	const opium, cigarettes, firearms = "Opium alkaloids declared cheap", "Cigarettes below duty-paid value", "Sporting firearms"
	waitUntil(t, "headquarters' profiles at the post and Tashkurgan", func() bool {
		p, c := analyst(post).profileStates(), analyst(cn).profileStates()
		return p[opium] != "" && p[cigarettes] != "" && p[firearms] != "" && c[opium] == "active" && c[cigarettes] != ""
	}, done)
	p, c := analyst(post).profileStates(), analyst(cn).profileStates()
	for _, name := range []string{opium, cigarettes, firearms} {
		if p[name] != "active" {
			t.Errorf("headquarters' profile %q is %s at the post; a profile of the post's own agency must be active", name, p[name])
		}
	}
	if c[cigarettes] != "inactive" {
		t.Errorf("headquarters' profile %q is %s at Tashkurgan; a partner's profile must stay inactive until adopted", cigarettes, c[cigarettes])
	}
	if _, ok := c[firearms]; ok {
		t.Errorf("headquarters' agency-only profile %q reached Tashkurgan", firearms)
	}

	// The printed declaration: the watch list, the model and (once the
	// post has loaded headquarters' profiles) the profile say why.
	officer := demoClient{t, urls[post], tokens[post]["officer"]}
	var dec crossguard.Decision
	officer.do("POST", "/api/v1/declarations", bodies[urls[post]], &dec)
	kinds := map[string]int{}
	for _, r := range dec.Reasons {
		kinds[r.Type]++
		if r.Text == "" {
			t.Errorf("reason %+v has no text", r)
		}
	}
	if dec.Channel != crossguard.ChannelRed || dec.SelectedBy != crossguard.SelectedWatchlist || kinds["watchlist"] != 1 || kinds["model"] == 0 || dec.ModelVersion != active[post] {
		t.Errorf("the printed declaration got %+v; want red by the watch list, with the model's reasons", dec)
	}
	var example map[string]any
	if err := json.Unmarshal([]byte(bodies[urls[post]]), &example); err != nil {
		t.Fatal(err)
	}
	i, last := 0, time.Time{}
	waitUntil(t, "the post to apply headquarters' profile", func() bool {
		if p[opium] != "active" {
			return true // already reported
		}
		if time.Since(last) < 250*time.Millisecond {
			return false
		}
		i, last = i+1, time.Now()
		example["declaration_id"] = fmt.Sprintf("demo-test-%d", i)
		b, _ := json.Marshal(example)
		var d crossguard.Decision
		officer.do("POST", "/api/v1/declarations", string(b), &d)
		for _, r := range d.Reasons {
			if r.Type == crossguard.ReasonProfile && r.Name == opium {
				return true
			}
		}
		return false
	}, done)

	for _, node := range []string{post, cn} {
		var st crossguard.RiskStats
		analyst(node).do("GET", "/api/v1/risk/stats", "", &st)
		if st.Total == 0 || len(st.Channels) == 0 || st.Model == nil || st.Model.Inspected == 0 {
			t.Errorf("risk stats at %s: %+v; the demo's decisions and inspections should show", node, st)
		}
	}
}

// waitUntil polls cond every 50 ms for at most a minute (a bound on the
// loop, not a speed target), failing early if the demo returns.
func waitUntil(t *testing.T, what string, cond func() bool, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		select {
		case err := <-done:
			t.Fatalf("demo returned %v while waiting for %s", err, what)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// demoRun is what the running demo set up, as the tests see it.
type demoRun struct {
	nodes []*demoNode
	ops   *demoOps
}

// checkDemoOps checks the demo's joint operation: the demo prints it and
// the requests for its report, the operation and headquarters' warnings
// reach Tashkurgan, the feedback of Tashkurgan and the post reaches
// headquarters, both agencies' reports agree once synced, and a
// declaration at Khunjerab in the container of the open warning gets the
// warning's channel with a reason naming the warning.
func checkDemoOps(t *testing.T, out string, urls map[string]string, tokens map[string]map[string]string, run demoRun, done <-chan error) {
	t.Helper()
	ctx := context.Background()
	hq, cn := run.nodes[0], run.nodes[2]
	op := run.ops.op
	if op == nil || len(run.ops.warnings) != len(demoHQWarnings) {
		t.Fatalf("the demo opened no operation with %d warnings: %+v", len(demoHQWarnings), run.ops)
	}
	if op.Name != demoOperationName || !slices.Equal(op.Participants, []string{"cn-customs", "pk-customs"}) || op.Status(time.Now()) != crossguard.OperationRunning {
		t.Errorf("operation %+v; want %q of both agencies, running", op, demoOperationName)
	}
	for _, node := range []string{"pk-customs/hq", "cn-customs/tashkurgan"} {
		want := fmt.Sprintf("-H 'Authorization: Bearer %s' '%s/api/v1/operations/%s/report'", tokens[node]["analyst"], urls[node], op.ID)
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not print the request for the report at %s (%s):\n%s", node, want, out)
		}
	}

	ids := []string{op.ID}
	for _, w := range run.ops.warnings {
		ids = append(ids, w.ID)
	}
	waitUntil(t, "the operation and headquarters' warnings at Tashkurgan", func() bool {
		for _, id := range ids {
			if _, err := cn.Node.Store.Record(ctx, id); err != nil {
				return false
			}
		}
		return true
	}, done)

	feedback := func() map[string]string {
		recs, err := hq.Node.Store.RecordsOfKind(ctx, crossguard.KindFeedback)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range recs {
			var f crossguard.Feedback
			if err := json.Unmarshal(r.Body, &f); err != nil {
				t.Fatal(err)
			}
			got[f.Result] = f.Origin
		}
		return got
	}
	wantFeedback := map[string]string{crossguard.FeedbackSeized: "cn-customs/tashkurgan",
		crossguard.FeedbackInspectedNothingFound: "cn-customs/tashkurgan", crossguard.FeedbackNotSeen: "pk-customs/sost"}
	waitUntil(t, "the feedback of Tashkurgan and the post at headquarters", func() bool { return len(feedback()) == len(wantFeedback) }, done)
	if got := feedback(); !maps.Equal(got, wantFeedback) {
		t.Errorf("feedback at headquarters by result: %v, want %v", got, wantFeedback)
	}

	report := func(n *demoNode) *node.OperationReport {
		r, err := n.Node.OperationReport(ctx, "demo-test", op.ID)
		if err != nil {
			t.Fatalf("report at %s: %v", n.Dir.Info.ID, err)
		}
		return r
	}
	waitUntil(t, "the same report at both agencies", func() bool {
		a, b := report(hq), report(cn)
		return a.Warnings == 4 && a.Feedback == 3 && a.Seizures == 1 && reflect.DeepEqual(a, b)
	}, done)
	r := report(hq)
	if r.Answered != 3 || r.Hits != 1 || len(r.Categories) != 1 || r.Categories[0].Category != "narcotics" ||
		!slices.Equal(r.Categories[0].Quantities, []node.Quantity{{Unit: "kg", Amount: 38.6}}) {
		t.Errorf("report %+v; want 4 warnings, 3 answered, one hit: the 38.6 kg of opium seized at Tashkurgan", r)
	}

	// The live traffic at Tashkurgan carries the container of the open
	// warning, and none at the post, which holds no partner's container
	// warning.
	open := run.ops.warnings[2]
	if got := warnedContainer(ctx, cn); got != open.Identifiers[0].Value {
		t.Errorf("the live traffic at Tashkurgan carries warned container %q, want %q (the open warning's)", got, open.Identifiers[0].Value)
	}
	if got := warnedContainer(ctx, run.nodes[1]); got != "" {
		t.Errorf("the live traffic at the post carries warned container %q, want none", got)
	}

	// Tashkurgan reloads its watch list every few seconds: submit new
	// declarations in the open warning's container until one gets it.
	body := demoDecideBodies(t, out, tokens["pk-customs/sost"]["officer"], tokens["cn-customs/tashkurgan"]["officer"])[urls["cn-customs/tashkurgan"]]
	var d map[string]any
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("the decide request for Tashkurgan: %v (%q)", err, body)
	}
	d["identifiers"] = []crossguard.Identifier{open.Identifiers[0]}
	officer := demoClient{t, urls["cn-customs/tashkurgan"], tokens["cn-customs/tashkurgan"]["officer"]}
	var dec crossguard.Decision
	var reason *crossguard.Reason
	i, last := 0, time.Time{}
	waitUntil(t, "a decision at Tashkurgan naming the open warning", func() bool {
		if time.Since(last) < 250*time.Millisecond {
			return false
		}
		i, last = i+1, time.Now()
		d["declaration_id"] = fmt.Sprintf("demo-test-warned-%d", i)
		b, _ := json.Marshal(d)
		officer.do("POST", "/api/v1/declarations", string(b), &dec)
		for _, x := range dec.Reasons {
			if x.Type == crossguard.ReasonWarning {
				reason = &x
			}
		}
		return reason != nil
	}, done)
	if dec.Channel != open.SuggestedChannel || reason.Channel != open.SuggestedChannel ||
		!strings.Contains(reason.Text, open.ID) || !strings.Contains(reason.Text, "pk-customs") {
		t.Errorf("decision %+v with reason %+v; want channel %s and a reason naming warning %s of pk-customs", dec, reason, open.SuggestedChannel, open.ID)
	}
}

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
