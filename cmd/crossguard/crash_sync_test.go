package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"crossguard"
	"crossguard/sample"
	"crossguard/sqlite"
)

// Sizes of the crash test: the origin's history, the kills of the
// receiver, and the small imports by which the origin records seizures
// while they happen.
const (
	crashHistory = 10000
	crashKills   = 8 // kills while it pulls, plus about a quarter more while it starts
	crashWrites  = 8 // small imports on the origin during the kills

	crashStartDelay = 300 * time.Millisecond // a kill anywhere from the start
	crashPullDelay  = 400 * time.Millisecond // a kill once a run has pulled past its target
)

// crashDelay returns a random delay below limit: half of the time uniform,
// half of the time log-uniform from 1 ms, so that short delays are well
// represented whatever the speed of the machine.
func crashDelay(rng *rand.Rand, limit time.Duration) time.Duration {
	if rng.IntN(2) == 0 {
		return time.Duration(rng.Int64N(int64(limit)))
	}
	return time.Duration(math.Exp(rng.Float64()*math.Log(float64(limit/time.Millisecond))) * float64(time.Millisecond))
}

// crashNode is one node of the crash test, run as real processes.
type crashNode struct {
	*proc
	id      string
	fedAddr string // the federation listener, fixed because it is on the card
	logPath string // stderr of every serve run, appended
}

// newCrashNode inits a node whose card points at a free loopback port.
func newCrashNode(t *testing.T, agency, name, country string) *crashNode {
	t.Helper()
	n := &crashNode{proc: newProc(t), id: agency + "/" + name, fedAddr: crashFreeAddr(t)}
	n.logPath = filepath.Join(t.TempDir(), name+".log")
	n.must("init", "--agency", agency, "--node", name, "--country", country, "--name", name,
		"--federation-url", "https://"+n.fedAddr)
	return n
}

