package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"crossguard"
	"crossguard/importer"
)

// flakyStore is the real store with CreateSeizures failing after ok
// successful calls, and a hook called before each call, to interrupt an
// import at a known batch.
type flakyStore struct {
	crossguard.Store
	ok     int
	calls  int
	before func(call int)
}

// CreateSeizures counts the call, runs the hook and fails once ok calls
// have succeeded.
func (s *flakyStore) CreateSeizures(ctx context.Context, actor string, items []*crossguard.Seizure, p *crossguard.ImportProgress) error {
	s.calls++
	if s.before != nil {
		s.before(s.calls)
	}
	if s.calls > s.ok {
		return errors.New("disk I/O error (injected)")
	}
	return s.Store.CreateSeizures(ctx, actor, items, p)
}

// resumeFile writes a file of rows narrated "row N", every tenth of them
// bad, and returns its path, the narratives of the good rows and the
// lines of the bad ones.
func resumeFile(t *testing.T, rows int) (string, []string, []string) {
	t.Helper()
	tb := newTable()
	var good, bad []string
	for i := range rows {
		cells := map[string]string{"narrative": fmt.Sprintf("row %d", i)}
		if i%10 == 9 {
			cells["hs"] = "999999"
			bad = append(bad, fmt.Sprintf("line %d: hs: \"999999\" is not an HS 2022 code", i+2))
		} else {
			good = append(good, cells["narrative"])
		}
		tb.add(cells)
	}
	return writeFile(t, "resume.csv", tb.bytes()), good, bad
}

// checkImported fails unless the node holds exactly the seizures narrated
// want, each once, and the rejects file exactly the errors wantRejects.
func checkImported(t *testing.T, got []*crossguard.Seizure, want []string, rejectsPath string, wantRejects []string) {
	t.Helper()
	var narratives []string
	for _, s := range got {
		narratives = append(narratives, s.Narrative)
	}
	slices.Sort(narratives)
	want = slices.Clone(want)
	slices.Sort(want)
	if !reflect.DeepEqual(narratives, want) {
		t.Errorf("stored %d seizures, want %d, each once", len(narratives), len(want))
	}
	rows := readCSV(t, rejectsPath)
	var errs []string
	for _, r := range rows[1:] {
		errs = append(errs, r[len(r)-1])
	}
	if !reflect.DeepEqual(errs, wantRejects) {
		t.Errorf("rejects file holds\n%q\nwant\n%q", errs, wantRejects)
	}
}

func TestImportResumesAfterFailure(t *testing.T) {
	n, _ := mustNode(t, "")
	path, good, bad := resumeFile(t, 105)
	real := n.Store
	flaky := &flakyStore{Store: real, ok: 3}
	n.Store = flaky
	ctx := context.Background()
	res, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{BatchSize: 10})
	if err == nil || !strings.Contains(err.Error(), "run the same import again to resume") || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("error %v, want the store's failure and how to resume", err)
	}
	if res.Imported != 30 || len(allSeizures(t, n)) != 30 {
		t.Fatalf("result says %d imported, store holds %d; want the 3 committed batches of 10", res.Imported, len(allSeizures(t, n)))
	}

	n.Store = real
	var errs bytes.Buffer
	res, err = importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{BatchSize: 10, Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.RejectsRebuilt || res.Imported != int64(len(good)) || res.Rejected != int64(len(bad)) || res.Rows != 105 {
		t.Errorf("resumed import %+v, want %d imported and %d rejected in all", res, len(good), len(bad))
	}
	checkImported(t, allSeizures(t, n), good, res.RejectsPath, bad)
	// Rows rejected before the interruption are not reported again.
	if strings.Contains(errs.String(), "line 11:") || !strings.Contains(errs.String(), "line 101:") {
		t.Errorf("errors of the resumed import:\n%s", errs.String())
	}
}

