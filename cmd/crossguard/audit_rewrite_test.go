package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation"
	"crossguard/federation/fedtest"

	"github.com/jackc/pgx/v5"
)

// rewrite is how an intruder with write access to the database rewrites
// the audit log: edit entry Seq, or delete it.
type rewrite struct {
	Seq    int64
	Delete bool
}

// auditRow is an audit entry as read back for a rewrite.
type auditRow struct {
	e  crossguard.AuditEntry
	at any // the stored time, written back as it was read
}

// rewriteAudit drops the append-only triggers, applies rw to the log and
// re-chains every entry from rw.Seq to the end, heads row included, so
// that the hash chain alone verifies again.
func rewriteAudit(t *testing.T, c *cli, url string, rw rewrite) {
	t.Helper()
	ctx := context.Background()
	var rows []auditRow
	var exec func(q string, args ...any) error
	if url == "" {
		db, err := sql.Open("sqlite", filepath.Join(c.data, "crossguard.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		rs, err := db.Query(`SELECT seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash FROM audit ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var r auditRow
			var at string
			if err := rs.Scan(&r.e.Seq, &at, &r.e.Actor, &r.e.Action, &r.e.RecordKind, &r.e.RecordID, &r.e.Outcome, &r.e.Detail, &r.e.PrevHash); err != nil {
				t.Fatal(err)
			}
			if r.e.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
				t.Fatal(err)
			}
			r.at = at
			rows = append(rows, r)
		}
		rs.Close()
		exec = func(q string, args ...any) error {
			_, err := db.Exec(strings.NewReplacer("$10", "?", "$1", "?", "$2", "?", "$3", "?", "$4", "?", "$5", "?",
				"$6", "?", "$7", "?", "$8", "?", "$9", "?", " ON audit", "").Replace(q), args...)
			return err
		}
	} else {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		rs, err := conn.Query(ctx, `SELECT seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash FROM audit ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var r auditRow
			if err := rs.Scan(&r.e.Seq, &r.e.At, &r.e.Actor, &r.e.Action, &r.e.RecordKind, &r.e.RecordID, &r.e.Outcome, &r.e.Detail, &r.e.PrevHash); err != nil {
				t.Fatal(err)
			}
			r.e.At = r.e.At.UTC()
			r.at = r.e.At
			rows = append(rows, r)
		}
		rs.Close()
		exec = func(q string, args ...any) error {
			_, err := conn.Exec(ctx, q, args...)
			return err
		}
	}
	if int64(len(rows)) <= rw.Seq {
		t.Fatalf("rewrite entry %d of a log of %d entries", rw.Seq, len(rows))
	}
	for _, q := range []string{`DROP TRIGGER audit_no_update ON audit`, `DROP TRIGGER audit_no_delete ON audit`} {
		if err := exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tail := rows[rw.Seq-1:]
	if rw.Delete {
		tail = tail[1:]
	} else {
		tail[0].e.Actor = "someone-else"
	}
	if err := exec(`DELETE FROM audit WHERE seq >= $1`, rw.Seq); err != nil {
		t.Fatal(err)
	}
	prevSeq, prevHash := rw.Seq-1, rows[rw.Seq-1].e.PrevHash
	for _, r := range tail {
		e := r.e
		at := e.At
		e.Chain(prevSeq, prevHash)
		e.At = at
		e.Hash = e.ComputeHash()
		err := exec(`INSERT INTO audit (seq, at, actor, action, record_kind, record_id, outcome, detail, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, e.Seq, r.at, e.Actor, e.Action, e.RecordKind, e.RecordID, e.Outcome, e.Detail, e.PrevHash, e.Hash)
		if err != nil {
			t.Fatalf("re-insert entry %d: %v", e.Seq, err)
		}
		prevSeq, prevHash = e.Seq, e.Hash
	}
	if err := exec(`UPDATE heads SET audit_seq = $1, audit_hash = $2`, prevSeq, prevHash); err != nil {
		t.Fatal(err)
	}
}

// freeAddr returns a loopback address free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// readyWriter closes ready when what it is written holds the line serve
// prints once its federation listener is bound.
type readyWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
}

// Write implements io.Writer.
func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), "federation listener on")
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), "federation listener on") {
		close(w.ready)
	}
	return len(p), nil
}

