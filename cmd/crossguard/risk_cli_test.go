package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard"
	"crossguard/node"
)

// exampleProfileJSON is the profile of issue 4's example.
const exampleProfileJSON = `{"name": "Opium alkaloids declared cheap", "channel": "red", "score": 0.9,
 "conditions": [{"field": "hs6_code", "op": "prefix", "value": "2939"},
                {"field": "value_per_kg", "op": "lt", "value": 50}],
 "valid_from": "2026-11-01", "valid_to": "2027-05-01",
 "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}}`

// profilesOf runs profile list --json.
func profilesOf(t *testing.T, c *cli) []*node.ProfileView {
	t.Helper()
	var ps []*node.ProfileView
	if out := c.must("profile", "list", "--json"); json.Unmarshal([]byte(out), &ps) != nil {
		t.Fatalf("profile list --json:\n%s", out)
	}
	return ps
}

// modelsOf runs model list --json.
func modelsOf(t *testing.T, c *cli) []*crossguard.ModelInfo {
	t.Helper()
	var ms []*crossguard.ModelInfo
	if out := c.must("model", "list", "--json"); json.Unmarshal([]byte(out), &ms) != nil {
		t.Fatalf("model list --json:\n%s", out)
	}
	return ms
}

// watchOf runs watch list --json.
func watchOf(t *testing.T, c *cli) []*crossguard.WatchEntry {
	t.Helper()
	var ws []*crossguard.WatchEntry
	if out := c.must("watch", "list", "--json"); json.Unmarshal([]byte(out), &ws) != nil {
		t.Fatalf("watch list --json:\n%s", out)
	}
	return ws
}

// secondWord returns the second word of s: the id in "Profile ID added..."
// and "Watch-list entry ID: ...".
func secondWord(t *testing.T, s string, skip int) string {
	t.Helper()
	f := strings.Fields(s)
	if len(f) <= skip {
		t.Fatalf("no id in %q", s)
	}
	return strings.TrimSuffix(f[skip], ":")
}

// testRiskNodeCommands runs the profile, watch, model and risk commands
// on an initialised node (pk-customs/...), whichever its database.
func testRiskNodeCommands(t *testing.T, c *cli) {
	t.Run("profiles", func(t *testing.T) { testProfileCommands(t, c) })
	t.Run("watch list", func(t *testing.T) { testWatchCommands(t, c) })
	t.Run("models", func(t *testing.T) { testModelCommands(t, c) })
	t.Run("risk stats", func(t *testing.T) { testRiskStatsCommand(t, c) })
	if out := c.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("audit verify after the risk commands: %s", out)
	}
}

