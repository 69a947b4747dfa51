package importer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
	"crossguard/importer"
	"crossguard/sample"
)

func TestImportGoodFile(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable()
	for i := range 25 {
		tb.add(map[string]string{"narrative": "row " + string(rune('A'+i)), "identifiers": "container:CSQU3054383;vehicle_plate:GB-1234",
			"lat": "36.69", "lon": "74.82", "value_amount": "150000", "value_currency": "USD", "recipients": "cn-customs; af-customs"})
	}
	path := writeFile(t, "good.csv", tb.bytes())
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs, BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := importer.Result{Lines: 26, Rows: 25, Imported: 25, StartedAt: now, FinishedAt: now}
	if !reflect.DeepEqual(*res, want) {
		t.Errorf("result %+v, want %+v", *res, want)
	}
	if errs.Len() > 0 {
		t.Errorf("errors reported for a good file:\n%s", errs.String())
	}
	if _, err := os.Stat(importer.DefaultRejectsPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rejects file was written for a good file (stat: %v)", err)
	}
	got := allSeizures(t, n)
	if len(got) != 25 {
		t.Fatalf("%d seizures stored, want 25", len(got))
	}
	s := got[0]
	wantIDs := []crossguard.Identifier{{Type: "container", Value: "CSQU3054383"}, {Type: "vehicle_plate", Value: "GB-1234"}}
	switch {
	case s.Origin != "pk-customs/sost" || s.Version != 1 || s.ID == "":
		t.Errorf("seizure not stamped by the node: id %q origin %q version %d", s.ID, s.Origin, s.Version)
	case !reflect.DeepEqual(s.Identifiers, wantIDs):
		t.Errorf("identifiers %+v, want %+v", s.Identifiers, wantIDs)
	case !reflect.DeepEqual(s.Recipients, []string{"cn-customs", "af-customs"}):
		t.Errorf("recipients %q", s.Recipients)
	case s.Place.Lat == nil || *s.Place.Lat != 36.69 || s.Place.Lon == nil || *s.Place.Lon != 74.82:
		t.Errorf("place %+v", s.Place)
	case s.Goods[0].Value == nil || s.Goods[0].Value.Amount != 150000 || s.Goods[0].Value.Currency != "USD":
		t.Errorf("goods %+v", s.Goods[0])
	case !s.OccurredAt.Equal(time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)):
		t.Errorf("occurred_at %s", s.OccurredAt)
	}
	page, err := n.Store.ListAudit(context.Background(), crossguard.AuditFilter{Action: crossguard.ActionSeizureCreate, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 25 || page.Items[0].Actor != "tester" {
		t.Errorf("%d audit entries for the import, want 25 by tester", len(page.Items))
	}
}

func TestImportRefGroups(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable().
		add(map[string]string{"ref": "A", "narrative": "group A"}).
		add(map[string]string{"ref": "A", "category": "precursors", "hs": "291524", "description": "acetic anhydride", "quantity": "200", "unit": "l",
			"occurred_at": "", "country": "", "tlp": "", "narrative": "ignored"}).
		add(map[string]string{"ref": "A", "category": "tobacco", "hs": "240220", "description": "cigarettes", "quantity": "10000", "unit": "sticks"}).
		add(map[string]string{"ref": "B", "narrative": "group B"}).
		add(map[string]string{"ref": "", "narrative": "no ref 1"}).
		add(map[string]string{"ref": "", "narrative": "no ref 2"}).
		add(map[string]string{"ref": "A", "narrative": "A again, a new seizure"})
	path := writeFile(t, "groups.csv", tb.bytes())
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 5 || res.Rows != 7 || res.Rejected != 0 {
		t.Fatalf("imported %d seizures from %d rows, rejected %d; want 5 from 7, none rejected", res.Imported, res.Rows, res.Rejected)
	}
	byNarrative := map[string]*crossguard.Seizure{}
	for _, s := range allSeizures(t, n) {
		byNarrative[s.Narrative] = s
	}
	a := byNarrative["group A"]
	if a == nil || len(a.Goods) != 3 {
		t.Fatalf("group A: %+v, want one seizure with 3 lines of goods", a)
	}
	if a.Goods[1].HS != "291524" || a.Goods[1].Unit != "l" || a.Goods[2].Quantity != 10000 || a.Marking.TLP != "amber" {
		t.Errorf("group A goods %+v", a.Goods)
	}
	for _, k := range []string{"group B", "no ref 1", "no ref 2", "A again, a new seizure"} {
		if s := byNarrative[k]; s == nil || len(s.Goods) != 1 {
			t.Errorf("%s: %+v, want one seizure with one line of goods", k, s)
		}
	}
}

func TestImportBadRows(t *testing.T) {
	n, _ := mustNode(t, "")
	// The narrative of row 2 spans three physical lines, so every later
	// row starts two lines further down than its record number suggests.
	data := newTable().
		add(map[string]string{"narrative": "good 1"}).                                                       // line 2
		add(map[string]string{"narrative": "good 2\nsecond line\nthird line"}).                              // lines 3-5
		add(map[string]string{"hs": "999999", "narrative": "bad hs"}).                                       // line 6
		add(map[string]string{"occurred_at": "yesterday", "quantity": "1,5", "tlp": "purple"}).              // line 7
		add(map[string]string{"ref": "G", "narrative": "group G"}).                                          // line 8
		add(map[string]string{"ref": "G", "unit": "bags"}).                                                  // line 9
		add(map[string]string{"ref": "G"}).                                                                  // line 10
		add(map[string]string{"identifiers": "container:CSQU3054384;plate"}).                                // line 11
		add(map[string]string{"lat": "36.7", "lon": "", "narrative": "half a position"}).                    // line 12
		add(map[string]string{"tlp": "red", "narrative": "red without recipients"}).                         // line 13
		add(map[string]string{"occurred_at": "2027-01-01", "narrative": "in the future"}).                   // line 14
		add(map[string]string{"narrative": "good 3"}).                                                       // line 15
		add(map[string]string{"value_currency": "USD", "narrative": "currency without amount"}).             // line 16
		add(map[string]string{"occurred_at": "2026-10-02 14:30", "narrative": "good 4, date without zone"}). // line 17
		bytes()
	path := writeFile(t, "bad.csv", data)
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	wantErrs := []string{
		`line 6: hs: "999999" is not an HS 2022 code`,
		`line 7: occurred_at: "yesterday" is not a date and time: write 2026-11-20T09:30:00Z (RFC 3339, with a time zone), or 2026-11-20 09:30 or 2026-11-20 (UTC)`,
		`line 7: quantity: "1,5" is not a number (write decimals with a point and no thousands separators, e.g. 1234.5)`,
		`line 7: tlp: "purple" is not one of clear, green, amber, amber+strict, red`,
		`line 9: unit: "bags" is not one of kg, g, mg, t, l, ml, m3, pieces, tablets, doses, ampoules, sticks, packs, cartons, rounds, head, items`,
		`line 8: ref: rejected with line 9, which has the same ref "G"`,
		`line 10: ref: rejected with line 9, which has the same ref "G"`,
		`line 11: identifiers: "plate" is not a type:value pair such as container:CSQU3054383 (types: container, vehicle_plate, vessel_imo, flight, waybill, company_registration, bill_of_lading, postal_item)`,
		`line 12: lon: required when lat is given`,
		`line 13: recipients: TLP:RED records must name their recipient agencies`,
		`line 14: occurred_at: 2027-01-01T00:00:00Z is in the future (the node's clock says 2026-11-20T09:30:00Z)`,
		`line 16: value_amount: required when value_currency is given`,
	}
	got := lines(errs.String())
	for _, w := range wantErrs {
		if !slices.Contains(got, w) {
			t.Errorf("missing error line %q", w)
		}
	}
	if t.Failed() {
		t.Logf("error lines:\n%s", errs.String())
	}
	if res.Imported != 4 || res.Rejected != 10 || res.Rows != 14 || res.Lines != 17 {
		t.Errorf("result %+v, want 4 imported, 10 rejected of 14 rows on 17 lines", res)
	}
	// The identifiers cell of line 11 had a bad check digit too: reported
	// in the same row's errors.
	if !strings.Contains(errs.String(), `line 11: identifiers: "CSQU3054384": check digit is 4, expected 3`) {
		t.Errorf("container check digit error missing:\n%s", errs.String())
	}

	rows := readCSV(t, res.RejectsPath)
	if res.RejectsPath != importer.DefaultRejectsPath(path) || filepath.Base(res.RejectsPath) != "bad.rejects.csv" {
		t.Errorf("rejects path %q", res.RejectsPath)
	}
	wantHeader := append(slices.Clone(testColumns), "error")
	if !reflect.DeepEqual(rows[0], wantHeader) {
		t.Errorf("rejects header %q, want %q", rows[0], wantHeader)
	}
	if len(rows) != 11 {
		t.Fatalf("rejects file has %d rows, want header + 10", len(rows))
	}
	// Cells are written as they were read.
	input := readCSV(t, path)
	for i, inputRow := range []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13} { // records (0 = header) of the rejected rows, in order
		if !reflect.DeepEqual(rows[i+1][:len(testColumns)], input[inputRow]) {
			t.Errorf("rejects row %d is %q, want the input's cells %q", i+1, rows[i+1][:len(testColumns)], input[inputRow])
		}
	}
	if e := rows[1][len(testColumns)]; e != `line 6: hs: "999999" is not an HS 2022 code` {
		t.Errorf("error cell %q", e)
	}

	var narratives []string
	for _, s := range allSeizures(t, n) {
		narratives = append(narratives, s.Narrative)
	}
	slices.Sort(narratives)
	want := []string{"good 1", "good 2\nsecond line\nthird line", "good 3", "good 4, date without zone"}
	if !reflect.DeepEqual(narratives, want) {
		t.Errorf("stored narratives %q, want %q", narratives, want)
	}
}

