package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

// cli runs crossguard commands in-process against one data directory.
type cli struct {
	t    *testing.T
	data string
	env  map[string]string
}

// newCLI returns a cli over a fresh data directory.
func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{t: t, data: filepath.Join(t.TempDir(), "node"), env: map[string]string{"USER": "tester"}}
}

// run runs one command with --data appended and returns stdout, stderr
// and the error.
func (c *cli) run(stdin string, args ...string) (string, string, error) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return c.env[k] }}
	err := Run(context.Background(), env, append(args, "--data", c.data))
	return out.String(), errOut.String(), err
}

// must runs a command that must succeed and returns its stdout.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	out, errOut, err := c.run("", args...)
	if err != nil {
		c.t.Fatalf("crossguard %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// initNode initialises the cli's node.
func (c *cli) initNode() {
	c.t.Helper()
	c.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Pakistan Customs, Sost")
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestInitTwiceRefusesAndChangesNothing(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	before, err := os.ReadFile(filepath.Join(c.data, "node.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.run("", "init", "--agency", "cn-customs", "--node", "kashgar", "--country", "CN", "--name", "Kashgar")
	if err == nil || !strings.Contains(err.Error(), "already holds a crossguard node") {
		t.Fatalf("second init: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(c.data, "node.json"))
	if !bytes.Equal(before, after) {
		t.Fatal("second init changed node.json")
	}
}

func TestInitRefusesBadInput(t *testing.T) {
	c := newCLI(t)
	_, _, err := c.run("", "init", "--agency", "PK", "--node", "sost", "--country", "XX", "--name", "x")
	if err == nil || !strings.Contains(err.Error(), "--agency") || !strings.Contains(err.Error(), "--country") {
		t.Fatalf("bad init: %v", err)
	}
	if _, err := os.Stat(c.data); !os.IsNotExist(err) {
		t.Fatalf("a refused init left %s behind", c.data)
	}
}

func TestDataFromEnvironment(t *testing.T) {
	c := newCLI(t)
	c.env["CROSSGUARD_DATA"] = c.data
	var out bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &out, Getenv: func(k string) string { return c.env[k] }}
	args := []string{"init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost"}
	if err := Run(context.Background(), env, args); err != nil {
		t.Fatalf("init: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(c.data, "node.json")); err != nil {
		t.Fatalf("CROSSGUARD_DATA was not used: %v", err)
	}
}

func TestUserAddPrintsTokenLast(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	out := c.must("user", "add", "amina", "--role", "officer")
	token := lastLine(out)
	if !strings.HasPrefix(token, "cg_") || strings.Contains(token, " ") {
		t.Fatalf("last line %q is not a token", token)
	}
	if _, _, err := c.run("", "user", "add", "amina", "--role", "officer"); crossguard.ErrorCode(err) != crossguard.ECONFLICT {
		t.Fatalf("duplicate user: %v", err)
	}
	if _, _, err := c.run("", "user", "add", "bob", "--role", "boss"); err == nil || !strings.Contains(err.Error(), "unknown role") {
		t.Fatalf("bad role: %v", err)
	}
	if out := c.must("user", "list"); !strings.Contains(out, "amina") || !strings.Contains(out, "officer") {
		t.Fatalf("user list:\n%s", out)
	}
	c.must("user", "revoke", "amina")
	if out := c.must("user", "list"); !strings.Contains(out, "revoked") {
		t.Fatalf("revoked user not shown as revoked:\n%s", out)
	}
}

func TestSeizureAddListShowDelete(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	file := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(file, []byte(storetest.ExampleSeizureJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	var stored crossguard.Seizure
	if err := json.Unmarshal([]byte(c.must("seizure", "add", file)), &stored); err != nil {
		t.Fatal(err)
	}
	if stored.ID == "" || stored.Version != 1 || stored.Origin != "pk-customs/sost" {
		t.Fatalf("stored = %+v", stored.Header)
	}
	if out := c.must("seizure", "list", "--hs", "2939"); !strings.Contains(out, stored.ID) {
		t.Fatalf("list does not show the seizure:\n%s", out)
	}
	if out := c.must("seizure", "list", "--category", "weapons"); strings.Contains(out, stored.ID) {
		t.Fatalf("category filter ignored:\n%s", out)
	}
	var page crossguard.SeizurePage
	if err := json.Unmarshal([]byte(c.must("seizure", "list", "--json", "--q", "welded")), &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("list --json: %v, %d items", err, len(page.Items))
	}
	if out := c.must("seizure", "show", stored.ID); !strings.Contains(out, "CSQU3054383") {
		t.Fatalf("show:\n%s", out)
	}
	c.must("seizure", "delete", stored.ID)
	if _, _, err := c.run("", "seizure", "show", stored.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("show after delete: %v", err)
	}
}

func TestSeizureAddRefusesInvalidFileWhole(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	bad := strings.Replace(storetest.ExampleSeizureJSON, `"293911"`, `"999999"`, 1)
	_, _, err := c.run("["+storetest.ExampleSeizureJSON+","+bad+"]", "seizure", "add", "-")
	if err == nil || !strings.Contains(err.Error(), "seizure 2 of 2") || !strings.Contains(err.Error(), "goods[0].hs") {
		t.Fatalf("invalid array: %v", err)
	}
	var page crossguard.SeizurePage
	if err := json.Unmarshal([]byte(c.must("seizure", "list", "--json")), &page); err != nil || len(page.Items) != 0 {
		t.Fatalf("a refused array stored %d seizures (%v)", len(page.Items), err)
	}
	_, _, err = c.run(`{"occurred_at": "2026-11-20T09:30:00Z", "passport": "X123"}`, "seizure", "add", "-")
	if err == nil || !strings.Contains(err.Error(), "passport") {
		t.Fatalf("unknown field: %v", err)
	}
}

func TestAuditVerify(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	c.must("user", "add", "amina", "--role", "officer")
	if out := c.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("verify: %s", out)
	}
	if out := c.must("audit", "list", "--action", "user.add"); !strings.Contains(out, "amina") {
		t.Fatalf("audit list:\n%s", out)
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"--help"}, {"init", "--help"}, {"migrate", "--help"}, {"serve", "--help"}, {"demo", "--help"},
		{"seizure", "add", "--help"}, {"seizure", "list", "--help"}, {"seizure", "show", "--help"},
		{"seizure", "delete", "--help"}, {"import", "seizures", "--help"}, {"user", "add", "--help"},
		{"user", "list", "--help"}, {"user", "token", "--help"}, {"user", "revoke", "--help"}, {"user", "passwd", "--help"},
		{"audit", "verify", "--help"}, {"audit", "list", "--help"},
		{"import", "declarations", "--help"}, {"profile", "add", "--help"}, {"profile", "list", "--help"},
		{"profile", "show", "--help"}, {"profile", "adopt", "--help"}, {"profile", "disable", "--help"},
		{"watch", "add", "--help"}, {"watch", "list", "--help"}, {"watch", "remove", "--help"},
		{"model", "list", "--help"}, {"model", "train", "--help"}, {"model", "import", "--help"},
		{"model", "activate", "--help"}, {"risk", "stats", "--help"},
		{"operation", "add", "--help"}, {"operation", "list", "--help"}, {"operation", "show", "--help"},
		{"operation", "report", "--help"}, {"operation", "warn", "--help"}, {"operation", "withdraw", "--help"},
		{"operation", "feedback", "--help"}, {"operation", "message", "--help"},
		{"train", "--help"}, {"eval", "--help"}, {"score", "--help"},
		{"agreement", "add", "--help"}, {"agreement", "list", "--help"}, {"agreement", "show", "--help"},
		{"agreement", "status", "--help"}, {"agreement", "progress", "--help"},
		{"activity", "add", "--help"}, {"activity", "list", "--help"},
		{"retention", "status", "--help"}, {"retention", "apply", "--help"}, {"peer", "remove", "--help"},
	} {
		out, errOut, err := c.run("", args...)
		if err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if text := out + errOut; !strings.Contains(text, "Usage") || !strings.Contains(text, "Example") {
			t.Errorf("%v: help lacks usage or examples:\n%s", args, text)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	c := newCLI(t)
	_, errOut, err := c.run("", "frobnicate")
	if err == nil || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %v %q", err, errOut)
	}
}

func TestImportSeizuresCLI(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	dir := t.TempDir()
	good, err := os.ReadFile("../../importer/testdata/example.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(good), "\n")
	bad := strings.Replace(strings.SplitN(string(good), "\n", 3)[1], ",293911,", ",999999,", 1)
	file := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(file, []byte(string(good)+bad+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := c.run("", "import", "seizures", file)
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	if !strings.Contains(out, "rejected 1 rows") || !strings.Contains(errOut, "hs:") {
		t.Fatalf("import output:\n%s\nstderr:\n%s", out, errOut)
	}
	rejects, err := os.ReadFile(filepath.Join(dir, "in.rejects.csv"))
	if err != nil || !strings.HasPrefix(string(rejects), strings.TrimSpace(header)) || !strings.Contains(string(rejects), "999999") {
		t.Fatalf("rejects file: %v\n%s", err, rejects)
	}
	var page crossguard.SeizurePage
	if err := json.Unmarshal([]byte(c.must("seizure", "list", "--json", "--limit", "500")), &page); err != nil || len(page.Items) == 0 {
		t.Fatalf("nothing imported: %v", err)
	}
	imported := len(page.Items)
	// The same file again is recognised and not imported twice.
	if out := c.must("import", "seizures", file); !strings.Contains(out, "already imported") {
		t.Fatalf("second import: %s", out)
	}
	if err := json.Unmarshal([]byte(c.must("seizure", "list", "--json", "--limit", "500")), &page); err != nil || len(page.Items) != imported {
		t.Fatalf("second import changed the count to %d, want %d (%v)", len(page.Items), imported, err)
	}
}

func TestAuditVerifyNamesFirstBrokenEntry(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	for _, name := range []string{"amina", "bilal", "chen"} {
		c.must("user", "add", name, "--role", "officer")
	}
	db, err := sql.Open("sqlite", filepath.Join(c.data, "crossguard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// An intruder with access to the file drops the guard and edits entry 2.
	for _, q := range []string{"DROP TRIGGER audit_no_update", "UPDATE audit SET actor = 'someone-else' WHERE seq = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, _, err := c.run("", "audit", "verify")
	if err == nil || !strings.Contains(out, "before entry 2") {
		t.Fatalf("verify of a tampered log: %v\n%s", err, out)
	}
}

// TestSeizureListAndShowCarryTheH1Caveat checks that the table and the
// terminal view of an H1 record say it is not for court, and that an H0
// record's do not.
func TestSeizureListAndShowCarryTheH1Caveat(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	add := func(handling string) string {
		var s crossguard.Seizure
		if err := json.Unmarshal([]byte(storetest.ExampleSeizureJSON), &s); err != nil {
			t.Fatal(err)
		}
		s.Marking.Handling = handling
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		out, errOut, err := c.run(string(b), "seizure", "add", "-")
		if err != nil {
			t.Fatalf("add %s: %v\n%s", handling, err, errOut)
		}
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	h0 := add(crossguard.HandlingH0)
	if out := c.must("seizure", "list"); strings.Contains(out, "JUDICIAL") {
		t.Fatalf("an H0 list carries the caveat:\n%s", out)
	}
	h1 := add(crossguard.HandlingH1)
	out := c.must("seizure", "list")
	if !strings.Contains(out, "H1*") || !strings.Contains(out, "* NOT FOR USE IN JUDICIAL PROCEEDINGS") {
		t.Fatalf("the list does not mark the H1 record:\n%s", out)
	}
	for id, want := range map[string]bool{h0: false, h1: true} {
		stdout, stderr, err := c.run("", "seizure", "show", id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stdout, "JUDICIAL") || strings.Contains(stderr, "JUDICIAL") != want {
			t.Errorf("show %s: stdout %q, stderr %q; want the caveat on stderr: %v", id, stdout, stderr, want)
		}
	}
}