func testProfileCommands(t *testing.T, c *cli) {
	if out := c.must("profile", "list"); !strings.Contains(out, "No profiles") {
		t.Fatalf("profile list on a new node: %q", out)
	}
	file := writeTestFile(t, "opium.json", []byte(exampleProfileJSON))
	out := c.must("profile", "add", file)
	id := secondWord(t, out, 1)
	if !strings.HasPrefix(out, "Profile ") || !strings.Contains(out, "active") {
		t.Fatalf("profile add said %q", out)
	}
	if out := c.must("profile", "list"); !strings.Contains(out, id) || !strings.Contains(out, "Opium alkaloids declared cheap") ||
		!strings.Contains(out, "active") || !strings.Contains(out, "2026-11-01..2027-05-01") {
		t.Fatalf("profile list does not show the profile active:\n%s", out)
	}
	ps := profilesOf(t, c)
	if len(ps) != 1 {
		t.Fatalf("%d profiles, want 1", len(ps))
	}
	p := ps[0]
	if p.ID != id || p.State != crossguard.ProfileActive || p.Kind != crossguard.KindProfile || p.Version != 1 ||
		!strings.HasPrefix(p.Origin, "pk-customs/") || p.Owner != p.Origin || p.Channel != "red" || p.Score != 0.9 ||
		len(p.Conditions) != 2 || p.ValidFrom != "2026-11-01" || p.ValidTo != "2027-05-01" ||
		p.Distribution != "partners" || p.Marking.TLP != "amber" || p.Stats == nil || p.Stats.Selected != 0 {
		t.Fatalf("stored profile %+v (%+v)", p.Profile, p.Stats)
	}
	var shown node.ProfileView
	if out := c.must("profile", "show", id); json.Unmarshal([]byte(out), &shown) != nil || shown.ID != id || shown.State != crossguard.ProfileActive || shown.Name != p.Name {
		t.Fatalf("profile show:\n%s", out)
	}
	if _, _, err := c.run("", "profile", "show", "01890000-0000-7000-8000-000000000000"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("show of a missing profile: %v", err)
	}

	if out := c.must("profile", "disable", id); !strings.Contains(out, "now disabled") {
		t.Fatalf("profile disable said %q", out)
	}
	if out := c.must("profile", "list"); !strings.Contains(out, "disabled") {
		t.Fatalf("profile list does not show the profile disabled:\n%s", out)
	}
	if ps := profilesOf(t, c); len(ps) != 1 || ps[0].State != crossguard.ProfileDisabled || ps[0].Version != 1 {
		t.Fatalf("after disable: %+v", ps[0])
	}
	if out := c.must("profile", "adopt", id); !strings.Contains(out, "now active") {
		t.Fatalf("profile adopt said %q", out)
	}
	if ps := profilesOf(t, c); ps[0].State != crossguard.ProfileActive {
		t.Fatalf("after adopt: %s", ps[0].State)
	}
	c.must("profile", "disable", id)
	if _, _, err := c.run("", "profile", "disable", "01890000-0000-7000-8000-000000000000"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("disable of a missing profile: %v", err)
	}

	// Invalid profiles are refused with the reason, field by field, and
	// nothing is stored.
	for _, bad := range []struct {
		name, json string
		says       []string
	}{
		{"bad channel and score", strings.NewReplacer(`"channel": "red"`, `"channel": "purple"`, `"score": 0.9`, `"score": 3`).Replace(exampleProfileJSON),
			[]string{"channel", "purple", "score: must be between 0 and 1"}},
		{"unknown field", strings.Replace(exampleProfileJSON, `"field": "hs6_code"`, `"field": "colour"`, 1),
			[]string{"conditions[0].field", `unknown field "colour"`}},
		{"never matches", strings.Replace(exampleProfileJSON, `"op": "lt", "value": 50`, `"op": "between", "value": [60, 50]`, 1),
			[]string{"conditions[1].value", "never"}},
		{"validity backwards", strings.Replace(exampleProfileJSON, `"valid_to": "2027-05-01"`, `"valid_to": "2026-05-01"`, 1),
			[]string{"valid_to", "could never match"}},
		{"no conditions", `{"name": "Everything", "channel": "red", "score": 0.5, "conditions": [], "valid_from": "2026-11-01",
			"distribution": "local", "marking": {"tlp": "amber", "handling": "H1"}}`,
			[]string{"conditions", "at least one condition"}},
		{"misspelt key", strings.Replace(exampleProfileJSON, `"valid_to"`, `"valid_until"`, 1),
			[]string{"valid_until"}},
		{"too large", exampleProfileJSON + strings.Repeat(" ", crossguard.MaxProfileBytes),
			[]string{"more than 1048576 bytes"}},
	} {
		t.Run(bad.name, func(t *testing.T) {
			out, errOut, err := c.run(bad.json, "profile", "add", "-")
			if err == nil {
				t.Fatalf("accepted: %s", out)
			}
			msg := err.Error() + " " + fieldsOf(err) + errOut
			for _, s := range bad.says {
				if !strings.Contains(msg, s) {
					t.Fatalf("refusal %q does not say %q", msg, s)
				}
			}
		})
	}
	if ps := profilesOf(t, c); len(ps) != 1 {
		t.Fatalf("refused profiles were stored: %d profiles", len(ps))
	}
	// The audit log says who changed the profile's state.
	if out := c.must("audit", "list", "--action", crossguard.ActionProfileState); !strings.Contains(out, id) {
		t.Fatalf("audit list of profile states:\n%s", out)
	}
}

