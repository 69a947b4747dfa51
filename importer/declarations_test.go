package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"crossguard"
	"crossguard/importer"
)

// declarationsDir holds the customs declaration files.
const declarationsDir = "../testdata/customs-declarations/"

// declHeader is the header of a labelled declaration file.
const declHeader = "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud"

// declRow returns a valid labelled row with this id and label.
func declRow(id string, fraud, critical int) string {
	return fmt.Sprintf("%s,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,%d,%d", id, fraud, critical)
}

// declFile writes a labelled declaration file of rows and returns its path.
func declFile(t *testing.T, rows ...string) string {
	t.Helper()
	return writeFile(t, "declarations.csv", []byte(declHeader+"\n"+strings.Join(rows, "\n")+"\n"))
}

// labelOf returns the stored inspection label of a declaration, failing
// the test if it is not stored or has no inspection.
func labelOf(t *testing.T, st crossguard.Store, id string) *crossguard.Inspection {
	t.Helper()
	e, err := st.DeclarationEntry(context.Background(), id)
	if err != nil {
		t.Fatalf("declaration %s: %v", id, err)
	}
	if e.Inspection == nil {
		t.Fatalf("declaration %s has no inspection", id)
	}
	return e.Inspection
}

// countLabelled counts the declarations stored with a label, and the
// frauds among them.
func countLabelled(t *testing.T, st crossguard.Store) (n, frauds int) {
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

func TestImportDeclarationsOfTrainingFile(t *testing.T) {
	n, _ := mustNode(t, "")
	res, err := importer.ImportDeclarations(context.Background(), targetOf(n), "tester", declarationsDir+"train.csv",
		importer.DeclarationOptions{Options: importer.Options{RejectsPath: filepath.Join(t.TempDir(), "rejects.csv")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 37385 || res.Rejected != 0 || res.Rows != 37385 || res.Lines != 37386 || res.RejectsPath != "" {
		t.Fatalf("result %+v, want 37,385 imported from 37,386 lines and none rejected", res.Result)
	}
	if res.Labelled != 37385 || res.Frauds != 8114 || res.Critical != 394 || res.Decided != 0 {
		t.Errorf("%d labelled, %d frauds, %d critical, %d decided; want 37385, 8114, 394, 0", res.Labelled, res.Frauds, res.Critical, res.Decided)
	}
	if got, frauds := countLabelled(t, n.Store); got != 37385 || frauds != 8114 {
		t.Errorf("store holds %d labelled declarations, %d frauds", got, frauds)
	}
	// The first row is no fraud; 62138752 on line 7 is a fraud, not critical.
	if in := labelOf(t, n.Store, "97061800"); in.Result != crossguard.ResultNoFinding || in.Source != crossguard.InspectionFromFile || !in.At.Equal(now) {
		t.Errorf("inspection of 97061800: %+v", in)
	}
	e, err := n.Store.DeclarationEntry(context.Background(), "97061800")
	if err != nil || e.Declaration.HS6Code != "440890" || e.Declaration.ItemPrice != 372254.4 || !e.ReceivedAt.Equal(now) || e.Decision != nil {
		t.Errorf("stored declaration %+v, %v", e, err)
	}
}

func TestImportDeclarationsStoresLabelsAsInspections(t *testing.T) {
	n, _ := mustNode(t, "")
	path := declFile(t, declRow("1", 0, 0), declRow("2", 1, 0), declRow("3", 1, 1), declRow("4", 1, 2))
	res, err := importer.ImportDeclarations(context.Background(), targetOf(n), "tester", path, importer.DeclarationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 4 || res.Labelled != 4 || res.Frauds != 3 || res.Critical != 1 {
		t.Fatalf("result %+v", res)
	}
	for id, want := range map[string]crossguard.Inspection{
		"1": {Result: crossguard.ResultNoFinding, Label: crossguard.Label{}},
		"2": {Result: crossguard.ResultIrregularity, Label: crossguard.Label{Fraud: 1}},
		"3": {Result: crossguard.ResultIrregularity, Label: crossguard.Label{Fraud: 1, Critical: 1}},
		"4": {Result: crossguard.ResultSeizure, Label: crossguard.Label{Fraud: 1, Critical: 2}},
	} {
		if in := labelOf(t, n.Store, id); in.Result != want.Result || in.Label != want.Label {
			t.Errorf("declaration %s: %s %+v, want %s %+v", id, in.Result, in.Label, want.Result, want.Label)
		}
	}
}

func TestImportDeclarationsRejectsBadRowsWithTheirLines(t *testing.T) {
	n, _ := mustNode(t, "")
	ctx := context.Background()
	// Declaration 9 is already stored from an earlier file.
	if _, err := importer.ImportDeclarations(ctx, targetOf(n), "tester", declFile(t, declRow("9", 0, 0)), importer.DeclarationOptions{}); err != nil {
		t.Fatal(err)
	}
	path := declFile(t,
		declRow("1", 0, 0), // line 2
		strings.Replace(declRow("2", 0, 0), ",440890,", ",44089,", 1),         // line 3: HS code
		strings.Replace(declRow("3", 1, 1), ",108.0,372254.4,", ",1 08,,", 1), // line 4: two numbers
		declRow("1", 1, 1),   // line 5: twice in the file
		declRow("9", 0, 0),   // line 6: stored before
		"4,2020-01-01,30",    // line 7: too few cells
		declRow("5", 2, 0),   // line 8: label
		`6,2020-01-01,3"0,B`, // line 9: bare quote
		declRow("7", 1, 2),   // line 10
	)
	var errs bytes.Buffer
	res, err := importer.ImportDeclarations(ctx, targetOf(n), "tester", path, importer.DeclarationOptions{Options: importer.Options{Errors: &errs}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 7 || res.Labelled != 2 || res.Frauds != 1 || res.Critical != 1 {
		t.Errorf("result %+v, want 2 imported (1 fraud) and 7 rejected", res)
	}
	wantErrs := []string{
		`line 3: HS6 Code: "44089" is not a 6-digit HS code such as 293911`,
		`line 4: Net Mass: "1 08" is not a number such as 1234.5 (a point for decimals, no thousands separators)`,
		`line 4: Item Price: required`,
		`line 5: Declaration ID: "1" is already on line 2 of this file`,
		`line 6: Declaration ID: "9" is already stored (imported or received before)`,
		`line 7: row: has 3 cells, but the header has 22 columns`,
		`line 8: Fraud: "2" is not 0 (no fraud) or 1 (fraud)`,
		`line 9: csv: a quote (") inside a cell that does not start with one (line 9, column 15): quote the whole cell and double the quotes inside it, e.g. "5 ""No. 4"" blocks"`,
	}
	if got := lines(errs.String()); !reflect.DeepEqual(got, wantErrs) {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
	}
	rows := readCSV(t, res.RejectsPath)
	if len(rows) != 8 || !reflect.DeepEqual(rows[0], append(strings.Split(declHeader, ","), "error")) {
		t.Fatalf("rejects file has %d rows, header %q", len(rows), rows[0])
	}
	if got := rows[2][len(rows[2])-1]; got != wantErrs[1]+"; "+wantErrs[2] {
		t.Errorf("rejects row of line 4 says %q", got)
	}
	if _, err := n.Store.DeclarationEntry(ctx, "2"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Errorf("a rejected declaration was stored: %v", err)
	}

	// The rejects file, corrected, imports as it is: its error column is
	// ignored, and the rows that still fail are rejected again.
	fixed := strings.Replace(string(mustReadFile(t, res.RejectsPath)), ",44089,", ",440890,", 1)
	res, err = importer.ImportDeclarations(ctx, targetOf(n), "tester", writeFile(t, "fixed.csv", []byte(fixed)), importer.DeclarationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Rejected != 6 {
		t.Errorf("corrected rejects file: %d imported, %d rejected; want 1 and 6", res.Imported, res.Rejected)
	}
}

// mustReadFile returns the content of a file.
func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImportDeclarationsRefusesABadHeader(t *testing.T) {
	n, _ := mustNode(t, "")
	header := strings.Replace(declHeader, "HS6 Code", "hs6_code", 1)
	path := writeFile(t, "bad.csv", []byte(header+"\n"+declRow("1", 0, 0)+"\n"))
	_, err := importer.ImportDeclarations(context.Background(), targetOf(n), "tester", path, importer.DeclarationOptions{})
	if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), "nothing was imported") ||
		!strings.Contains(err.Error(), `hs6_code: unknown column (did you mean "HS6 Code"?)`) {
		t.Fatalf("error %v", err)
	}
	if _, err := n.Store.DeclarationEntry(context.Background(), "1"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Errorf("a row of a refused file was stored: %v", err)
	}
}

// flakyDeclStore is the real store with SaveDeclarations failing after ok
// successful calls.
type flakyDeclStore struct {
	crossguard.Store
	ok, calls int
}

// SaveDeclarations counts the call and fails once ok calls succeeded.
func (s *flakyDeclStore) SaveDeclarations(ctx context.Context, actor string, entries []*crossguard.DeclarationEntry, p *crossguard.ImportProgress) error {
	s.calls++
	if s.calls > s.ok {
		return errors.New("disk I/O error (injected)")
	}
	return s.Store.SaveDeclarations(ctx, actor, entries, p)
}

// resumeDeclFile writes a file of 105 rows, every tenth a fraud and every
// seventh bad, and returns its path and the lines of the bad rows.
func resumeDeclFile(t *testing.T) (string, []string) {
	t.Helper()
	var rows, bad []string
	for i := range 105 {
		fraud := 0
		if i%10 == 0 {
			fraud = 1
		}
		row := declRow(fmt.Sprint(1000+i), fraud, fraud)
		if i%7 == 6 {
			row = strings.Replace(row, ",BE,BE,", ",BE,XXX,", 1)
			bad = append(bad, fmt.Sprintf(`line %d: Country of Origin: "XXX" is not a 2-letter country code such as PK`, i+2))
		}
		rows = append(rows, row)
	}
	return declFile(t, rows...), bad
}

func TestImportDeclarationsResumesWithoutDuplicates(t *testing.T) {
	for _, rebuild := range []bool{false, true} {
		t.Run(fmt.Sprintf("rebuild=%v", rebuild), func(t *testing.T) {
			n, _ := mustNode(t, "")
			path, bad := resumeDeclFile(t)
			real := n.Store
			n.Store = &flakyDeclStore{Store: real, ok: 3}
			ctx := context.Background()
			opts := importer.DeclarationOptions{Options: importer.Options{BatchSize: 10}}
			res, err := importer.ImportDeclarations(ctx, targetOf(n), "tester", path, opts)
			if err == nil || !strings.Contains(err.Error(), "run the same import again to resume") || !strings.Contains(err.Error(), "30 declarations imported") {
				t.Fatalf("error %v, want the store's failure and how to resume", err)
			}
			if got, _ := countLabelled(t, real); res.Imported != 30 || got != 30 || res.Labelled != 30 {
				t.Fatalf("result says %d imported (%d labelled), store holds %d; want the 3 committed batches of 10", res.Imported, res.Labelled, got)
			}
			if rebuild {
				os.Remove(res.RejectsPath)
			}

			n.Store = real
			var errs bytes.Buffer
			opts.Errors = &errs
			res, err = importer.ImportDeclarations(ctx, targetOf(n), "tester", path, opts)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Resumed || res.RejectsRebuilt != rebuild || res.Imported != 105-15 || res.Rejected != 15 || res.Rows != 105 {
				t.Errorf("resumed import %+v, want 90 imported and 15 rejected in all", res.Result)
			}
			if res.Labelled != 90 || res.Frauds != 9 || res.Critical != 0 {
				t.Errorf("resumed import counts %d labelled, %d frauds; want 90 and 9 over the whole file", res.Labelled, res.Frauds)
			}
			if got, frauds := countLabelled(t, real); got != 90 || frauds != 9 {
				t.Errorf("store holds %d declarations (%d frauds), want 90 (9), each once", got, frauds)
			}
			var rejected []string
			for _, r := range readCSV(t, res.RejectsPath)[1:] {
				rejected = append(rejected, r[len(r)-1])
			}
			if !reflect.DeepEqual(rejected, bad) {
				t.Errorf("rejects file holds\n%q\nwant\n%q", rejected, bad)
			}
			// Rows rejected before the interruption are not reported again.
			if strings.Contains(errs.String(), "line 8:") || !strings.Contains(errs.String(), "line 106:") {
				t.Errorf("errors of the resumed import:\n%s", errs.String())
			}
		})
	}
}

func TestImportDeclarationsDecidesUnlabelledRows(t *testing.T) {
	n, _ := mustNode(t, "")
	header := strings.TrimSuffix(declHeader, ",Fraud,Critical Fraud")
	var rows []string
	for i := range 5 {
		rows = append(rows, strings.TrimSuffix(declRow(fmt.Sprint(i+1), 0, 0), ",0,0"))
	}
	path := writeFile(t, "incoming.csv", []byte(header+"\n"+strings.Join(rows, "\n")+"\n"))
	var calls [][]string
	fail := true
	decide := func(_ context.Context, ds []*crossguard.Declaration) ([]*crossguard.Decision, error) {
		var ids []string
		out := make([]*crossguard.Decision, len(ds))
		for i, d := range ds {
			ids = append(ids, string(d.DeclarationID))
			if d.DeclarationID != "3" { // 3 gets no decision
				out[i] = &crossguard.Decision{DeclarationID: string(d.DeclarationID), Channel: "red", Score: 0.9,
					SelectedBy: crossguard.SelectedModel, DecidedAt: now, Reasons: []crossguard.Reason{{Type: crossguard.ReasonModel, Text: "test"}}}
			}
		}
		calls = append(calls, ids)
		if fail && len(calls) == 2 {
			return nil, errors.New("engine down (injected)")
		}
		return out, nil
	}
	opts := importer.DeclarationOptions{Options: importer.Options{BatchSize: 2}, Decide: decide}
	res, err := importer.ImportDeclarations(context.Background(), targetOf(n), "tester", path, opts)
	if err == nil || !strings.Contains(err.Error(), "engine down") || res.Imported != 2 || res.Decided != 2 {
		t.Fatalf("import with a failing engine: %v, %+v", err, res)
	}
	fail = false
	res, err = importer.ImportDeclarations(context.Background(), targetOf(n), "tester", path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 5 || res.Labelled != 0 || res.Decided != 2 {
		t.Errorf("resumed import: %d imported, %d labelled, %d decided by this run; want 5, 0, 2", res.Imported, res.Labelled, res.Decided)
	}
	want := [][]string{{"1", "2"}, {"3", "4"}, {"3", "4"}, {"5"}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("decided batches %v, want %v", calls, want)
	}
	for _, id := range []string{"1", "2", "3", "4", "5"} {
		e, err := n.Store.DeclarationEntry(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Inspection != nil || (e.Decision == nil) != (id == "3") || (e.Decision != nil && e.Decision.Channel != "red") {
			t.Errorf("declaration %s stored with decision %+v and inspection %+v", id, e.Decision, e.Inspection)
		}
	}
}
