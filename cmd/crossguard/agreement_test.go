package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard/node"
)

// cliAgreementJSON is an agreement whose first commitment is long overdue
// and whose others are due far ahead, whatever the day the test runs.
const cliAgreementJSON = `{"title": "Counter-narcotics and anti-smuggling cooperation",
 "parties": ["pk-customs", "af-customs"], "signed_on": "2020-01-15",
 "scope": {"default_marking": {"tlp": "amber", "handling": "H1"}},
 "commitments": [
  {"id": "ex-1", "type": "exercise", "title": "Joint exercise in the border region", "owner": "pk-customs", "due": "2099-06-30"},
  {"id": "vi-1", "type": "visit", "title": "Delegation visit", "owner": "af-customs", "due": "2020-06-30"},
  {"id": "tr-1", "type": "training", "title": "Training at the partner's academy", "owner": "pk-customs", "due": "2020-03-31"}]}`

// writeProgrammeFile writes content to name in a temporary directory.
func writeProgrammeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAgreementCommands(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	if out := c.must("agreement", "list"); !strings.Contains(out, "No agreements") {
		t.Fatalf("agreement list on a new node: %q", out)
	}
	out := c.must("agreement", "add", writeProgrammeFile(t, "agreement.json", cliAgreementJSON))
	if !strings.HasPrefix(out, "Agreement ") || !strings.Contains(out, "3 commitments (2 overdue)") {
		t.Fatalf("agreement add said %q", out)
	}
	id := secondWord(t, out, 1)
	if out := c.must("agreement", "list"); !strings.Contains(out, id) || !strings.Contains(out, "pk-customs/sost") {
		t.Fatalf("agreement list:\n%s", out)
	}

	// Overdue first, by due date; then the agreement's order.
	status := func() []string {
		t.Helper()
		out := c.must("agreement", "status", id)
		var rows []string
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 2 && strings.Contains("overdue planned in_progress done cancelled", f[0]) {
				rows = append(rows, f[0]+" "+f[1])
			}
		}
		return rows
	}
	if got := strings.Join(status(), ", "); got != "overdue tr-1, overdue vi-1, planned ex-1" {
		t.Fatalf("status rows: %s", got)
	}
	out = c.must("agreement", "progress", id, "tr-1", "--status", "done", "--note", "course held")
	if !strings.Contains(out, "commitment tr-1 is done") {
		t.Fatalf("agreement progress said %q", out)
	}
	if got := strings.Join(status(), ", "); got != "overdue vi-1, planned ex-1, done tr-1" {
		t.Fatalf("status rows after the report: %s", got)
	}
	if _, _, err := c.run("", "agreement", "progress", id, "vi-1", "--status", "done"); err == nil || !strings.Contains(err.Error(), "af-customs") {
		t.Fatalf("progress on af-customs' commitment: %v", err)
	}
	if _, _, err := c.run("", "agreement", "progress", id, "ex-1", "--status", "overdue"); err == nil || !strings.Contains(err.Error(), "status") {
		t.Fatalf("progress with status overdue: %v", err)
	}
	var v node.AgreementView
	if out := c.must("agreement", "show", id); json.Unmarshal([]byte(out), &v) != nil || v.ID != id || len(v.Commitments) != 3 || v.Overdue != 1 {
		t.Fatalf("agreement show:\n%s", out)
	}

	// Activities of the agreement.
	if out := c.must("activity", "list"); !strings.Contains(out, "No activities") {
		t.Fatalf("activity list on a new node: %q", out)
	}
	training := `{"type": "training", "agreement": "` + id + `", "commitment": "tr-1", "title": "Concealment detection course",
 "starts_on": "2020-03-02", "ends_on": "2020-03-13", "place": "Customs academy, Kabul",
 "agencies": ["af-customs", "pk-customs"], "headcounts": {"pk-customs": 12}, "status": "done",
 "training": {"course": "Concealment detection", "hours": 60, "certified": 11}}`
	out = c.must("activity", "add", writeProgrammeFile(t, "training.json", training))
	if !strings.Contains(out, `training "Concealment detection course", 2020-03-02..2020-03-13`) {
		t.Fatalf("activity add said %q", out)
	}
	act := secondWord(t, out, 1)
	if out := c.must("activity", "list", "--agreement", id); !strings.Contains(out, act) || !strings.Contains(out, "tr-1") {
		t.Fatalf("activity list:\n%s", out)
	}
	ics := c.must("activity", "list", "--ics")
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || !strings.Contains(ics, "UID:"+act+"@crossguard\r\n") ||
		!strings.Contains(ics, "DTEND;VALUE=DATE:20200314\r\n") {
		t.Fatalf("activity list --ics:\n%s", ics)
	}
	bad := strings.Replace(training, `"agencies": ["af-customs", "pk-customs"]`, `"agencies": ["ir-customs"]`, 1)
	if _, _, err := c.run("", "activity", "add", writeProgrammeFile(t, "bad.json", bad)); err == nil || !strings.Contains(err.Error(), "ir-customs") {
		t.Fatalf("activity of an agency outside the agreement: %v", err)
	}
	if out := c.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("audit verify: %s", out)
	}
}

func TestProgrammeCommandsHelp(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"agreement", "add", "--help"}, {"agreement", "list", "--help"}, {"agreement", "show", "--help"},
		{"agreement", "status", "--help"}, {"agreement", "progress", "--help"},
		{"activity", "add", "--help"}, {"activity", "list", "--help"},
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