// crashFreeAddr returns a loopback address with a port free right now.
func crashFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start starts `crossguard serve` on the node's federation address without
// waiting for it. served receives true once the server has printed its
// first line, or false if it exits first.
func (n *crashNode) start() (cmd *exec.Cmd, served <-chan bool) {
	n.t.Helper()
	cmd = n.command("serve", "--listen", "127.0.0.1:0", "--federation-listen", n.fedAddr, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		n.t.Fatal(err)
	}
	logFile, err := os.OpenFile(n.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		n.t.Fatal(err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	fmt.Fprintf(logFile, "--- serve started %s\n", time.Now().Format(time.RFC3339Nano))
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ch := make(chan bool, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, err := r.ReadString('\n')
		ch <- err == nil && strings.Contains(line, "serving on")
		for err == nil {
			_, err = r.ReadString('\n')
		}
	}()
	return cmd, ch
}

// startReady starts the server and waits until it serves.
func (n *crashNode) startReady() *exec.Cmd {
	n.t.Helper()
	cmd, served := n.start()
	if !<-served {
		n.t.Fatalf("%s: serve exited before serving:\n%s", n.id, n.logTail())
	}
	return cmd
}

// stop sends SIGTERM and expects a clean exit.
func (n *crashNode) stop(cmd *exec.Cmd) {
	n.t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		n.t.Fatalf("%s: SIGTERM: %v", n.id, err)
	}
	if err := cmd.Wait(); err != nil {
		n.t.Errorf("%s: serve exited with %v after SIGTERM:\n%s", n.id, err, n.logTail())
	}
}

// logTail returns the end of the node's serve log, for failure messages.
func (n *crashNode) logTail() string {
	b, _ := os.ReadFile(n.logPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// peer returns the node's view of the exchange with peer id, read with
// `crossguard peer list --json`.
func (n *crashNode) peer(id string) crossguard.Peer {
	n.t.Helper()
	var peers []crossguard.Peer
	if err := json.Unmarshal([]byte(n.must("peer", "list", "--json")), &peers); err != nil {
		n.t.Fatalf("%s: peer list --json: %v", n.id, err)
	}
	for _, p := range peers {
		if p.Card.ID == id {
			return p
		}
	}
	n.t.Fatalf("%s: peer %s not listed", n.id, id)
	return crossguard.Peer{}
}

// run runs a command to completion, for goroutines that cannot call
// t.Fatal.
func (n *crashNode) run(args ...string) error {
	if out, err := n.command(args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s: crossguard %v: %v\n%s", n.id, args, err, out)
	}
	return nil
}

// openStore opens the node's SQLite database in this process.
func (n *crashNode) openStore(ctx context.Context) *sqlite.Store {
	n.t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(n.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		n.t.Fatalf("%s: %v", n.id, err)
	}
	return s
}

// head returns the node's last change sequence number.
func (n *crashNode) head(ctx context.Context) int64 {
	n.t.Helper()
	s := n.openStore(ctx)
	defer s.Close()
	_, head, err := s.Changes(ctx, 0, 0)
	if err != nil {
		n.t.Fatalf("%s: %v", n.id, err)
	}
	return head
}

// crashCSV writes count sample seizures to a new CSV file.
func crashCSV(t *testing.T, count int, seed int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("seizures-%d.csv", seed))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := sample.WriteCSV(f, count, seed, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCrashDuringSyncLosesNothing kills the receiving node with SIGKILL at
// random points while it pulls a 10,000-seizure history from its partner
// (which keeps recording seizures meanwhile), restarts it each time, and
// checks that it ends with exactly the records the origin's policy lets
// it have, at their versions, each applied once, with a gap-free change
// feed and a cursor at the origin's head. Set CROSSGUARD_CRASH_SEED to
// replay a run.
func TestCrashDuringSyncLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("syncs 10,000 seizures between two processes, killing one of them repeatedly")
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("CROSSGUARD_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
			t.Fatalf("CROSSGUARD_CRASH_SEED: %v", err)
		}
	}
	t.Logf("seed %d (CROSSGUARD_CRASH_SEED=%d replays the choices of this run)", seed, seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x63726173))
	ctx := t.Context()

	origin := newCrashNode(t, "pk-customs", "sost", "PK")
	receiver := newCrashNode(t, "cn-customs", "tashkurgan", "CN")
	dir := t.TempDir()
	for _, pair := range [][2]*crashNode{{origin, receiver}, {receiver, origin}} {
		card := filepath.Join(dir, strings.ReplaceAll(pair[1].id, "/", "_")+".card.json")
		if err := os.WriteFile(card, []byte(pair[1].must("node", "card")), 0o600); err != nil {
			t.Fatal(err)
		}
		pair[0].must("peer", "add", card, "--relationship", "partner", "--kinds", "seizure,annotation", "--max-tlp", "red")
	}
	start := time.Now()
	origin.must("import", "seizures", crashCSV(t, crashHistory, seed), "--rejects", filepath.Join(dir, "history.rejects.csv"))
	t.Logf("imported %d seizures into %s in %s", crashHistory, origin.id, time.Since(start).Round(time.Millisecond))

	// The origin records a few seizures while the receiver is being killed,
	// at random moments: the pauses are kept, as they spread the writes over
	// the kills, which is what the test exercises; nothing waits on them.
	var writes []string
	for i := range crashWrites {
		writes = append(writes, crashCSV(t, 1+rng.IntN(4), seed+int64(i)+1))
	}
	originCmd := origin.startReady()
	writeErr := make(chan error, 1)
	writing := make(chan struct{})
	writerRNG := rand.New(rand.NewPCG(uint64(seed), 0x77726974))
	go func() {
		defer close(writing)
		for _, path := range writes {
			time.Sleep(time.Duration(50+writerRNG.IntN(400)) * time.Millisecond)
			if err := origin.run("import", "seizures", path); err != nil {
				writeErr <- err
				return
			}
		}
	}()

	// Kill the receiver at random points of the sync: each run is killed
	// a random delay after its cursor has passed the next of a sorted set
	// of random targets, and now and then a run is killed while it starts.
	// The random delays are kept: they choose the moment of each kill, the
	// behaviour under test, and the test holds whatever that moment is.
	// The waits for a cursor poll the peer's status in bounded loops.
	targets := make([]int64, crashKills)
	for i := range targets {
		targets[i] = 1 + rng.Int64N(crashHistory*9/10)
	}
	slices.Sort(targets)
	start = time.Now()
	kills, behind := 0, 0
	kill := func(cmd *exec.Cmd, when string) {
		t.Helper()
		kills++
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill %d %s: SIGKILL: %v\n%s", kills, when, err, receiver.logTail())
		}
		if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("kill %d %s: serve ended with %v, not killed:\n%s", kills, when, err, receiver.logTail())
		}
		t.Logf("kill %d %s", kills, when)
	}
	for _, target := range targets {
		if rng.IntN(4) == 0 {
			// While it starts: opening and recovering the database,
			// binding its listeners, its first request.
			cmd, served := receiver.start()
			delay := crashDelay(rng, crashStartDelay)
			time.Sleep(delay)
			select {
			case ok := <-served:
				kill(cmd, fmt.Sprintf("%s after it started (serving: %v)", delay.Round(time.Millisecond), ok))
			default:
				kill(cmd, fmt.Sprintf("%s after it started, before it served", delay.Round(time.Millisecond)))
			}
		}
		cmd := receiver.startReady()
		var st crossguard.PeerStatus
		for range 1500 {
			if st = receiver.peer(origin.id).Status; st.Cursor >= target {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if st.Cursor < target {
			t.Fatalf("the receiver makes no progress: cursor %d, status %+v\n%s", st.Cursor, st, receiver.logTail())
		}
		if st.Cursor < st.RemoteHead {
			behind++
		}
		delay := crashDelay(rng, crashPullDelay)
		time.Sleep(delay)
		kill(cmd, fmt.Sprintf("%s after its cursor passed %d (cursor %d of %d, received %d)",
			delay.Round(time.Millisecond), target, st.Cursor, st.RemoteHead, st.Received))
	}
	<-writing
	select {
	case err := <-writeErr:
		t.Fatal(err)
	default:
	}
	originHead := origin.head(ctx)
	t.Logf("%d kills in %s, %d of them seen behind the origin shortly before", kills, time.Since(start).Round(time.Millisecond), behind)

	// A last run catches up (if the kills did not leave it there).
	lastStart := time.Now()
	receiverCmd := receiver.startReady()
	var st crossguard.PeerStatus
	for range 600 {
		if st = receiver.peer(origin.id).Status; st.Cursor >= originHead {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st.Cursor != originHead {
		t.Fatalf("the receiver did not catch up: cursor %d, origin head %d, status %+v\n%s", st.Cursor, originHead, st, receiver.logTail())
	}
	caughtUp := time.Now()
	t.Logf("caught up %s after the last start", caughtUp.Sub(lastStart).Round(time.Millisecond))

	// Both stop gracefully, as a deployment would: while each long-polls
	// the other. The origin's puller backed off during the kills: wait
	// until it has read the whole of the restarted receiver's feed.
	receiverHead := receiver.head(ctx)
	for range 600 {
		if st = origin.peer(receiver.id).Status; st.LastExchange != nil && st.LastExchange.After(lastStart) && st.Cursor == receiverHead {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if st.LastExchange == nil || !st.LastExchange.After(lastStart) || st.Cursor != receiverHead {
		t.Fatalf("%s did not pull the feed of %s (head %d) after it restarted: %+v", origin.id, receiver.id, receiverHead, st)
	}
	t.Logf("%s caught up with %s %s after it did", origin.id, receiver.id, time.Since(caughtUp).Round(time.Millisecond))
	stopping := time.Now()
	receiver.stop(receiverCmd)
	origin.stop(originCmd)
	t.Logf("both stopped in %s", time.Since(stopping).Round(time.Millisecond))

	checkCrashSync(t, origin, receiver)
	for _, n := range []*crashNode{origin, receiver} {
		if out := n.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
			t.Errorf("%s: audit verify: %s", n.id, out)
		}
	}
}

// checkCrashSync compares the two stopped nodes' databases: the receiver
// holds exactly the origin's records that the origin's policy lets it
// have, at the origin's versions, each applied once.
func checkCrashSync(t *testing.T, origin, receiver *crashNode) {
	t.Helper()
	ctx := t.Context()
	ost, rs := origin.openStore(ctx), receiver.openStore(ctx)
	defer ost.Close()
	defer rs.Close()

	// What the origin's policy lets the receiver have.
	originChanges, originHead, err := ost.Changes(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := ost.Peer(ctx, receiver.id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	live := 0
	ownHeads := map[string]bool{} // the origin's audit heads, which travel beside the records
	for _, c := range originChanges {
		if c.Header.Kind == crossguard.KindAuditHead && c.Header.Origin == origin.id {
			ownHeads[c.Header.ID] = true
			continue
		}
		if c.State != crossguard.StateLive || c.Header.Origin != origin.id {
			t.Fatalf("origin holds %s %s from %s in state %s", c.Header.Kind, c.Header.ID, c.Header.Origin, c.State)
		}
		live++
		if ok, _ := crossguard.MayShare(origin.id, policy, &c.Header); ok {
			want[c.Header.ID] = c.Header.Version
		}
	}
	t.Logf("origin: %d seizures, head %d; %d of them for %s", live, originHead, len(want), receiver.id)
	if live < crashHistory || len(want) == 0 || len(want) == live {
		t.Fatalf("the origin's history is not the mix the test needs: %d seizures, %d shareable", live, len(want))
	}

	// What the receiver holds: every change in its feed, once.
	got, head, err := rs.Changes(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var missing, extra, wrong []string
	for i, c := range got {
		id := c.Header.ID
		if seen[id] {
			t.Errorf("the receiver lists %s twice in its feed", id)
		}
		seen[id] = true
		if c.Seq != int64(i+1) {
			t.Fatalf("the receiver's change %d has sequence number %d: a gap or a duplicate in its feed", i+1, c.Seq)
		}
		if c.Header.Kind == crossguard.KindAuditHead {
			if c.Header.Origin != receiver.id || c.Via != "" {
				t.Errorf("the receiver's feed holds audit head %s of %s via %q: only its own may be there", id, c.Header.Origin, c.Via)
			}
			continue
		}
		if c.State != crossguard.StateLive || c.Via != origin.id || c.Header.Origin != origin.id || c.Signed == nil {
			t.Errorf("the receiver holds %s in state %s from %s via %q (signed: %v)", id, c.State, c.Header.Origin, c.Via, c.Signed != nil)
		}
		v, ok := want[id]
		switch {
		case !ok:
			extra = append(extra, id)
		case v != c.Header.Version:
			wrong = append(wrong, fmt.Sprintf("%s at version %d, not %d", id, c.Header.Version, v))
		}
	}
	for id := range want {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	if len(missing)+len(extra)+len(wrong) > 0 {
		t.Fatalf("the receiver's records differ from the origin's visible set (%d records):\nmissing %d: %s\nnot allowed %d: %s\nwrong version %d: %s",
			len(want), len(missing), crashFirst(missing), len(extra), crashFirst(extra), len(wrong), crashFirst(wrong))
	}
	if head != int64(len(got)) {
		t.Errorf("the receiver's head is %d but its feed holds %d changes", head, len(got))
	}

	// The receiver kept the origin's audit heads it was served, each
	// once, whatever the kills (the origin signs a last one as it stops,
	// after the receiver stopped).
	kept, err := rs.AuditHeadsOf(ctx, origin.id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	keptIDs := map[string]bool{}
	for _, h := range kept {
		if !ownHeads[h.Head.ID] || keptIDs[h.Head.ID] {
			t.Errorf("the receiver keeps audit head %s of %s, not one of the origin's or twice", h.Head.ID, origin.id)
		}
		keptIDs[h.Head.ID] = true
	}
	if len(kept) == 0 || len(kept) < len(ownHeads)-1 {
		t.Errorf("the receiver keeps %d of the origin's %d audit heads", len(kept), len(ownHeads))
	}

	// The records read back as the origin wrote them.
	ids := slices.Sorted(maps.Keys(want))
	for _, id := range ids[:min(len(ids), 50)] {
		mine, err := ost.Seizure(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		copied, err := rs.Seizure(ctx, id)
		if err != nil {
			t.Fatalf("the receiver cannot read %s: %v", id, err)
		}
		a, _ := json.Marshal(mine)
		b, _ := json.Marshal(copied)
		if string(a) != string(b) {
			t.Errorf("seizure %s differs:\norigin   %s\nreceiver %s", id, a, b)
		}
	}

	// The exchange state matches: the cursor is at the origin's head, every
	// version was counted once, and the origin remembers serving exactly
	// these records.
	peer, err := rs.Peer(ctx, origin.id)
	if err != nil {
		t.Fatal(err)
	}
	// The origin signs its last audit head as it stops, after the
	// receiver stopped: the receiver's cursor ends before it.
	reached := originHead
	for i := len(originChanges) - 1; i >= 0 && originChanges[i].Header.Kind == crossguard.KindAuditHead && !keptIDs[originChanges[i].Header.ID]; i-- {
		reached = 0
		if i > 0 {
			reached = originChanges[i-1].Seq
		}
	}
	if st := peer.Status; st.Cursor != reached || st.RemoteHead != reached || st.Received != int64(len(want)) || st.Refused != 0 {
		t.Errorf("the receiver's status for %s: %+v; want cursor and remote head %d, received %d, none refused", origin.id, st, reached, len(want))
	}
	shared, err := ost.SharedIDs(ctx, receiver.id)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(shared)
	if len(slices.Compact(shared)) != len(want) || !crashAllIn(shared, want) {
		t.Errorf("the origin remembers serving %d records to %s, want the %d it may have", len(shared), receiver.id, len(want))
	}

	// The audit log says each record was received once.
	received := map[string]int{}
	err = rs.WalkAudit(ctx, func(e *crossguard.AuditEntry) error {
		if e.Action != crossguard.ActionFedReceive {
			return nil
		}
		ids, err := crashDetailValue(e.Detail, "ids")
		if err != nil {
			return fmt.Errorf("audit entry %d: %w", e.Seq, err)
		}
		for id := range strings.FieldsSeq(ids) {
			received[id]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, n := range received {
		if n != 1 || want[id] == 0 {
			t.Errorf("the audit log records receiving %s %d times (allowed: %v)", id, n, want[id] != 0)
		}
	}
	if len(received) != len(want) {
		t.Errorf("the audit log records receiving %d records, want %d", len(received), len(want))
	}
}

// crashDetailValue returns the value of key in an audit detail written by
// crossguard.AuditDetail (key="quoted value" pairs).
func crashDetailValue(detail, key string) (string, error) {
	rest := detail
	for rest != "" {
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		q, err := strconv.QuotedPrefix(v)
		if err != nil {
			return "", fmt.Errorf("detail %q: %w", detail, err)
		}
		if k == key {
			return strconv.Unquote(q)
		}
		rest = strings.TrimPrefix(v[len(q):], " ")
	}
	return "", fmt.Errorf("detail %q has no %s", detail, key)
}

// crashAllIn reports whether every id is a key of want.
func crashAllIn(ids []string, want map[string]int64) bool {
	for _, id := range ids {
		if _, ok := want[id]; !ok {
			return false
		}
	}
	return true
}

// crashFirst lists the first few of a list for a failure message.
func crashFirst(list []string) string {
	slices.Sort(list)
	if len(list) > 5 {
		return strings.Join(list[:5], ", ") + ", ..."
	}
	return strings.Join(list, ", ")
}