func TestImportRefusesHeader(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   []string
	}{
		{"missing columns", "occurred_at,country,place_name,direction,transport_mode,detection_method,concealment,category,description,quantity,unit,distribution,handling",
			[]string{"hs: required column is missing", "tlp: required column is missing"}},
		{"unknown columns with suggestions", "occurred_at,Country,place_name,direction,transport_mode,detection_method,concealment,category,hs,description,quantity,unit,distribution,tlp,handling,lattitude,latitude,colour",
			[]string{`Country: unknown column (did you mean "country"?)`, `lattitude: unknown column`, `latitude: unknown column (did you mean "lat"?)`, "colour: unknown column;", "country: required column is missing"}},
		{"duplicate column", "occurred_at,country,place_name,direction,transport_mode,detection_method,concealment,category,hs,description,quantity,unit,distribution,tlp,handling,hs",
			[]string{"hs: appears twice, in columns 9 and 16"}},
		{"empty column name", "occurred_at,country,place_name,direction,transport_mode,detection_method,concealment,category,hs,description,quantity,unit,distribution,tlp,handling,",
			[]string{"column 16: has no name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := mustNode(t, "")
			row := strings.Repeat(",", strings.Count(tt.header, ","))
			path := writeFile(t, "f.csv", []byte(tt.header+"\n"+row+"\n"))
			res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{})
			if crossguard.ErrorCode(err) != crossguard.EINVALID || res != nil {
				t.Fatalf("got %v, %v; want an EINVALID error and no result", res, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error()+";", w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), "nothing was imported") {
				t.Errorf("error %q does not say nothing was imported", err)
			}
			if p, _ := n.Store.ImportProgress(context.Background(), "x"); p != nil || len(allSeizures(t, n)) != 0 {
				t.Error("something was imported")
			}
		})
	}
}

