package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"crossguard"
	"crossguard/storetest"

	_ "modernc.org/sqlite"
)

// binary is the crossguard binary built once for the process tests.
var binary struct {
	once sync.Once
	path string
	err  error
}

// buildBinary builds cmd/crossguard into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "crossguard-bin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "crossguard")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// proc runs the built binary against one data directory.
type proc struct {
	t    *testing.T
	bin  string
	data string
}

func newProc(t *testing.T) *proc {
	t.Helper()
	return &proc{t: t, bin: buildBinary(t), data: filepath.Join(t.TempDir(), "node")}
}

// command returns an exec.Cmd for args with --data appended.
func (p *proc) command(args ...string) *exec.Cmd {
	cmd := exec.Command(p.bin, append(args, "--data", p.data)...)
	cmd.Env = append(os.Environ(), "CROSSGUARD_DATA=", "CROSSGUARD_DB=")
	return cmd
}

// must runs args to completion and returns stdout.
func (p *proc) must(args ...string) string {
	p.t.Helper()
	cmd := p.command(args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		p.t.Fatalf("crossguard %v: %v\n%s%s", args, err, out, stderr.String())
	}
	return string(out)
}

// serve starts `crossguard serve` and returns the process and its base URL,
// read from its first line of output.
func (p *proc) serve(extra ...string) (*exec.Cmd, string) {
	p.t.Helper()
	cmd, base, _ := p.serveLogged(extra...)
	return cmd, base
}

// serveLogged is serve that also returns the server's log, so that a test
// can wait for the line saying that something happened.
func (p *proc) serveLogged(extra ...string) (*exec.Cmd, string, *lineLog) {
	p.t.Helper()
	args := []string{"serve", "--listen", "127.0.0.1:0"}
	if !slices.Contains(extra, "--federation-listen") {
		args = append(args, "--federation-listen", "127.0.0.1:0")
	}
	cmd := p.command(append(args, extra...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		p.t.Fatal(err)
	}
	cmd.Stderr = w
	err = cmd.Start()
	w.Close() // the child holds its own end: the log ends when it exits
	if err != nil {
		r.Close()
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	log := readLines(r)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		p.t.Fatalf("serve printed nothing: %v\n%s", err, log)
	}
	i := strings.Index(line, "http://")
	if i < 0 {
		p.t.Fatalf("serve said %q", line)
	}
	go io.Copy(io.Discard, stdout)
	return cmd, strings.TrimSpace(line[i:]), log
}

func TestServeWhileCLIWritesAndShutDownGracefully(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	token := lastLine(p.must("user", "add", "amina", "--role", "officer"))
	cmd, base, log := p.serveLogged()

	get := func(path string) int {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("/healthz"); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	// A command writing to the same data directory while the server runs.
	file := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(file, []byte(storetest.ExampleSeizureJSON), 0o644)
	p.must("seizure", "add", file)
	if code := get("/api/v1/seizures?hs=2939"); code != 200 {
		t.Fatalf("list: %d", code)
	}
	// A token added by the CLI works at once in the running server.
	token2 := lastLine(p.must("user", "add", "bilal", "--role", "analyst"))
	token = token2
	if code := get("/api/v1/seizures"); code != 200 {
		t.Fatalf("list with a token made while serving: %d", code)
	}

	// Start a request, send SIGTERM while its body is still arriving, and
	// check that it completes. The request expects "100 Continue", which
	// the server sends when the handler first reads the body: then the
	// request is in the handler. The server logs that it is shutting down
	// once it has the signal: then the rest of the body arrives during
	// the shutdown.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	replies := bufio.NewReader(conn)
	half := len(storetest.ExampleSeizureJSON) / 2
	fmt.Fprintf(conn, "POST /api/v1/seizures HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n",
		token, len(storetest.ExampleSeizureJSON))
	if status, err := replies.ReadString('\n'); err != nil || !strings.Contains(status, "100 Continue") {
		t.Fatalf("a request expecting 100-continue: %q, %v", status, err)
	}
	if blank, err := replies.ReadString('\n'); err != nil || blank != "\r\n" {
		t.Fatalf("after 100 Continue: %q, %v", blank, err)
	}
	io.WriteString(conn, storetest.ExampleSeizureJSON[:half])
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, "shutting down http server")
	io.WriteString(conn, storetest.ExampleSeizureJSON[half:])
	status, err := replies.ReadString('\n')
	if err != nil || !strings.Contains(status, "201") {
		t.Fatalf("in-flight request after SIGTERM: %q, %v", status, err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM", err)
	}
	var page crossguard.SeizurePage
	if err := json.Unmarshal([]byte(p.must("seizure", "list", "--json")), &page); err != nil || len(page.Items) != 2 {
		t.Fatalf("want both seizures stored, got %d (%v)", len(page.Items), err)
	}
}

func TestServeReportsListenError(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err := p.command("serve", "--listen", ln.Addr().String()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "listen on") {
		t.Fatalf("serve on a taken port: %v\n%s", err, out)
	}
}

func TestServeRefusesSchemaBehindOrAhead(t *testing.T) {
	p := newProc(t)
	p.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	db, err := sql.Open("sqlite", filepath.Join(p.data, "crossguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var latest int
	if err := db.QueryRow("SELECT MAX(version) FROM schema_migrations").Scan(&latest); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01T00:00:00.000000Z')", latest+1); err != nil {
		t.Fatal(err)
	}
	out, err := p.command("serve", "--listen", "127.0.0.1:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "upgrade crossguard") {
		t.Fatalf("serve on a schema ahead: %v\n%s", err, out)
	}
	if _, err := db.Exec("DELETE FROM schema_migrations WHERE version >= ?", latest); err != nil {
		t.Fatal(err)
	}
	out, err = p.command("serve", "--listen", "127.0.0.1:0").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "crossguard migrate") {
		t.Fatalf("serve on a schema behind: %v\n%s", err, out)
	}
}
