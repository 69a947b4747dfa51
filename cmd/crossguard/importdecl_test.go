package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard"
	"crossguard/importer"
	"crossguard/internal/testnode"
	"crossguard/postgres"
	"crossguard/sqlite"
)

// trainFile is the labelled training split of the customs declarations.
const trainFile = "../../testdata/customs-declarations/train.csv"

// openNodeStore opens the SQLite database of the cli's node, for checks
// and to set up an interrupted import.
func (c *cli) openNodeStore() *testnode.Node {
	c.t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(c.data, "crossguard.db"), sqlite.Options{})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { st.Close() })
	info, err := st.Node(ctx)
	if err != nil {
		c.t.Fatal(err)
	}
	return testnode.New(*info, st, nil)
}

// labelledCount counts the node's declarations stored with a label, and
// the frauds among them.
func labelledCount(t *testing.T, st crossguard.Store) (n, frauds int) {
	t.Helper()
	err := st.LabelledDeclarations(context.Background(), func(_ *crossguard.Declaration, l crossguard.Label) error {
		n++
		if l.Positive() {
			frauds++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, frauds
}

func TestImportDeclarationsCLI(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	rejects := filepath.Join(t.TempDir(), "train.rejects.csv")
	out := c.must("import", "declarations", trainFile, "--rejects", rejects)
	for _, want := range []string{
		"Imported 37385 declarations from 37386 lines; rejected 0 rows.\n",
		"Labelled 37385 of them with their inspection result: 8114 frauds, 394 of them critical.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(rejects); !os.IsNotExist(err) {
		t.Errorf("a rejects file was written for a file without bad rows: %v", err)
	}
	// The same file again is recognised and not imported twice.
	if out := c.must("import", "declarations", trainFile, "--rejects", rejects); !strings.Contains(out, "already imported completely") {
		t.Errorf("second import: %s", out)
	}
	if n, frauds := labelledCount(t, c.openNodeStore().Store); n != 37385 || frauds != 8114 {
		t.Errorf("node holds %d labelled declarations, %d frauds; want 37385 and 8114", n, frauds)
	}
}

// failingSave is the store with SaveDeclarations failing after ok calls,
// to leave an import interrupted as a crash would.
type failingSave struct {
	crossguard.Store
	ok int
}

// SaveDeclarations fails once ok calls succeeded.
func (s *failingSave) SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, p *crossguard.ImportProgress) error {
	if s.ok == 0 {
		return errors.New("power cut (injected)")
	}
	s.ok--
	return s.Store.SaveDeclarations(ctx, actor, entries, p)
}

func TestImportDeclarationsCLIResumesWithoutDuplicates(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	file := filepath.Join(t.TempDir(), "train.csv")
	data, err := os.ReadFile(trainFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// An import stops after 5 batches of 1000, as if the machine lost power.
	n := c.openNodeStore()
	n.Store = &failingSave{Store: n.Store, ok: 5}
	res, err := importer.ImportDeclarations(context.Background(), importer.Target{Store: n.Store, Clock: n.Clock}, "tester", file, importer.DeclarationOptions{})
	if err == nil || res.Imported != 5000 {
		t.Fatalf("interrupted import: %v, %+v", err, res)
	}
	n.Store.Close()

	out := c.must("import", "declarations", file)
	for _, want := range []string{
		"Resumed an interrupted import of " + file + ".\n",
		"Imported 37385 declarations from 37386 lines; rejected 0 rows.\n",
		"Labelled 37385 of them with their inspection result: 8114 frauds, 394 of them critical.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n, frauds := labelledCount(t, c.openNodeStore().Store); n != 37385 || frauds != 8114 {
		t.Errorf("node holds %d labelled declarations, %d frauds; want 37385 and 8114, each once", n, frauds)
	}
}

func TestImportDeclarationsCLIReportsBadRows(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	data, err := os.ReadFile(trainFile)
	if err != nil {
		t.Fatal(err)
	}
	// The header and the first five rows, two of them spoilt.
	rows := strings.SplitN(string(data), "\n", 7)[:6]
	rows[2] = strings.Replace(rows[2], ",690722,", ",6907,", 1)
	rows[4] = strings.Replace(rows[4], ",0,0", ",0,7", 1)
	file := filepath.Join(t.TempDir(), "some.csv")
	if err := os.WriteFile(file, []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := c.run("", "import", "declarations", file)
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	wantErr := "line 3: HS6 Code: \"6907\" is not a 6-digit HS code such as 293911\n" +
		"line 5: Critical Fraud: \"7\" is not 0, 1 or 2\n"
	if errOut != wantErr {
		t.Errorf("stderr\n%s\nwant\n%s", errOut, wantErr)
	}
	rejects := filepath.Join(filepath.Dir(file), "some.rejects.csv")
	if !strings.Contains(out, "Imported 3 declarations from 6 lines; rejected 2 rows (written to "+rejects+").") {
		t.Errorf("output:\n%s", out)
	}
	got, err := os.ReadFile(rejects)
	if err != nil || !strings.HasPrefix(string(got), rows[0]+",error\n") || !strings.Contains(string(got), "line 5: Critical Fraud") {
		t.Errorf("rejects file: %v\n%s", err, got)
	}
}

func TestImportDeclarationsCLIRefusesAnotherLayout(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	seizures := "../../importer/testdata/example.csv"
	_, _, err := c.run("", "import", "declarations", seizures)
	if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), "does not match the customs declaration layout") ||
		!strings.Contains(err.Error(), "Declaration ID: required column is missing") {
		t.Fatalf("importing seizures as declarations: %v", err)
	}
	for _, args := range [][]string{{"import", "declarations", "--help"}, {"import", "--help"}} {
		out, errOut, err := c.run("", args...)
		if err != nil || !strings.Contains(out+errOut, "declarations") || !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%v: %v\n%s%s", args, err, out, errOut)
		}
	}
}

func TestImportDeclarationsCLIOnPostgres(t *testing.T) {
	url := postgresURL(t)
	c := newCLI(t)
	c.must("init", "--agency", "pk-customs", "--node", "hq", "--country", "PK", "--name", "Pakistan Customs HQ", "--db", url)
	data, err := os.ReadFile("../../testdata/customs-declarations/valid.csv")
	if err != nil {
		t.Fatal(err)
	}
	// valid.csv with its second row repeated at the end.
	second := strings.SplitN(string(data), "\n", 4)[2]
	file := filepath.Join(t.TempDir(), "valid.csv")
	if err := os.WriteFile(file, append(data, []byte(second+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := c.run("", "import", "declarations", file, "--batch", "500")
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	id, _, _ := strings.Cut(second, ",")
	if want := "line 8136: Declaration ID: \"" + id + "\" is already on line 3 of this file\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	for _, want := range []string{
		"Imported 8134 declarations from 8136 lines; rejected 1 rows",
		"Labelled 8134 of them with their inspection result: 1704 frauds, 78 of them critical.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out := c.must("import", "declarations", file); !strings.Contains(out, "already imported completely") {
		t.Errorf("second import: %s", out)
	}
	st, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, frauds := labelledCount(t, st); n != 8134 || frauds != 1704 {
		t.Errorf("node holds %d labelled declarations, %d frauds; want 8134 and 1704", n, frauds)
	}
}
