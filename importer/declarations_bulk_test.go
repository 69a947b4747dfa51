package importer_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"crossguard"
	"crossguard/importer"
)

// lookupStore is the real store counting how declarations are looked up.
type lookupStore struct {
	crossguard.Store
	bulk    [][]string // the ids of each call of StoredDecisions
	singles int        // calls of DeclarationEntry
}

// StoredDecisions records the ids asked for.
func (s *lookupStore) StoredDecisions(ctx context.Context, ids []string) (map[string]*crossguard.Decision, error) {
	s.bulk = append(s.bulk, append([]string(nil), ids...))
	return s.Store.StoredDecisions(ctx, ids)
}

// DeclarationEntry counts the call.
func (s *lookupStore) DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error) {
	s.singles++
	return s.Store.DeclarationEntry(ctx, id)
}

// TestImportDeclarationsLooksUpBatches checks that an import looks its
// ids up in the store a batch at a time, not row by row, and still
// reports and rejects each row in file order, whether the row before it
// waits in the same batch, in an earlier one, or was cut off by a row
// that is not a declaration.
func TestImportDeclarationsLooksUpBatches(t *testing.T) {
	n, _ := mustNode(t, "")
	ctx := context.Background()
	if _, err := importer.ImportDeclarations(ctx, targetOf(n), "tester", declFile(t, declRow("101", 0, 0), declRow("104", 0, 0), declRow("107", 1, 1)), importer.DeclarationOptions{}); err != nil {
		t.Fatal(err)
	}
	path := declFile(t,
		declRow("100", 0, 0), // line 2
		declRow("100", 1, 0), // line 3: twice in the file, in the same batch
		declRow("101", 0, 0), // line 4: stored
		declRow("101", 0, 0), // line 5: stored, in the next batch
		"5,2020-01-01,30",    // line 6: too few cells
		declRow("102", 1, 0), // line 7
		declRow("104", 0, 0), // line 8: stored
		declRow("103", 0, 0), // line 9
		declRow("107", 0, 0), // line 10: stored, the last row
	)
	real := n.Store
	counted := &lookupStore{Store: real}
	n.Store = counted
	var errs bytes.Buffer
	opts := importer.DeclarationOptions{Options: importer.Options{BatchSize: 3, Errors: &errs}}
	res, err := importer.ImportDeclarations(ctx, targetOf(n), "tester", path, opts)
	if err != nil {
		t.Fatal(err)
	}
	wantErrs := []string{
		`line 3: Declaration ID: "100" is already on line 2 of this file`,
		`line 4: Declaration ID: "101" is already stored (imported or received before)`,
		`line 5: Declaration ID: "101" is already stored (imported or received before)`,
		`line 6: row: has 3 cells, but the header has 22 columns`,
		`line 8: Declaration ID: "104" is already stored (imported or received before)`,
		`line 10: Declaration ID: "107" is already stored (imported or received before)`,
	}
	if got := lines(errs.String()); !reflect.DeepEqual(got, wantErrs) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
	}
	var rejected []string
	for _, r := range readCSV(t, res.RejectsPath)[1:] {
		rejected = append(rejected, r[len(r)-1])
	}
	if !reflect.DeepEqual(rejected, wantErrs) {
		t.Errorf("rejects file holds\n%q\nwant\n%q", rejected, wantErrs)
	}
	if res.Imported != 3 || res.Rejected != 6 || res.Labelled != 3 || res.Frauds != 1 {
		t.Errorf("result %+v, want 3 imported (1 fraud) and 6 rejected", res)
	}
	for _, id := range []string{"100", "102", "103"} {
		if in := labelOf(t, real, id); in.Label.Fraud != map[string]int{"100": 0, "102": 1, "103": 0}[id] {
			t.Errorf("declaration %s stored with label %+v, not its first row's", id, in.Label)
		}
	}
	if counted.singles != 0 {
		t.Errorf("the import looked declarations up one at a time %d times", counted.singles)
	}
	// 8 declarations in batches of 3, cut once by the short row: 4 calls
	// at most, none for more than a batch.
	if len(counted.bulk) == 0 || len(counted.bulk) > 4 {
		t.Errorf("%d bulk look-ups %q, want 1 to 4", len(counted.bulk), counted.bulk)
	}
	for _, ids := range counted.bulk {
		if len(ids) > 3 {
			t.Errorf("a look-up of %d ids %q, more than a batch", len(ids), ids)
		}
	}
}