func TestImportStopsAfterCurrentBatchOnCancel(t *testing.T) {
	n, _ := mustNode(t, "")
	path, good, bad := resumeFile(t, 105)
	real := n.Store
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	flaky := &flakyStore{Store: real, ok: 1000, before: func(call int) {
		if call == 2 {
			cancel() // Ctrl-C while the second batch is being stored
		}
	}}
	n.Store = flaky
	res, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{BatchSize: 10})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want one wrapping context.Canceled", err)
	}
	if flaky.calls != 2 || res.Imported != 20 || len(allSeizures(t, n)) != 20 {
		t.Fatalf("%d batches stored, %d seizures reported; want the batch under way completed and no more", flaky.calls, res.Imported)
	}
	n.Store = real
	res, err = importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{BatchSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.Imported != int64(len(good)) {
		t.Errorf("resumed import %+v", res)
	}
	checkImported(t, allSeizures(t, n), good, res.RejectsPath, bad)
}

func TestImportRebuildsLostRejectsFile(t *testing.T) {
	tests := []struct {
		name string
		lose func(path string) error
	}{
		{"removed", os.Remove},
		{"replaced", func(path string) error { return os.WriteFile(path, []byte("something else\n"), 0o644) }},
		{"cut short", func(path string) error { return os.Truncate(path, 300) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _ := mustNode(t, "")
			path, good, bad := resumeFile(t, 105)
			real := n.Store
			n.Store = &flakyStore{Store: real, ok: 5}
			ctx := context.Background()
			if _, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{BatchSize: 10}); err == nil {
				t.Fatal("the injected failure did not stop the import")
			}
			if err := tt.lose(importer.DefaultRejectsPath(path)); err != nil {
				t.Fatal(err)
			}
			n.Store = real
			var errs bytes.Buffer
			res, err := importer.ImportSeizures(ctx, targetOf(n), "tester", path, importer.Options{BatchSize: 10, Errors: &errs})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Resumed || !res.RejectsRebuilt || res.Rejected != int64(len(bad)) {
				t.Errorf("resumed import %+v, want the rejects file rebuilt", res)
			}
			if !strings.Contains(errs.String(), "writing it again") {
				t.Errorf("no note about rebuilding the rejects file:\n%s", errs.String())
			}
			checkImported(t, allSeizures(t, n), good, res.RejectsPath, bad)
		})
	}
}

func TestImportResumeAtEveryBatch(t *testing.T) {
	// Interrupt the same file after each possible number of batches, with
	// groups of rows crossing batch boundaries, and check that the resumed
	// import always ends with the same records and rejects.
	tb := newTable()
	for i := range 60 {
		ref := ""
		if i%7 < 3 {
			ref = fmt.Sprintf("G%d", i/7) // groups of three rows
		}
		cells := map[string]string{"ref": ref, "narrative": fmt.Sprintf("row %d", i)}
		if i%11 == 5 {
			cells["unit"] = "bags"
		}
		tb.add(cells)
	}
	data := tb.bytes()
	// outcome imports the file, interrupted after ok batches unless ok is
	// negative, then resumed, and returns the seizures stored (narrative
	// and lines of goods) and the errors in the rejects file.
	outcome := func(t *testing.T, ok int) (stored, rejects []string) {
		n, _ := mustNode(t, "")
		path := writeFile(t, "groups.csv", data)
		real := n.Store
		if ok >= 0 {
			n.Store = &flakyStore{Store: real, ok: ok}
			if _, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{BatchSize: 4}); err == nil {
				t.Fatalf("the import was not interrupted after %d batches", ok)
			}
			n.Store = real
		}
		res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{BatchSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		if res.Resumed != (ok >= 0) {
			t.Errorf("Resumed is %v", res.Resumed)
		}
		for _, s := range allSeizures(t, n) {
			stored = append(stored, fmt.Sprintf("%s/%d", s.Narrative, len(s.Goods)))
		}
		slices.Sort(stored)
		for _, r := range readCSV(t, res.RejectsPath)[1:] {
			rejects = append(rejects, r[len(r)-1])
		}
		return stored, rejects
	}
	good, bad := outcome(t, -1)
	if len(good) < 30 || len(bad) == 0 {
		t.Fatalf("uninterrupted import: %d seizures, %d rejects", len(good), len(bad))
	}
	for ok := 0; ok*4 < len(good); ok++ {
		t.Run(fmt.Sprintf("after %d batches", ok), func(t *testing.T) {
			stored, rejects := outcome(t, ok)
			if !reflect.DeepEqual(stored, good) {
				t.Errorf("stored %q\nwant %q", stored, good)
			}
			if !reflect.DeepEqual(rejects, bad) {
				t.Errorf("rejects %q\nwant %q", rejects, bad)
			}
		})
	}
}