func testWatchCommands(t *testing.T, c *cli) {
	if out := c.must("watch", "list"); !strings.Contains(out, "empty") {
		t.Fatalf("watch list on a new node: %q", out)
	}
	out := c.must("watch", "add", "--type", "container", "--value", "MSCU1234566", "--channel", "red",
		"--reason", "partner tip-off: heroin in machine parts", "--expires", "2099-12-31")
	container := secondWord(t, out, 2)
	if !strings.Contains(out, "MSCU1234566 goes to red") {
		t.Fatalf("watch add said %q", out)
	}
	out = c.must("watch", "add", "--type", "vehicle_plate", "--value", "LEA-4411", "--channel", "yellow",
		"--reason", "seen with the container above", "--expires", "2099-06-30T12:00:00Z")
	plate := secondWord(t, out, 2)
	out = c.must("watch", "list")
	for _, s := range []string{container, plate, "MSCU1234566", "LEA-4411", "partner tip-off", "yellow"} {
		if !strings.Contains(out, s) {
			t.Fatalf("watch list lacks %q:\n%s", s, out)
		}
	}
	ws := watchOf(t, c)
	if len(ws) != 2 {
		t.Fatalf("%d entries, want 2", len(ws))
	}
	for _, w := range ws {
		if w.ID == container && (w.Channel != "red" || w.Identifier.Type != "container" || w.ExpiresAt.Format("2006-01-02") != "2100-01-01" || w.Source == "") {
			t.Fatalf("container entry %+v (expires at the end of 2099-12-31)", w)
		}
		if w.ID == plate && (w.Channel != "yellow" || w.ExpiresAt.Format("2006-01-02T15:04") != "2099-06-30T12:00") {
			t.Fatalf("plate entry %+v", w)
		}
	}

	for _, bad := range []struct {
		name string
		args []string
		says []string
	}{
		{"wrong check digit", []string{"--type", "container", "--value", "MSCU1234565", "--reason", "x", "--expires", "2099-12-31"}, []string{"identifier.value", "check digit"}},
		{"already expired", []string{"--type", "container", "--value", "MSCU1234566", "--reason", "x", "--expires", "2001-01-01"}, []string{"expires_at", "past"}},
		{"no reason or expiry", []string{"--type", "container", "--value", "MSCU1234566"}, []string{"reason", "expires_at"}},
		{"green", []string{"--type", "container", "--value", "MSCU1234566", "--channel", "green", "--reason", "x", "--expires", "2099-12-31"}, []string{"channel"}},
		{"unknown type", []string{"--type", "passport", "--value", "X1", "--reason", "x", "--expires", "2099-12-31"}, []string{"identifier.type"}},
		{"bad date", []string{"--type", "container", "--value", "MSCU1234566", "--reason", "x", "--expires", "soon"}, []string{"--expires"}},
	} {
		t.Run(bad.name, func(t *testing.T) {
			out, errOut, err := c.run("", append([]string{"watch", "add"}, bad.args...)...)
			if err == nil {
				t.Fatalf("accepted: %s", out)
			}
			msg := err.Error() + " " + fieldsOf(err) + errOut
			for _, s := range bad.says {
				if !strings.Contains(msg, s) {
					t.Fatalf("refusal %q does not say %q", msg, s)
				}
			}
		})
	}
	if ws := watchOf(t, c); len(ws) != 2 {
		t.Fatalf("refused entries were stored: %d entries", len(ws))
	}

	if out := c.must("watch", "remove", container); !strings.Contains(out, "removed") {
		t.Fatalf("watch remove said %q", out)
	}
	if ws := watchOf(t, c); len(ws) != 1 || ws[0].ID != plate {
		t.Fatalf("after remove: %+v", ws)
	}
	if _, _, err := c.run("", "watch", "remove", container); err == nil {
		t.Fatal("removing an entry twice succeeded")
	}
	if out := c.must("audit", "list", "--action", crossguard.ActionWatchRemove); !strings.Contains(out, container) {
		t.Fatalf("audit list of watch removals:\n%s", out)
	}
}

