package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/syncbuf"
)

// TestDemoCommand runs `crossguard demo` on the command's own wiring (the
// demo itself is tested in internal/demo) and checks what the command
// line promises: three nodes printed, the printed password signs in to
// the web pages the command mounts, the printed `agreement status`
// command runs on headquarters' data directory while the demo serves it,
// and the demo stops cleanly.
func TestDemoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes")
	}
	var out, errOut syncbuf.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, env, []string{"demo", "--data", t.TempDir(), "--listen", "127.0.0.1:0",
			"--federation-listen", "127.0.0.1:0", "--seizures", "10", "--declarations", "0", "--every", "-1s", "--log-level", "error"})
	}()
	// A bound on the loop, not a speed target.
	for i := 0; !strings.Contains(out.String(), "Press Ctrl-C"); i++ {
		select {
		case err := <-done:
			t.Fatalf("demo returned %v before it started:\n%s\n%s", err, out.String(), errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
		if i == 1200 {
			t.Fatalf("the demo did not start:\n%s", out.String())
		}
	}
	printed := out.String()
	web := regexp.MustCompile(`(?m)^  web +(http://[0-9.:]+)/ `).FindAllStringSubmatch(printed, -1)
	if len(web) != 3 {
		t.Fatalf("demo printed %d web URLs, want 3:\n%s", len(web), printed)
	}
	checkDemoWeb(t, printed, web[1][1])

	status := regexp.MustCompile(`(?m)^  status +go run ./cmd/crossguard (agreement status \S+ --data \S+)$`).FindStringSubmatch(printed)
	if status == nil {
		t.Fatalf("the demo printed no agreement status command:\n%s", printed)
	}
	var cliOut, cliErr bytes.Buffer
	cliEnv := &Env{Stdin: strings.NewReader(""), Stdout: &cliOut, Stderr: &cliErr, Getenv: func(string) string { return "" }}
	if err := Run(ctx, cliEnv, append(strings.Fields(status[1]), "--log-level", "error")); err != nil {
		t.Errorf("%s: %v\n%s", status[1], err, cliErr.String())
	} else if first := strings.SplitN(cliOut.String(), "\n", 4); len(first) < 4 || !strings.HasPrefix(first[3], crossguard.StatusOverdue) {
		t.Errorf("agreement status does not list an overdue commitment first:\n%s", cliOut.String())
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

// TestDemoRefusesPostgres checks that the demo, which runs on the
// embedded database only, refuses --db before it creates anything.
func TestDemoRefusesPostgres(t *testing.T) {
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err := Run(context.Background(), env, []string{"demo", "--data", t.TempDir(), "--db", "postgres://127.0.0.1/none"})
	if err == nil || !strings.Contains(err.Error(), "embedded database only") {
		t.Fatalf("demo --db: %v, want a refusal naming the embedded database", err)
	}
}