// serveInProcess runs crossguard serve for c, returning once its
// federation listener is bound; the returned function stops it and waits
// for it to end.
func serveInProcess(t *testing.T, c *cli, fedAddr string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	out := &readyWriter{ready: make(chan struct{})}
	go func() {
		var errOut bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errOut, Getenv: func(k string) string { return c.env[k] }}
		done <- Run(ctx, env, []string{"serve", "--data", c.data, "--listen", "127.0.0.1:0", "--federation-listen", fedAddr, "--log-level", "warn"})
	}()
	select {
	case <-out.ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve ended before serving: %v", err)
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// testAuditRewrite runs node A (a data directory, on url or SQLite) and
// its partner B (a node on loopback over mutual TLS, on a store of open)
// that keeps A's audit heads; A also exports its heads to a file. It then
// rewrites A's log as rw says and checks that audit verify, against the
// file and against B, fails naming entry rw.Seq.
func testAuditRewrite(t *testing.T, url string, open fedtest.Opener, rw rewrite) {
	a := newCLI(t)
	fedAddr := freeAddr(t)
	args := []string{"init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost", "--federation-url", "https://" + fedAddr}
	if url != "" {
		args = append(args, "--db", url)
	}
	a.must(args...)
	for _, name := range []string{"amina", "bilal", "chen", "dilnoza"} {
		a.must("user", "add", name, "--role", "officer")
	}
	// B is a partner with a narrow policy: it receives A's heads anyway.
	b := fedtest.NewNode(t, open, "cn-customs/tashkurgan")
	cardB, _ := json.Marshal(b.Card())
	cardFile := filepath.Join(t.TempDir(), "b.json")
	if err := os.WriteFile(cardFile, cardB, 0o644); err != nil {
		t.Fatal(err)
	}
	a.must("peer", "add", cardFile, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "clear")
	var cardA crossguard.NodeCard
	if err := json.Unmarshal([]byte(a.must("node", "card")), &cardA); err != nil {
		t.Fatal(err)
	}
	peerA := &crossguard.Peer{Card: cardA, Relationship: crossguard.RelPartner, Kinds: []string{crossguard.KindSeizure}, MaxTLP: crossguard.TLPClear}
	if _, err := b.Node.PutPeer(t.Context(), "test", peerA); err != nil {
		t.Fatal(err)
	}
	headFile := filepath.Join(t.TempDir(), "head.json")
	if err := os.WriteFile(headFile, []byte(a.must("audit", "head")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, last, err := headsIn(headFile)
	if err != nil || last < rw.Seq {
		t.Fatalf("the head file covers entries up to %d (%v), not entry %d", last, err, rw.Seq)
	}
	stop := serveInProcess(t, a, fedAddr)
	pl, err := b.Svc.NewPuller(t.Context(), peerA)
	if err != nil {
		t.Fatal(err)
	}
	for pages := 0; ; pages++ {
		res, err := pl.PullOnce(t.Context(), 0)
		if err != nil {
			t.Fatalf("B pulls from A: %v", err)
		}
		if res.CaughtUp() {
			break
		}
		if pages == 100 {
			t.Fatalf("B has not caught up with A after %d pages", pages)
		}
	}
	stop()
	held, err := b.Store.AuditHeadsOf(t.Context(), cardA.ID, 0, 0)
	if err != nil || len(held) == 0 || held[len(held)-1].Head.Seq < last {
		t.Fatalf("B holds %d heads of A (%v); want them to cover entry %d", len(held), err, last)
	}
	if out := a.must("audit", "verify", "--head", headFile, "--peers"); !strings.Contains(out, "ANCHORED") {
		t.Fatalf("verify of an intact log against its heads:\n%s", out)
	}

	rewriteAudit(t, a, url, rw)
	want := fmt.Sprintf("REWRITTEN: entry %d:", rw.Seq)
	if out, _, err := a.run("", "audit", "verify"); err != nil || !strings.Contains(out, "OK:") {
		t.Fatalf("the rewritten chain alone should still verify (that is the defect anchors close): %v\n%s", err, out)
	}
	for _, flags := range [][]string{{"--head", headFile}, {"--peers"}} {
		out, _, err := a.run("", append([]string{"audit", "verify"}, flags...)...)
		if err == nil || !strings.Contains(out, want) {
			t.Fatalf("verify %s of a rewritten log (%+v): %v\n%s", flags, rw, err, out)
		}
	}
}

// headsIn reads a head file and returns how many heads it has and the
// last entry they cover.
func headsIn(name string) (int, int64, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	var f federation.HeadFile
	if err := json.Unmarshal(b, &f); err != nil {
		return 0, 0, err
	}
	var last int64
	for _, h := range f.Heads {
		a, err := crossguard.DecodeAuditHead(h.Signed.Record, nil)
		if err != nil {
			return 0, 0, err
		}
		last = max(last, a.Seq)
	}
	return len(f.Heads), last, nil
}

func TestAuditRewriteDetected(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, rw := range []rewrite{{Seq: 2}, {Seq: 3, Delete: true}} {
			name := fmt.Sprintf("%s/edit entry %d", db, rw.Seq)
			if rw.Delete {
				name = fmt.Sprintf("%s/delete entry %d", db, rw.Seq)
			}
			t.Run(name, func(t *testing.T) {
				url, open := "", fedtest.Opener(fedtest.SQLite)
				if db == "postgres" {
					url, open = postgresURL(t), fedtest.Postgres
				}
				testAuditRewrite(t, url, open, rw)
			})
		}
	}
}

func TestAuditVerifyReportsHeadOfAnotherKey(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	c.must("user", "add", "amina", "--role", "officer")
	var f federation.HeadFile
	if err := json.Unmarshal([]byte(c.must("audit", "head")), &f); err != nil || len(f.Heads) != 1 {
		t.Fatalf("audit head: %d heads, %v", len(f.Heads), err)
	}
	// The same head, signed by a key that is not the node's.
	_, other, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := federation.Sign(other, f.Heads[0].Signed.Record)
	if err != nil {
		t.Fatal(err)
	}
	f.Heads = append(f.Heads, federation.HeldHead{Signed: *forged, ReceivedAt: f.Heads[0].ReceivedAt})
	b, _ := json.Marshal(f)
	file := filepath.Join(t.TempDir(), "head.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := c.run("", "audit", "verify", "--head", file)
	if err == nil || !strings.Contains(out, "BAD HEAD from "+file) || !strings.Contains(out, "signed by a key that is not the origin's") {
		t.Fatalf("verify with a head of another key: %v\n%s", err, out)
	}
}