func testModelCommands(t *testing.T, c *cli) {
	if out := c.must("model", "list"); !strings.Contains(out, "No models") {
		t.Fatalf("model list on a new node: %q", out)
	}
	if _, _, err := c.run("", "model", "train"); err == nil || !strings.Contains(err.Error(), "only 0 inspected declarations") {
		t.Fatalf("model train without labelled declarations: %v", err)
	}
	m := trainedModel(t)
	if out := c.must("model", "import", m, "--notes", "trained on train.csv"); !strings.Contains(out, "Model 1 stored") {
		t.Fatalf("model import said %q", out)
	}
	ms := modelsOf(t, c)
	if len(ms) != 1 || ms[0].Version != 1 || ms[0].Active || ms[0].TrainedRows != 37385 || ms[0].Seed != 1 || ms[0].Notes != "trained on train.csv" {
		t.Fatalf("after import: %+v", ms[0])
	}
	if out := c.must("model", "list"); !strings.Contains(out, "37385") || strings.Contains(out, "0.000") {
		t.Fatalf("model list of an imported model (no evaluation: dashes, not zeros):\n%s", out)
	}
	if out := c.must("model", "activate", "1"); !strings.Contains(out, "Model 1 is active") {
		t.Fatalf("model activate said %q", out)
	}
	if ms := modelsOf(t, c); !ms[0].Active || ms[0].ActivatedAt == nil {
		t.Fatalf("after activate: %+v", ms[0])
	}
	if _, _, err := c.run("", "model", "activate", "7"); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
		t.Fatalf("activating a missing version: %v", err)
	}
	if _, _, err := c.run("", "model", "activate", "latest"); err == nil || !strings.Contains(err.Error(), "not a model version") {
		t.Fatalf("activating %q: %v", "latest", err)
	}
	// A corrupt file is refused and the active model stays.
	good := mustReadFile(t, m)
	corrupt := writeTestFile(t, "corrupt.model", good[:len(good)-100])
	if _, _, err := c.run("", "model", "import", corrupt); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("import of a truncated model: %v", err)
	}
	if ms := modelsOf(t, c); len(ms) != 1 || !ms[0].Active {
		t.Fatalf("after a refused import: %+v", ms)
	}

	// Training on the node's inspected declarations: the latest 20% by
	// date evaluate the new version, which waits for an analyst.
	recs := readCSVRecords(t, trainCSV)[:1501]
	in := writeRecords(t, "labelled.csv", recs)
	if out := c.must("import", "declarations", in); !strings.Contains(out, "Labelled 1500") {
		t.Fatalf("import declarations said %q", out)
	}
	out := c.must("model", "train", "--seed", "7")
	if !strings.Contains(out, "Model 2 stored, not active: trained on the 1200 earliest") || !strings.Contains(out, "crossguard model activate 2") {
		t.Fatalf("model train said:\n%s", out)
	}
	ms = modelsOf(t, c)
	if len(ms) != 2 || ms[0].Version != 2 || ms[0].Active || !ms[1].Active {
		t.Fatalf("after training: %+v", ms)
	}
	ev := ms[0].Eval
	if ev == nil || ev.Rows != 300 || ms[0].TrainedRows != 1200 || ms[0].Seed != 7 || len(ev.PrecisionAt) != 4 || len(ev.RecallAt) != 4 || ev.PrecisionAt["10"] <= 0 {
		t.Fatalf("trained version %+v, eval %+v", ms[0], ev)
	}
	// A fraud rate well above chance in the held-out declarations.
	if base := float64(ev.Positives) / float64(ev.Rows); ev.PrecisionAt["10"] <= base {
		t.Fatalf("p@10%% %.3f is no better than the base rate %.3f", ev.PrecisionAt["10"], base)
	}
	c.must("model", "activate", "2")
	if ms := modelsOf(t, c); !ms[0].Active || ms[1].Active {
		t.Fatalf("after activating 2: %+v", ms)
	}
	if out := c.must("audit", "list", "--action", crossguard.ActionModelActivate); strings.Count(out, "\n") < 2 {
		t.Fatalf("audit list of activations:\n%s", out)
	}
}

func testRiskStatsCommand(t *testing.T, c *cli) {
	out := c.must("risk", "stats")
	for _, s := range []string{"Decisions from", "GROUP", "HIT RATE", "channel  red", "channel  green", "model"} {
		if !strings.Contains(out, s) {
			t.Fatalf("risk stats lacks %q:\n%s", s, out)
		}
	}
	var st crossguard.RiskStats
	if out := c.must("risk", "stats", "--json", "--from", "2020-01-01", "--to", "2030-01-01"); json.Unmarshal([]byte(out), &st) != nil {
		t.Fatalf("risk stats --json:\n%s", out)
	}
	if len(st.Channels) != 4 || st.Model == nil || st.Random == nil || st.From.Year() != 2020 || st.To.Year() != 2030 {
		t.Fatalf("risk stats --json: %+v", st)
	}
	if _, _, err := c.run("", "risk", "stats", "--from", "2026-02-01", "--to", "2026-01-01"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("risk stats over a backwards period: %v", err)
	}
	if _, _, err := c.run("", "risk", "stats", "--from", "last week"); err == nil || !strings.Contains(err.Error(), "--from") {
		t.Fatalf("risk stats with a bad date: %v", err)
	}
}