func TestImportAlreadyDoneAndAgain(t *testing.T) {
	n, _ := mustNode(t, "")
	path := writeFile(t, "twice.csv", newTable().add(nil).add(map[string]string{"hs": "99"}).bytes())
	ctx := context.Background()
	first, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The same content under another name is the same file.
	data, _ := os.ReadFile(path)
	copyPath := writeFile(t, "copy.csv", data)
	second, err := importer.ImportSeizures(ctx, targetOf(n), "tester", copyPath, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !second.AlreadyDone || second.Imported != 1 || second.Rejected != 1 || !second.FinishedAt.Equal(now) || second.RejectsPath == "" {
		t.Errorf("second import %+v, want AlreadyDone with the first import's counts and date", second)
	}
	if len(allSeizures(t, n)) != 1 {
		t.Fatal("the second import stored seizures")
	}
	third, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{Again: true})
	if err != nil {
		t.Fatal(err)
	}
	if third.AlreadyDone || third.Imported != 1 || first.Imported != 1 {
		t.Errorf("import with Again: %+v", third)
	}
	if len(allSeizures(t, n)) != 2 {
		t.Fatal("the import with Again did not store the file's seizures once more")
	}
}

func TestImportErrorLimit(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable()
	for range 30 {
		tb.add(map[string]string{"hs": "999999", "tlp": "purple"}) // two errors per row
	}
	path := writeFile(t, "many.csv", tb.bytes())
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs, MaxErrorLines: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := lines(errs.String())
	if len(got) != 6 {
		t.Fatalf("%d lines written, want 5 and a summary:\n%s", len(got), errs.String())
	}
	// Rows 2 and 3 are reported in full, row 4 in part: 27 more rows.
	if want := "... and 27 more rejected rows, see " + res.RejectsPath; got[5] != want {
		t.Errorf("summary %q, want %q", got[5], want)
	}
	if len(readCSV(t, res.RejectsPath)) != 31 {
		t.Error("the rejects file does not hold all 30 rows")
	}
}

