package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"

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

// testAuditRewrite writes a few entries on a node, rewrites the log as
// rw says and checks that audit verify fails naming entry rw.Seq.
func testAuditRewrite(t *testing.T, url string, rw rewrite) {
	c := newCLI(t)
	args := []string{"init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost"}
	if url != "" {
		args = append(args, "--db", url)
	}
	c.must(args...)
	for _, name := range []string{"amina", "bilal", "chen", "dilnoza"} {
		c.must("user", "add", name, "--role", "officer")
	}
	rewriteAudit(t, c, url, rw)
	out, _, err := c.run("", "audit", "verify")
	if err == nil || !strings.Contains(out, fmt.Sprintf("entry %d ", rw.Seq)) {
		t.Fatalf("verify of a rewritten log (%+v): %v\n%s", rw, err, out)
	}
}

func TestAuditRewriteDetected(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		for _, rw := range []rewrite{{Seq: 2}, {Seq: 3, Delete: true}} {
			name := fmt.Sprintf("%s/edit entry %d", db, rw.Seq)
			if rw.Delete {
				name = fmt.Sprintf("%s/delete entry %d", db, rw.Seq)
			}
			t.Run(name, func(t *testing.T) {
				url := ""
				if db == "postgres" {
					url = postgresURL(t)
				}
				testAuditRewrite(t, url, rw)
			})
		}
	}
}
