package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/importer"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
)

// now is the node's clock in tests.
var now = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// testNodeInfo is the identity of the test node.
var testNodeInfo = crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK",
	Name: "Pakistan Customs, Sost dry port", PublicKey: "dGVzdA==", CreatedAt: now}

// mustNode opens a new, migrated SQLite database at path (in a temporary
// directory if path is "") and returns a node over it with a fixed clock.
func mustNode(t testing.TB, path string) (*testnode.Node, string) {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "node.db")
	}
	n, err := openNode(path, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Store.Close() })
	return n, path
}

// openNode opens the database at path, migrating and initialising it if
// init is set, and returns a node over it.
func openNode(path string, init bool) (*testnode.Node, error) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	if init {
		if _, err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
		info := testNodeInfo
		if err := st.InitNode(ctx, &info); err != nil {
			st.Close()
			return nil, err
		}
	}
	n := testnode.New(testNodeInfo, st, nil)
	n.Clock = crossguard.FixedClock(now)
	return n, nil
}

// defaultRow is a valid row in the columns of testColumns.
var defaultRow = map[string]string{
	"occurred_at": "2026-10-01T08:00:00Z", "country": "PK", "place_name": "Sost Dry Port",
	"direction": "import", "transport_mode": "road", "detection_method": "xray",
	"concealment": "false_compartment", "category": "narcotics", "hs": "293911",
	"description": "heroin in 1 kg blocks", "quantity": "12.5", "unit": "kg",
	"distribution": "partners", "tlp": "amber", "handling": "H1",
}

// testColumns are the required columns plus a few optional ones.
var testColumns = []string{"ref", "occurred_at", "country", "place_name", "lat", "lon", "direction", "transport_mode",
	"detection_method", "concealment", "category", "hs", "description", "quantity", "unit",
	"value_amount", "value_currency", "identifiers", "distribution", "recipients", "tlp", "handling", "narrative"}

// table builds a CSV file of rows in some columns.
type table struct {
	cols []string
	rows [][]string
}

// newTable returns a table with testColumns.
func newTable() *table { return &table{cols: slices.Clone(testColumns)} }

// add appends a row of defaultRow with some cells changed, and returns
// the table for chaining.
func (tb *table) add(cells map[string]string) *table {
	row := make([]string, len(tb.cols))
	for i, c := range tb.cols {
		row[i] = defaultRow[c]
		if v, ok := cells[c]; ok {
			row[i] = v
		}
	}
	tb.rows = append(tb.rows, row)
	return tb
}

// bytes returns the table as CSV.
func (tb *table) bytes() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(tb.cols)
	w.WriteAll(tb.rows)
	return buf.Bytes()
}

// writeFile writes data to a file named name in a new temporary directory
// and returns its path.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// allSeizures lists every live seizure in the node's store.
func allSeizures(t testing.TB, n *testnode.Node) []*crossguard.Seizure {
	t.Helper()
	var out []*crossguard.Seizure
	f := crossguard.SeizureFilter{Limit: crossguard.MaxPageSize}
	for {
		page, err := n.Store.ListSeizures(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

// readCSV reads a whole CSV file, allowing rows of any width.
func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("rejects file %s is not valid CSV: %v", path, err)
	}
	return rows
}

// openDB opens the SQLite file at path for direct queries in checks.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	db, err := sql.Open("sqlite", path+sep+"_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// lines splits text into its non-empty lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// targetOf is the import target of the test node n.
func targetOf(n *testnode.Node) importer.Target {
	return importer.Target{Store: n.Store, Clock: n.Clock, Prepare: n.PrepareSeizure}
}
