//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"crossguard"
	"crossguard/datadir"
	"crossguard/internal/testnode"
	"crossguard/sample"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// backlogDataVersion changes when the origin's cached benchmark data must
// be made again.
const backlogDataVersion = 1

// backlogLimit bounds how long BenchmarkBacklogMemory waits for the sync:
// a bound on the loop, not a speed target.
const backlogLimit = 4 * time.Hour

// BenchmarkBacklogMemory runs two `crossguard serve` processes on loopback:
// origin A (pk-customs/sost) holding CROSSGUARD_BENCH_BACKLOG_N sample
// seizures (default 1,000,000), about two thirds of them shareable with a
// partner, and B (cn-customs/tashkurgan), a partner just peered and
// empty. It waits until B holds every record it may have (B's peer status
// through GET /api/v1/peers), sampling both processes' resident set from
// /proc, and reports each one's peak (VmHWM) in MiB and the records B
// received per second, from starting A to B caught up. It fails if either
// process peaks at 300 MiB or more. A's data directory is made once per N
// and schema under os.TempDir() (for 1,000,000 seizures that takes
// minutes) and copied for each run. Run it with -benchtime=1x.
func BenchmarkBacklogMemory(b *testing.B) {
	n := 1000000
	if s := os.Getenv("CROSSGUARD_BENCH_BACKLOG_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("CROSSGUARD_BENCH_BACKLOG_N=%q is not a positive number", s)
		}
		n = v
	}
	bin := benchBinary(b)
	origin, shared := backlogOrigin(b, bin, n)
	for range b.N {
		runBacklog(b, bin, origin, n, shared)
	}
}

// benchBinary builds cmd/crossguard for a benchmark.
func benchBinary(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "crossguard")
	if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// benchCLI runs the binary with args to completion and returns its stdout.
func benchCLI(b *testing.B, bin string, args ...string) string {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CROSSGUARD_DATA=", "CROSSGUARD_DB=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("crossguard %v: %v\n%s%s", args, err, out, stderr.String())
	}
	return string(out)
}

// backlogOrigin returns the data directory of an origin node holding n
// sample seizures, and how many of them a partner may receive. It makes
// the directory once under os.TempDir(), keyed by n and the SQLite schema,
// and reuses it on later runs.
func backlogOrigin(b *testing.B, bin string, n int) (string, int) {
	b.Helper()
	fp := storetest.Fingerprint(b, os.DirFS(filepath.Join("..", "..", "sqlite", "migrations")), backlogDataVersion)
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("crossguard-bench-backlog-%d-%s", n, fp))
	if data, err := os.ReadFile(dir + ".shared"); err == nil {
		if shared, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			return dir, shared
		}
	}
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		b.Fatal(err)
	}
	benchCLI(b, bin, "init", "--agency", "pk-customs", "--node", "sost", "--country", "PK",
		"--name", "Pakistan Customs, Sost dry port", "--data", tmp)
	start := time.Now()
	shared := fillBacklog(b, tmp, n)
	b.Logf("made the origin's %d seizures (%d shareable) in %s", n, shared, time.Since(start).Round(time.Second))
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dir+".shared", []byte(strconv.Itoa(shared)), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, shared
}

