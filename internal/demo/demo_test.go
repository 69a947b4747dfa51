package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/syncbuf"
)

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
	var out, errOut syncbuf.Buffer
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
