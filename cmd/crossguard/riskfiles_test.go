package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"crossguard"
)

// The labelled declaration files the risk tests train and evaluate on.
var (
	trainCSV = filepath.Join("..", "..", "testdata", "customs-declarations", "train.csv")
	validCSV = filepath.Join("..", "..", "testdata", "customs-declarations", "valid.csv")
)

// runFile runs a command that works on files (train, eval, score), which
// take no --data, and returns stdout, stderr and the error.
func runFile(args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	err := Run(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

// mustFile runs a file command that must succeed and returns its stdout.
func mustFile(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runFile(args...)
	if err != nil {
		t.Fatalf("crossguard %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// trained is the model trained on train.csv with seed 1, once per test
// binary: training takes seconds, and every risk test can share it.
var trained struct {
	once sync.Once
	path string
	err  error
}

// trainedModel returns the path of the model trained on train.csv with
// seed 1. The file lives in a temporary directory of its own, outside any
// one test's.
func trainedModel(t *testing.T) string {
	t.Helper()
	trained.once.Do(func() {
		dir, err := os.MkdirTemp("", "crossguard-model-")
		if err != nil {
			trained.err = err
			return
		}
		trained.path = filepath.Join(dir, "risk.model")
		out, errOut, err := runFile("train", "--in", trainCSV, "--out", trained.path, "--seed", "1")
		if err != nil {
			trained.err = fmt.Errorf("train: %v\nstdout: %s\nstderr: %s", err, out, errOut)
		}
	})
	if trained.err != nil {
		t.Fatal(trained.err)
	}
	return trained.path
}

// readCSVRecords reads a whole CSV file as records, header first.
func readCSVRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return recs
}

// csvColumn returns the index of a header in a CSV header row.
func csvColumn(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

// writeTestFile writes a file in a test's temporary directory and returns its
// path.
func writeTestFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeRecords writes CSV records to a file in the test's temporary
// directory.
func writeRecords(t *testing.T, name string, recs [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(recs)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return writeTestFile(t, name, b.Bytes())
}

func TestEvalJSONOnValidSplit(t *testing.T) {
	m := trainedModel(t)
	out := mustFile(t, "eval", "--model", m, "--in", validCSV, "--json")
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "}\n") {
		t.Fatalf("eval --json printed more or less than one JSON line:\n%s", out)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("eval --json printed more than one JSON value:\n%s", out)
	}
	keys := func(m map[string]json.RawMessage) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if got, want := keys(top), []string{"positives", "precision_at", "recall_at", "rows"}; !slices.Equal(got, want) {
		t.Fatalf("eval --json keys %v, want exactly %v", got, want)
	}
	var rows, positives int
	var precision, recall map[string]float64
	for _, f := range []struct {
		key string
		v   any
	}{{"rows", &rows}, {"positives", &positives}, {"precision_at", &precision}, {"recall_at", &recall}} {
		if err := json.Unmarshal(top[f.key], f.v); err != nil {
			t.Fatalf("%s: %v (%s)", f.key, err, top[f.key])
		}
	}
	for name, m := range map[string]map[string]float64{"precision_at": precision, "recall_at": recall} {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		if want := []string{"1", "10", "2", "5"}; !slices.Equal(ks, want) {
			t.Fatalf("%s keys %v, want exactly %v", name, ks, want)
		}
	}

	// The counts, checked against the file itself.
	recs := readCSVRecords(t, validCSV)
	fraud := csvColumn(t, recs[0], "Fraud")
	wantPositives := 0
	for _, r := range recs[1:] {
		if r[fraud] != "0" {
			wantPositives++
		}
	}
	if rows != 8134 || rows != len(recs)-1 || positives != wantPositives {
		t.Fatalf("rows %d, positives %d; want 8134 rows (%d in the file) and %d positives", rows, positives, len(recs)-1, wantPositives)
	}
	// Recall follows from precision: the hits among the top ceil(n% × rows)
	// over all positives.
	for _, n := range []int{1, 2, 5, 10} {
		k := strconv.Itoa(n)
		top := math.Ceil(float64(n) / 100 * float64(rows))
		hits := precision[k] * top
		if math.Abs(hits-math.Round(hits)) > 1e-6 || precision[k] < 0 || precision[k] > 1 {
			t.Errorf("precision@%d%% = %v is not a whole number of hits among %v", n, precision[k], top)
		}
		if want := math.Round(hits) / float64(positives); math.Abs(recall[k]-want) > 1e-9 {
			t.Errorf("recall@%d%% = %v, want %v (%v hits of %d positives)", n, recall[k], want, math.Round(hits), positives)
		}
	}
	// The bar: better than XGBoost on the valid split.
	if precision["5"] < 0.951 || precision["10"] < 0.875 {
		t.Fatalf("p@5%% %.3f and p@10%% %.3f; want at least 0.951 and 0.875", precision["5"], precision["10"])
	}
	t.Logf("valid split: p@1%% %.3f p@2%% %.3f p@5%% %.3f p@10%% %.3f", precision["1"], precision["2"], precision["5"], precision["10"])

	// Without --json the same figures come as a table.
	table := mustFile(t, "eval", "--model", m, "--in", validCSV)
	if !strings.Contains(table, "8134 declarations") || !strings.Contains(table, fmt.Sprintf("%.3f", precision["5"])) {
		t.Fatalf("eval table:\n%s", table)
	}
}

func TestTrainSameSeedSameFile(t *testing.T) {
	m := trainedModel(t)
	again := filepath.Join(t.TempDir(), "again.model")
	mustFile(t, "train", "--in", trainCSV, "--out", again, "--seed", "1")
	a, err := os.ReadFile(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two trainings with seed 1 gave different model files (%d and %d bytes)", len(a), len(b))
	}
	if _, err := os.Stat(again + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("train left its temporary file behind: %v", err)
	}
}

func TestTrainRefusesUnlabelledFile(t *testing.T) {
	recs := readCSVRecords(t, validCSV)[:51]
	for i, r := range recs {
		recs[i] = r[:len(r)-2] // without Fraud and Critical Fraud
	}
	in := writeRecords(t, "unlabelled.csv", recs)
	out := filepath.Join(t.TempDir(), "m")
	_, _, err := runFile("train", "--in", in, "--out", out)
	if err == nil || !strings.Contains(err.Error(), "no Fraud and Critical Fraud columns") {
		t.Fatalf("train on an unlabelled file: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused training wrote %s", out)
	}
	// eval needs labels too.
	if _, _, err := runFile("eval", "--model", trainedModel(t), "--in", in, "--json"); err == nil || !strings.Contains(err.Error(), "Fraud") {
		t.Fatalf("eval on an unlabelled file: %v", err)
	}
	// score does not.
	mustFile(t, "score", "--model", trainedModel(t), "--in", in, "--out", filepath.Join(t.TempDir(), "d.csv"), "--seed", "1")
}

func TestEvalAndScoreRefuseBadModelFiles(t *testing.T) {
	good, err := os.ReadFile(trainedModel(t))
	if err != nil {
		t.Fatal(err)
	}
	corrupt := bytes.Clone(good)
	corrupt[len(corrupt)/2] ^= 0x5a
	future := bytes.Clone(good)
	future[8] = 99 // the format version, after the 8-byte magic
	small := writeRecords(t, "small.csv", readCSVRecords(t, validCSV)[:101])
	for _, c := range []struct {
		name string
		file []byte
		says string
	}{
		{"corrupt", corrupt, "corrupt"},
		{"from another format version", future, "format version 99"},
		{"truncated", good[:len(good)/2], "truncated"},
		{"truncated header", good[:12], "truncated"},
		{"empty", nil, "empty"},
		{"not a model", []byte("declaration_id,score\n1,0.5\n"), "not a crossguard model file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := writeTestFile(t, "bad.model", c.file)
			_, _, err := runFile("eval", "--model", m, "--in", small, "--json")
			if err == nil || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), m) {
				t.Fatalf("eval: %v; want an error naming %s and saying %q", err, m, c.says)
			}
			out := filepath.Join(t.TempDir(), "d.csv")
			_, _, err = runFile("score", "--model", m, "--in", small, "--out", out)
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("score: %v; want an error saying %q", err, c.says)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatal("score wrote decisions with a refused model")
			}
		})
	}
}

// mustReadFile reads a file.
func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scoreProfiles are the profiles the score test applies: a red one and a
// yellow one, in force over the whole valid split (2021).
const scoreProfiles = `[
 {"name": "Handbags declared cheap", "channel": "red", "score": 0.9,
  "conditions": [{"field": "hs6_code", "op": "prefix", "value": "4202"},
                 {"field": "value_per_kg", "op": "lt", "value": 10}],
  "valid_from": "2020-06-01", "valid_to": "2022-05-01",
  "distribution": "partners", "marking": {"tlp": "amber", "handling": "H1"}},
 {"name": "Heavy plastic articles", "channel": "yellow", "score": 0.4,
  "conditions": [{"field": "hs6_code", "op": "prefix", "value": "3926"},
                 {"field": "net_mass", "op": "gt", "value": 1000}],
  "valid_from": "2020-06-01"}
]`

// profileHit says whether a valid.csv row meets a score profile.
func profileHit(t *testing.T, header, r []string, name string) bool {
	t.Helper()
	num := func(col string) float64 {
		f, err := strconv.ParseFloat(r[csvColumn(t, header, col)], 64)
		if err != nil {
			t.Fatalf("%s %q: %v", col, r[csvColumn(t, header, col)], err)
		}
		return f
	}
	hs := r[csvColumn(t, header, "HS6 Code")]
	switch name {
	case "Handbags declared cheap":
		return strings.HasPrefix(hs, "4202") && num("Net Mass") > 0 && num("Item Price")/num("Net Mass") < 10
	case "Heavy plastic articles":
		return strings.HasPrefix(hs, "3926") && num("Net Mass") > 1000
	}
	t.Fatalf("no profile %q", name)
	return false
}

func TestScoreFile(t *testing.T) {
	m := trainedModel(t)
	profilesFile := writeTestFile(t, "profiles.json", []byte(scoreProfiles))
	out := filepath.Join(t.TempDir(), "decisions.csv")
	_, summary, err := runFile("score", "--model", m, "--in", validCSV, "--profiles", profilesFile, "--out", out, "--seed", "3")
	if err != nil {
		t.Fatalf("score: %v\n%s", err, summary)
	}
	in := readCSVRecords(t, validCSV)
	got := readCSVRecords(t, out)
	if want := []string{"declaration_id", "score", "channel", "selected_by", "reasons"}; !slices.Equal(got[0], want) {
		t.Fatalf("header %v, want %v", got[0], want)
	}
	if len(got) != len(in) {
		t.Fatalf("%d decisions for %d declarations", len(got)-1, len(in)-1)
	}
	idCol := csvColumn(t, in[0], "Declaration ID")
	counts := map[string]int{}
	hits := map[string]int{}
	for i, row := range got[1:] {
		r := in[i+1]
		if row[0] != r[idCol] {
			t.Fatalf("row %d is declaration %s, want %s (the input's order)", i+1, row[0], r[idCol])
		}
		score, err := strconv.ParseFloat(row[1], 64)
		if err != nil || score < 0 || score > 1 {
			t.Fatalf("row %d: score %q", i+1, row[1])
		}
		channel, by, reasons := row[2], row[3], row[4]
		if crossguard.ChannelRank(channel) < 0 {
			t.Fatalf("row %d: channel %q", i+1, channel)
		}
		if !slices.Contains([]string{"profile", "random", "model", "none"}, by) {
			t.Fatalf("row %d: selected_by %q", i+1, by)
		}
		if (by == "none") != (channel == crossguard.ChannelGreen) {
			t.Fatalf("row %d: channel %s selected by %s", i+1, channel, by)
		}
		if by == "random" && (channel != crossguard.ChannelRed || !strings.Contains(reasons, "random selection")) {
			t.Fatalf("row %d: random selection without red or its reason: %v", i+1, row)
		}
		if !strings.Contains(reasons, "the model's risk") {
			t.Fatalf("row %d: no model feature among the reasons %q", i+1, reasons)
		}
		counts[channel]++
		counts[by]++
		for _, p := range []struct{ name, channel string }{{"Handbags declared cheap", "red"}, {"Heavy plastic articles", "yellow"}} {
			named := strings.Contains(reasons, `matches profile "`+p.name+`" of profiles.json`)
			if hit := profileHit(t, in[0], r, p.name); hit != named {
				t.Fatalf("row %d (%s): meets %q: %v, reasons name it: %v (%q)", i+1, row[0], p.name, hit, named, reasons)
			} else if hit {
				hits[p.name]++
				if crossguard.ChannelRank(channel) < crossguard.ChannelRank(p.channel) {
					t.Fatalf("row %d meets profile %q (%s) but went to %s", i+1, p.name, p.channel, channel)
				}
			}
		}
	}
	rows := float64(len(got) - 1)
	t.Logf("channels %v; profile hits %v", counts, hits)
	if hits["Handbags declared cheap"] == 0 || hits["Heavy plastic articles"] == 0 {
		t.Fatalf("a profile matched nothing: %v", hits)
	}
	// The red share is the target inspection rate, 5%, rule hits and random
	// selection included; random selection is about 1%.
	if red := float64(counts["red"]) / rows; red < 0.04 || red > 0.065 {
		t.Fatalf("red share %.4f, want close to 0.05 (%v)", red, counts)
	}
	if random := float64(counts["random"]) / rows; random < 0.004 || random > 0.016 {
		t.Fatalf("random selection %.4f, want about 0.01 (%v)", random, counts)
	}
	for _, c := range []string{"yellow", "blue"} {
		if share := float64(counts[c]) / rows; share < 0.02 || share > 0.12 {
			t.Fatalf("%s share %.4f, want about 0.05 (%v)", c, share, counts)
		}
	}
	if !strings.Contains(summary, fmt.Sprintf("red %d,", counts["red"])) {
		t.Fatalf("summary %q does not match the file (%v)", summary, counts)
	}
	// The same seed draws the same random selection: the same file.
	again := filepath.Join(t.TempDir(), "again.csv")
	mustFile(t, "score", "--model", m, "--in", validCSV, "--profiles", profilesFile, "--out", again, "--seed", "3")
	if !bytes.Equal(mustReadFile(t, out), mustReadFile(t, again)) {
		t.Fatal("two runs of score with seed 3 wrote different files")
	}
}

func TestScoreRefusesBadProfiles(t *testing.T) {
	m := trainedModel(t)
	small := writeRecords(t, "small.csv", readCSVRecords(t, validCSV)[:201])
	good := `{"name": "ok", "channel": "red", "score": 0.5, "valid_from": "2020-01-01", "conditions": [{"field": "hs6_code", "op": "prefix", "value": "85"}]}`
	for _, c := range []struct {
		name, json string
		says       []string
	}{
		{"never matches", `{"name": "Impossible", "channel": "red", "score": 0.5, "valid_from": "2020-01-01",
			"conditions": [{"field": "value_per_kg", "op": "lt", "value": 10}, {"field": "value_per_kg", "op": "gt", "value": 20}]}`,
			[]string{`profile 2 ("Impossible") refused`, "conditions[1].value", "can never hold"}},
		{"never in force", `{"name": "Backwards", "channel": "red", "score": 0.5, "valid_from": "2022-01-01", "valid_to": "2021-01-01",
			"conditions": [{"field": "hs6_code", "op": "prefix", "value": "85"}]}`,
			[]string{`profile 2 ("Backwards") refused`, "valid_to", "could never match"}},
		{"unknown field", `{"name": "Colour", "channel": "red", "score": 0.5, "valid_from": "2020-01-01",
			"conditions": [{"field": "colour", "op": "eq", "value": "red"}]}`,
			[]string{"conditions[0].field", `unknown field "colour"`}},
		{"bad channel and score", `{"name": "Purple", "channel": "purple", "score": 2, "valid_from": "2020-01-01",
			"conditions": [{"field": "hs6_code", "op": "prefix", "value": "85"}]}`,
			[]string{"channel", "purple", "score"}},
		{"misspelt key", `{"name": "Typo", "channel": "red", "score": 0.5, "valid_from": "2020-01-01", "valid_until": "2020-02-01",
			"conditions": [{"field": "hs6_code", "op": "prefix", "value": "85"}]}`,
			[]string{"valid_until"}},
		{"unknown state", `{"name": "State", "channel": "red", "score": 0.5, "valid_from": "2020-01-01", "state": "sleeping",
			"conditions": [{"field": "hs6_code", "op": "prefix", "value": "85"}]}`,
			[]string{"state", "sleeping"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := writeTestFile(t, "profiles.json", []byte("["+good+",\n"+c.json+"]"))
			out := filepath.Join(t.TempDir(), "d.csv")
			_, _, err := runFile("score", "--model", m, "--in", small, "--profiles", file, "--out", out, "--seed", "1")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, s := range c.says {
				if !strings.Contains(err.Error(), s) {
					t.Fatalf("error %q does not say %q", err, s)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatal("score wrote decisions with refused profiles")
			}
		})
	}
	// The good profile alone is applied.
	out := filepath.Join(t.TempDir(), "d.csv")
	mustFile(t, "score", "--model", m, "--in", small, "--profiles", writeTestFile(t, "p.json", []byte("["+good+"]")), "--out", out, "--seed", "1")
	if !strings.Contains(string(mustReadFile(t, out)), `matches profile ""ok""`) {
		t.Fatal("the good profile was not applied")
	}
}

func TestRiskFileCommandsNeedTheirFlags(t *testing.T) {
	for _, args := range [][]string{
		{"train", "--out", "m"}, {"train", "--in", "x.csv"},
		{"eval", "--in", "x.csv"}, {"eval", "--model", "m"},
		{"score", "--model", "m", "--in", "x.csv"},
	} {
		_, errOut, err := runFile(args...)
		if err != errUsage || !strings.Contains(errOut, "Usage") {
			t.Errorf("%v: %v, stderr %q", args, err, errOut)
		}
	}
}

func TestScoreRefusesBadRates(t *testing.T) {
	for _, bad := range []struct {
		args []string
		says string
	}{
		{[]string{"--target-inspection-rate", "0"}, "--target-inspection-rate"},
		{[]string{"--target-inspection-rate", "2"}, "--target-inspection-rate"},
		{[]string{"--random-rate", "-0.5"}, "--random-rate"},
		{[]string{"--random-rate", "0.1"}, "--random-rate"},
	} {
		// The rates are checked before the (missing) files are read.
		_, _, err := runFile(append([]string{"score", "--model", "no.model", "--in", "no.csv", "--out", "-"}, bad.args...)...)
		if err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("score %v: %v; want an error naming %s", bad.args, err, bad.says)
		}
	}
}
