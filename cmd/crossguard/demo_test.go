package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
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

// TestDemoThreeNodesExchange runs the demo and checks that its three nodes
// exchange records as their rules say, and that it stops cleanly.
func TestDemoThreeNodesExchange(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	var out, errOut syncBuffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, env, []string{"demo", "--data", t.TempDir(), "--listen", "127.0.0.1:0",
			"--federation-listen", "127.0.0.1:0", "--seizures", "40", "--every", "300ms", "--log-level", "error"})
	}()
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
