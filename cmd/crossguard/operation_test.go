package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"crossguard/storetest"
)

// idIn returns the first record id (a UUID) after prefix in out.
func idIn(t *testing.T, out, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + ` ([0-9a-f-]{36})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no id after %q in:\n%s", prefix, out)
	}
	return m[1]
}

// writeFile writes content to name in a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOperationCommands runs a joint operation from the command line:
// create, warn, seize and answer, message, show, report in every format,
// withdraw.
func TestOperationCommands(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	now := time.Now().UTC() // the CLI's node runs on the real clock
	stamp := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	opFile := writeFile(t, "op.json", `{"name": "Opium Route Winter", "participants": ["af-customs"],
 "starts_at": "`+stamp(-24*time.Hour)+`", "ends_at": "`+stamp(30*24*time.Hour)+`",
 "focus": {"categories": ["narcotics"], "routes": [["AF", "PK", "CN"]], "crossings": ["Sost"]},
 "marking": {"tlp": "amber", "handling": "H1"}}`)
	op := idIn(t, c.must("operation", "add", opFile), "Operation")
	if out := c.must("operation", "list"); !strings.Contains(out, op) || !strings.Contains(out, "running") || !strings.Contains(out, "af-customs,pk-customs") {
		t.Fatalf("operation list:\n%s", out)
	}
	if _, _, err := c.run("", "operation", "add", writeFile(t, "bad.json", `{"name": "x", "nickname": "y"}`)); err == nil || !strings.Contains(err.Error(), "nickname") {
		t.Fatalf("an unknown field: %v", err)
	}

	warnFile := writeFile(t, "warn.json", `{"identifiers": [{"type": "container", "value": "MSKU1234565"}], "expected_crossing": "Sost",
 "window": {"from": "`+stamp(-time.Hour)+`", "to": "`+stamp(48*time.Hour)+`"},
 "reason": "dried fruit on an unusual route", "suggested_channel": "red"}`)
	out := c.must("operation", "warn", op, warnFile)
	warning := idIn(t, out, "Warning")
	if !strings.Contains(out, "af-customs, pk-customs") {
		t.Fatalf("operation warn: %s", out)
	}

	out, errOut, err := c.run(storetest.ExampleSeizureJSON, "seizure", "add", "-")
	if err != nil {
		t.Fatalf("seizure add: %v\n%s", err, errOut)
	}
	var seizure struct{ ID string }
	if err := json.Unmarshal([]byte(out), &seizure); err != nil {
		t.Fatalf("seizure add printed %s: %v", out, err)
	}
	if _, _, err := c.run("", "operation", "feedback", warning, "--result", "not_inspected"); err == nil || !strings.Contains(err.Error(), "not_inspected_reason") {
		t.Fatalf("not inspected without a reason: %v", err)
	}
	if out := c.must("operation", "feedback", warning, "--result", "seized", "--seizure", seizure.ID, "--notes", "12.5 kg in a false floor"); !strings.Contains(out, "seized") {
		t.Fatalf("operation feedback: %s", out)
	}
	c.must("operation", "message", op, "Scanner at Sost down until 14:00.")

	var shown struct {
		Status   string
		Warnings []struct{ ID string }
		Feedback []struct {
			SeizureID string `json:"seizure_id"`
		}
		Messages []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(c.must("operation", "show", op)), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Status != "running" || len(shown.Warnings) != 1 || len(shown.Feedback) != 1 || shown.Feedback[0].SeizureID != seizure.ID ||
		len(shown.Messages) != 1 {
		t.Fatalf("operation show: %+v", shown)
	}

	text := c.must("operation", "report", op)
	if !regexp.MustCompile(`Warnings: +1\n`).MatchString(text) {
		t.Errorf("text report lacks the warnings:\n%s", text)
	}
	for _, want := range []string{"Operation Opium Route Winter", "Hits:", "By agency:", "pk-customs", "narcotics", "12.5 kg"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(c.must("operation", "report", op, "--format", "csv"))).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][0] != "section" || rows[1][0] != "totals" {
		t.Fatalf("CSV report %v: %v", rows, err)
	}
	var rep struct{ Warnings, Feedback, Hits, Seizures int }
	if err := json.Unmarshal([]byte(c.must("operation", "report", op, "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Warnings != 1 || rep.Feedback != 1 || rep.Hits != 1 || rep.Seizures != 1 {
		t.Fatalf("JSON report %+v", rep)
	}
	if _, _, err := c.run("", "operation", "report", op, "--format", "pdf"); err == nil || !strings.Contains(err.Error(), "--format") {
		t.Fatalf("--format pdf: %v", err)
	}

	c.must("operation", "withdraw", warning)
	if err := json.Unmarshal([]byte(c.must("operation", "report", op, "--format", "json")), &rep); err != nil || rep.Warnings != 0 {
		t.Fatalf("report after the withdrawal %+v, %v", rep, err)
	}
	if _, _, err := c.run("", "operation", "withdraw", warning); err == nil {
		t.Fatal("withdrawing twice succeeded")
	}
}