func TestImportRejectsFileRoundTrip(t *testing.T) {
	n, _ := mustNode(t, "")
	path := writeFile(t, "in.csv", newTable().add(map[string]string{"narrative": "ok"}).add(map[string]string{"hs": "2939X", "narrative": "fix me"}).bytes())
	ctx := context.Background()
	res, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Correct the rejected row in the rejects file and import that file as
	// it is: its error column is ignored.
	data, err := os.ReadFile(res.RejectsPath)
	if err != nil {
		t.Fatal(err)
	}
	fixed := writeFile(t, "fixed.csv", bytes.Replace(data, []byte("2939X"), []byte("2939"), 1))
	res2, err := importer.ImportSeizures(ctx, targetOf(n), "tester", fixed, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Imported != 1 || res2.Rejected != 0 {
		t.Fatalf("import of the corrected rejects file: %+v", res2)
	}
	if len(allSeizures(t, n)) != 2 {
		t.Error("the corrected row is not stored")
	}
}

func TestImportSampleRoundTrip(t *testing.T) {
	n, _ := mustNode(t, "")
	var buf bytes.Buffer
	if err := sample.WriteCSV(&buf, 400, 11, now); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "sample.csv", buf.Bytes())
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{BatchSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 400 || res.Rejected != 0 {
		t.Fatalf("imported %d, rejected %d; want all 400 sample seizures", res.Imported, res.Rejected)
	}
	want := map[string]*crossguard.Seizure{}
	for _, s := range sample.Seizures(400, 11, now) {
		want[s.Narrative+s.OccurredAt.String()] = s
	}
	for _, got := range allSeizures(t, n) {
		w := want[got.Narrative+got.OccurredAt.String()]
		if w == nil {
			t.Fatalf("stored seizure %s is not one of the sample", got.ID)
		}
		w.Header = got.Header
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("stored seizure differs from the sample:\n got %+v\nwant %+v", got, w)
		}
	}
}

func TestImportExampleFile(t *testing.T) {
	n, _ := mustNode(t, "")
	data, err := os.ReadFile("testdata/example.csv")
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "example.csv", data)
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 0 || res.Imported == 0 {
		t.Fatalf("the documented example does not import cleanly: %+v\n%s", res, errs.String())
	}
}

func TestImportGroupTooLarge(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable().add(map[string]string{"narrative": "before"})
	for range crossguard.MaxGoods + 3 {
		tb.add(map[string]string{"ref": "BIG"})
	}
	tb.add(map[string]string{"ref": "SMALL", "narrative": "after"}).add(map[string]string{"ref": "SMALL"})
	path := writeFile(t, "big-group.csv", tb.bytes())
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs, MaxErrorLines: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != int64(crossguard.MaxGoods+3) {
		t.Errorf("imported %d, rejected %d; want the two small seizures in and all %d rows of the large group rejected", res.Imported, res.Rejected, crossguard.MaxGoods+3)
	}
	if want := `line 3: ref: more than 100 rows share the ref "BIG", but a seizure has at most 100 lines of goods`; lines(errs.String())[0] != want {
		t.Errorf("first error %q, want %q", lines(errs.String())[0], want)
	}
	if rows := readCSV(t, res.RejectsPath); len(rows) != crossguard.MaxGoods+4 {
		t.Errorf("rejects file has %d rows", len(rows))
	}
}

func TestImportProgress(t *testing.T) {
	n, _ := mustNode(t, "")
	data := newTable().add(nil).add(nil).bytes()
	path := writeFile(t, "progress.csv", data)
	var calls [][2]int64
	_, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Progress: func(done, total int64) {
		calls = append(calls, [2]int64{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	if len(calls) < 2 || calls[0][1] != size || calls[len(calls)-1] != [2]int64{size, size} {
		t.Errorf("progress calls %v, want a first call and a last one at %d of %d bytes", calls, size, size)
	}
	var out bytes.Buffer
	bar := importer.ProgressBar(&out, size)
	bar(10, size)
	bar(size, size)
	if out.Len() != 0 {
		t.Errorf("a progress bar was drawn on a writer that is not a terminal: %q", out.String())
	}
}
