package importer_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"crossguard/importer"
)

// TestImportWarnsOfPersonalDataInLocalRows checks that a local row whose
// narrative holds a personal identifier is stored, as the API stores it,
// and that the import says so, masked, naming the line and the field;
// while the same row shared with partners is rejected.
func TestImportWarnsOfPersonalDataInLocalRows(t *testing.T) {
	n, _ := mustNode(t, "")
	tb := newTable()
	tb.add(map[string]string{"distribution": "local", "narrative": "The driver gave CNIC 35202-1234567-1 at the post."})
	tb.add(map[string]string{"distribution": "partners", "narrative": "The driver gave CNIC 35202-1234567-1 at the post."})
	tb.add(map[string]string{"distribution": "local", "narrative": "Packets under the floor of the trailer."})
	path := writeFile(t, "local.csv", tb.bytes())
	var errs bytes.Buffer
	res, err := importer.ImportSeizures(context.Background(), targetOf(n), "tester", path, importer.Options{Errors: &errs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 1 {
		t.Fatalf("result %+v, want the two local rows imported and the shared one rejected", res)
	}
	out := errs.String()
	var warnings []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "warning") {
			warnings = append(warnings, l)
		}
	}
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "line 2: warning: narrative: personal data") {
		t.Fatalf("warnings reported %q, want one for line 2's narrative\n%s", warnings, out)
	}
	if strings.Contains(out, "35202-1234567-1") {
		t.Errorf("the report repeats the identifier:\n%s", out)
	}
}