func TestRiskCommands(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	testRiskNodeCommands(t, c)
}

// TestScoreWithListedProfiles feeds 'profile list --json' to score: active
// profiles apply, disabled ones are left out.
func TestScoreWithListedProfiles(t *testing.T) {
	c := newCLI(t)
	c.initNode()
	handbags := `{"name": "Handbags declared cheap", "channel": "red", "score": 0.9,
		"conditions": [{"field": "hs6_code", "op": "prefix", "value": "4202"}, {"field": "value_per_kg", "op": "lt", "value": 10}],
		"valid_from": "2020-06-01", "distribution": "local", "marking": {"tlp": "amber", "handling": "H1"}}`
	id := secondWord(t, c.must("profile", "add", writeTestFile(t, "h.json", []byte(handbags))), 1)
	c.must("profile", "add", writeTestFile(t, "o.json", []byte(exampleProfileJSON)))
	listed := filepath.Join(t.TempDir(), "profiles.json")
	if err := os.WriteFile(listed, []byte(c.must("profile", "list", "--json")), 0o644); err != nil {
		t.Fatal(err)
	}
	m := trainedModel(t)
	out := filepath.Join(t.TempDir(), "d.csv")
	mustFile(t, "score", "--model", m, "--in", validCSV, "--profiles", listed, "--out", out, "--seed", "1")
	if n := strings.Count(string(mustReadFile(t, out)), `matches profile ""Handbags declared cheap"" of pk-customs/sost`); n != 69 {
		t.Fatalf("the listed profile matched %d declarations, want 69", n)
	}
	c.must("profile", "disable", id)
	if err := os.WriteFile(listed, []byte(c.must("profile", "list", "--json")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runFile("score", "--model", m, "--in", validCSV, "--profiles", listed, "--out", out, "--seed", "1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(mustReadFile(t, out)), "Handbags") || !strings.Contains(errOut, `"Handbags declared cheap") is disabled and is left out`) {
		t.Fatalf("a disabled profile was applied, or not said to be left out: %s", errOut)
	}
}

func TestRiskCommandsHelp(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"profile", "add", "--help"}, {"profile", "list", "--help"}, {"profile", "show", "--help"},
		{"profile", "adopt", "--help"}, {"profile", "disable", "--help"},
		{"watch", "add", "--help"}, {"watch", "list", "--help"}, {"watch", "remove", "--help"},
		{"model", "list", "--help"}, {"model", "train", "--help"}, {"model", "import", "--help"}, {"model", "activate", "--help"},
		{"risk", "stats", "--help"}, {"train", "--help"}, {"eval", "--help"}, {"score", "--help"},
	} {
		out, errOut, err := c.run("", args...)
		if err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if text := out + errOut; !strings.Contains(text, "Usage") || !strings.Contains(text, "Example") {
			t.Errorf("%v: help lacks usage or examples:\n%s", args, text)
		}
	}
	for _, group := range []string{"profile", "watch", "model", "risk"} {
		if _, errOut, err := c.run("", group, "frobnicate"); err != errUsage || !strings.Contains(errOut, "unknown command") {
			t.Errorf("%s frobnicate: %v %q", group, err, errOut)
		}
	}
}

func TestServeRefusesBadRates(t *testing.T) {
	// No node in the data directory: the rates are checked before it is
	// opened, so a missed check fails here instead of serving.
	c := newCLI(t)
	for _, bad := range []struct {
		args []string
		says string
	}{
		{[]string{"--random-rate", "0.2"}, "random selection rate 0.2 is above the target inspection rate 0.05"},
		{[]string{"--target-inspection-rate", "1.5"}, "--target-inspection-rate: 1.5 is not a share"},
		{[]string{"--target-inspection-rate", "0"}, "--target-inspection-rate: 0 would"},
		{[]string{"--random-rate", "-0.01"}, "--random-rate: -0.01 is not a share"},
		{[]string{"--target-inspection-rate", "0.6", "--document-rate", "0.3", "--audit-rate", "0.2"}, "add up to more than 1"},
	} {
		_, _, err := c.run("", append([]string{"serve", "--listen", "127.0.0.1:0", "--federation-listen", "off"}, bad.args...)...)
		if err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("serve %v: %v; want an error saying %q", bad.args, err, bad.says)
		}
	}
}