// fillBacklog records n sample seizures at the node in data directory
// path, in transactions of 1000, and returns how many of them a partner
// of another agency, given every kind up to TLP:RED, may receive.
func fillBacklog(b *testing.B, path string, n int) int {
	b.Helper()
	d, err := datadir.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	store, err := sqlite.Open(b.Context(), d.SQLitePath(), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	nd := testnode.New(d.Info, store, nil)
	partner := &crossguard.Peer{Card: crossguard.NodeCard{ID: "cn-customs/any", Agency: "cn-customs"},
		Relationship: crossguard.RelPartner, Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed}
	shared, done := 0, 0
	batch := make([]*crossguard.Seizure, 0, 1000)
	flush := func() error {
		if err := store.CreateSeizures(b.Context(), "bench", batch, nil); err != nil {
			return err
		}
		if done += len(batch); done%100000 == 0 {
			fmt.Fprintf(os.Stderr, "backlog origin: %d of %d seizures recorded\n", done, n)
		}
		batch = batch[:0]
		return nil
	}
	err = sample.Each(n, 1, time.Now(), func(s *crossguard.Seizure) error {
		if err := nd.PrepareSeizure(s); err != nil {
			return err
		}
		if ok, _ := crossguard.MayShare(d.Info.ID, partner, &s.Header); ok {
			shared++
		}
		if batch = append(batch, s); len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		b.Fatalf("record the origin's seizures: %v", err)
	}
	if err := store.Close(); err != nil {
		b.Fatal(err)
	}
	return shared
}

// runBacklog syncs a copy of the origin to a new partner with two serve
// processes and reports the figures of BenchmarkBacklogMemory.
func runBacklog(b *testing.B, bin, origin string, n, shared int) {
	b.Helper()
	work := b.TempDir()
	aDir, bDir := filepath.Join(work, "a"), filepath.Join(work, "b")
	copyDir(b, origin, aDir)
	portA, portB := freePort(b), freePort(b)
	benchCLI(b, bin, "init", "--agency", "cn-customs", "--node", "tashkurgan", "--country", "CN",
		"--name", "China Customs, Tashkurgan", "--federation-url", "https://127.0.0.1:"+portB, "--data", bDir)
	// A's directory was made before its port was known: its card gets the
	// address it serves on now.
	var cardA crossguard.NodeCard
	if err := json.Unmarshal([]byte(benchCLI(b, bin, "node", "card", "--data", aDir)), &cardA); err != nil {
		b.Fatal(err)
	}
	cardA.URL = "https://127.0.0.1:" + portA
	aCard, bCard := filepath.Join(work, "a.card.json"), filepath.Join(work, "b.card.json")
	cardJSON, _ := json.Marshal(cardA)
	if err := os.WriteFile(aCard, cardJSON, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(bCard, []byte(benchCLI(b, bin, "node", "card", "--data", bDir)), 0o644); err != nil {
		b.Fatal(err)
	}
	policy := []string{"--relationship", "partner", "--kinds", "seizure,annotation", "--max-tlp", "red"}
	benchCLI(b, bin, append([]string{"peer", "add", bCard, "--data", aDir}, policy...)...)
	benchCLI(b, bin, append([]string{"peer", "add", aCard, "--data", bDir}, policy...)...)
	token := lastLine(benchCLI(b, bin, "user", "add", "bench", "--role", "admin", "--data", bDir))

	start := time.Now()
	procA, _ := startServe(b, bin, aDir, portA, filepath.Join(work, "a.log"))
	procB, apiB := startServe(b, bin, bDir, portB, filepath.Join(work, "b.log"))
	rss := sampleRSS(procA.Process.Pid, procB.Process.Pid)
	status := waitBacklog(b, apiB, token, cardA.ID, int64(n))
	took := time.Since(start)
	peaks := rss.stop()
	for _, p := range []*exec.Cmd{procA, procB} {
		p.Process.Signal(syscall.SIGTERM)
		p.Wait()
	}
	if status.Received != int64(shared) || status.Refused != 0 {
		b.Fatalf("B received %d records and refused %d, want %d and 0", status.Received, status.Refused, shared)
	}
	b.ReportMetric(float64(shared)/took.Seconds(), "records/s")
	b.ReportMetric(float64(peaks[0])/(1<<20), "A-peak-RSS-MiB")
	b.ReportMetric(float64(peaks[1])/(1<<20), "B-peak-RSS-MiB")
	for i, name := range []string{"A (origin)", "B (receiver)"} {
		if peaks[i] >= 300<<20 {
			b.Errorf("%s peaked at %d MiB of RSS, want under 300", name, peaks[i]>>20)
		}
	}
}

// copyDir copies the regular files of directory from into a new
// directory to.
func copyDir(b *testing.B, from, to string) {
	b.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			b.Fatal(err)
		}
	}
}

// copyFile copies one file, keeping its permission bits.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	return out.Close()
}

// freePort returns a loopback port that was free a moment ago.
func freePort(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// startServe starts `crossguard serve` on data directory dir with its
// federation listener on fedPort, logging to logPath, and returns the
// process and the base URL of its API.
func startServe(b *testing.B, bin, dir, fedPort, logPath string) (*exec.Cmd, string) {
	b.Helper()
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--federation-listen", "127.0.0.1:"+fedPort, "--data", dir)
	cmd.Env = append(os.Environ(), "CROSSGUARD_DATA=", "CROSSGUARD_DB=")
	logFile, err := os.Create(logPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { logFile.Close() })
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	i := strings.Index(line, "http://")
	if err != nil || i < 0 {
		b.Fatalf("serve said %q (%v); its log is in %s", line, err, logPath)
	}
	go io.Copy(io.Discard, stdout)
	return cmd, strings.TrimSpace(line[i:])
}

// waitBacklog polls B's GET /api/v1/peers every second until its status
// of peer says it applied peer's changes up to at least head, and returns
// that status.
func waitBacklog(b *testing.B, api, token, peer string, head int64) crossguard.PeerStatus {
	b.Helper()
	deadline := time.Now().Add(backlogLimit)
	for {
		req, _ := http.NewRequest(http.MethodGet, api+"/api/v1/peers", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatalf("GET /api/v1/peers: %v", err)
		}
		var page struct {
			Items []crossguard.Peer `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET /api/v1/peers: %s, %v", resp.Status, err)
		}
		for _, p := range page.Items {
			if p.Card.ID == peer && p.Status.RemoteHead >= head && p.Status.Cursor >= p.Status.RemoteHead {
				return p.Status
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("gave up after %s waiting for B to catch up: %+v", backlogLimit, page.Items)
		}
		time.Sleep(time.Second)
	}
}

// rssSampler samples the resident set of processes until stopped.
type rssSampler struct {
	pids  []int
	stopc chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	peak  []int64 // the largest VmRSS seen of each process
}

// sampleRSS starts sampling the VmRSS of pids every 100 ms.
func sampleRSS(pids ...int) *rssSampler {
	s := &rssSampler{pids: pids, stopc: make(chan struct{}), peak: make([]int64, len(pids))}
	s.wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			s.sample("VmRSS")
			select {
			case <-s.stopc:
				return
			case <-tick.C:
			}
		}
	})
	return s
}

// sample raises each process's peak to its field (VmRSS or VmHWM) now.
func (s *rssSampler) sample(field string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, pid := range s.pids {
		if v := procStatus(pid, field); v > s.peak[i] {
			s.peak[i] = v
		}
	}
}

// stop stops sampling and returns each process's peak resident set: the
// kernel's high-water mark (VmHWM), or the largest sample if higher.
func (s *rssSampler) stop() []int64 {
	close(s.stopc)
	s.wg.Wait()
	s.sample("VmHWM")
	return s.peak
}

// procStatus returns a size field of /proc/PID/status in bytes, or 0.
func procStatus(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}
