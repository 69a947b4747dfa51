package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"crossguard"
	"crossguard/declcsv"
	"crossguard/node"
	"crossguard/risk/decide"
	"crossguard/risk/model"
	"crossguard/risk/profiles"
)

// maxShownRowErrors is how many bad rows a file command prints.
const maxShownRowErrors = 10

// readDeclarationFile reads every valid row of a declaration CSV file,
// printing the first bad rows to stderr and counting the rest.
func readDeclarationFile(env *Env, path string, needLabels bool) ([]*crossguard.Declaration, []*crossguard.Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open declarations: %w", err)
	}
	defer f.Close()
	r, err := declcsv.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if needLabels && !r.Layout().Labelled() {
		return nil, nil, fmt.Errorf("%s has no Fraud and Critical Fraud columns: training and evaluation need declarations with their known outcome", path)
	}
	var ds []*crossguard.Declaration
	var ls []*crossguard.Label
	bad := 0
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		if row.Err != nil {
			if bad < maxShownRowErrors {
				fmt.Fprintf(env.Stderr, "%s: %v\n", path, row.Err)
			}
			bad++
			continue
		}
		ds, ls = append(ds, row.Declaration), append(ls, row.Label)
	}
	if bad > 0 {
		fmt.Fprintf(env.Stderr, "%s: %d rows left out for errors (%d shown above)\n", path, bad, min(bad, maxShownRowErrors))
	}
	if len(ds) == 0 {
		return nil, nil, fmt.Errorf("%s holds no valid declaration", path)
	}
	return ds, ls, nil
}

// runTrain trains a model on labelled files.
func runTrain(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "train", "train --in FILE.csv [--in FILE2.csv] --out MODEL [--seed N]", `
Trains a fraud model (gradient-boosted trees) on labelled declarations: CSV
files in the layout of the customs declaration files with their Fraud and
Critical Fraud columns. The same files and seed always give the same
model. Store the model on a node with 'crossguard model import MODEL', or
use it directly with 'crossguard eval' and 'crossguard score'.

Example:
  crossguard train --in train.csv --out risk.model --seed 1`)
	var in stringList
	fs.Var(&in, "in", "labelled declaration CSV file (repeat for several)")
	out := fs.String("out", "", "model file to write (required)")
	seed := fs.Int64("seed", 1, "random seed")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if len(in) == 0 || *out == "" {
		fs.Usage()
		return errUsage
	}
	var ex []model.Example
	for _, path := range in {
		ds, ls, err := readDeclarationFile(env, path, true)
		if err != nil {
			return err
		}
		for i, d := range ds {
			ex = append(ex, model.Example{Decl: d, Label: *ls[i]})
		}
	}
	start := time.Now()
	fmt.Fprintf(env.Stderr, "Training on %d declarations...\n", len(ex))
	m, err := model.Train(ctx, ex, model.Options{Seed: *seed, Progress: progressPrinter(env)})
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if err := writeModel(m, *out); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Model written to %s: trained on %d declarations in %.1f s.\n", *out, len(ex), time.Since(start).Seconds())
	return nil
}

// progressPrinter prints each training stage once, when it starts.
func progressPrinter(env *Env) func(stage string, done, total int) {
	last := ""
	return func(stage string, done, total int) {
		if stage != last {
			fmt.Fprintf(env.Stderr, "  %s (%d steps)\n", stage, total)
			last = stage
		}
	}
}

// writeModel writes a model file atomically.
func writeModel(m *model.Model, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	w := bufio.NewWriter(f)
	if _, err := m.WriteTo(w); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write model: %w", err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write model: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write model: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write model: %w", err)
	}
	return os.Rename(tmp, path)
}

// readModel reads a model file, explaining a refusal.
func readModel(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	m, err := model.Read(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// runEval evaluates a model on a labelled file.
func runEval(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "eval", "eval --model MODEL --in FILE.csv [--json]", `
Evaluates a model on labelled declarations: precision@n% is the share of
frauds among the ceil(n% × rows) declarations with the highest scores (ties
broken by declaration id), recall@n% the share of all frauds they hold, for
n = 1, 2, 5 and 10. With --json it prints exactly
{"rows": N, "positives": P, "precision_at": {"1": x, ...}, "recall_at": {...}}.

Example:
  crossguard eval --model risk.model --in valid.csv --json`)
	modelPath := fs.String("model", "", "model file (required)")
	in := fs.String("in", "", "labelled declaration CSV file (required)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if *modelPath == "" || *in == "" {
		fs.Usage()
		return errUsage
	}
	m, err := readModel(*modelPath)
	if err != nil {
		return err
	}
	ds, ls, err := readDeclarationFile(env, *in, true)
	if err != nil {
		return err
	}
	ids := make([]string, len(ds))
	scores := make([]float64, len(ds))
	pos := make([]bool, len(ds))
	for i, d := range ds {
		ids[i], scores[i], pos[i] = string(d.DeclarationID), m.Score(d), ls[i].Positive()
	}
	ev := model.Evaluate(ids, scores, pos)
	if *asJSON {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.Stdout, "%s\n", b)
		return err
	}
	fmt.Fprintf(env.Stdout, "%d declarations, %d frauds (%.1f%%)\n\n", ev.Rows, ev.Positives, 100*float64(ev.Positives)/float64(max(ev.Rows, 1)))
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSPECTED\tPRECISION\tRECALL")
	for _, n := range []string{"1", "2", "5", "10"} {
		fmt.Fprintf(tw, "top %s%%\t%.3f\t%.3f\n", n, ev.PrecisionAt[n], ev.RecallAt[n])
	}
	return tw.Flush()
}

// runScore decides every declaration of a file.
func runScore(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "score", "score --model MODEL --in FILE.csv [--profiles FILE.json] --out FILE.csv", `
Decides every declaration of a CSV file (labelled or not) as a node would:
profile hits first (profiles in force on each declaration's date), then
random selection, then the model's score topped up to the target inspection
rate, estimated over the whole file. Writes one row per declaration:
declaration_id, score, channel, selected_by and reasons (in words,
separated by " | ").

--profiles takes a JSON array of profiles (as 'crossguard profile list
--json' prints them, or as written for 'profile add').

Example:
  crossguard score --model risk.model --in today.csv --profiles profiles.json --out decisions.csv`)
	modelPath := fs.String("model", "", "model file (required)")
	in := fs.String("in", "", "declaration CSV file (required)")
	out := fs.String("out", "", "decisions CSV file to write (required; - for stdout)")
	profilePath := fs.String("profiles", "", "JSON file of profiles to apply")
	target := fs.Float64("target-inspection-rate", 0.05, "share of declarations sent to red (physical inspection)")
	randomRate := fs.Float64("random-rate", 0.01, "minimum share selected at random (0 for none)")
	seed := fs.Uint64("seed", 0, "seed of random selection (0: unpredictable)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if *modelPath == "" || *in == "" || *out == "" {
		fs.Usage()
		return errUsage
	}
	if *target <= 0 || *target > 1 {
		return fmt.Errorf("--target-inspection-rate: %v is not a share above 0 and at most 1", *target)
	}
	if *randomRate < 0 || *randomRate > *target {
		return fmt.Errorf("--random-rate: %v is not a share between 0 and the target inspection rate %v", *randomRate, *target)
	}
	m, err := readModel(*modelPath)
	if err != nil {
		return err
	}
	rr := *randomRate
	if rr == 0 {
		rr = -1
	}
	ds, _, err := readDeclarationFile(env, *in, false)
	if err != nil {
		return err
	}
	e, err := decide.New(decide.Config{TargetRate: *target, RandomRate: rr, Seed: *seed, Window: max(len(ds), 1000)})
	if err != nil {
		return err
	}
	e.SetModel(node.Explainer(m), 1)
	if *profilePath != "" {
		ix, err := loadProfileFile(env, *profilePath)
		if err != nil {
			return err
		}
		e.SetProfiles(ix)
	}
	scores := make([]float64, len(ds))
	for i, d := range ds {
		scores[len(ds)-1-i] = m.Score(d)
	}
	e.Warm("", scores)
	w := env.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("create %s: %w", *out, err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"declaration_id", "score", "channel", "selected_by", "reasons"})
	counts := map[string]int{}
	for _, d := range ds {
		at := time.Now().UTC()
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			at = t.Add(12 * time.Hour)
		}
		dec := e.Decide(d, at)
		counts[dec.Channel]++
		texts := make([]string, len(dec.Reasons))
		for i, r := range dec.Reasons {
			texts[i] = r.Text
		}
		cw.Write([]string{dec.DeclarationID, strconv.FormatFloat(dec.Score, 'f', 6, 64), dec.Channel, dec.SelectedBy, strings.Join(texts, " | ")})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write decisions: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write decisions: %w", err)
	}
	fmt.Fprintf(env.Stderr, "%d declarations: red %d, yellow %d, blue %d, green %d\n", len(ds), counts["red"], counts["yellow"], counts["blue"], counts["green"])
	return nil
}

// profileFileEntry is one profile of a --profiles file: a profile as
// written for 'profile add', or as 'profile list --json' prints it, with
// this node's state and statistics.
type profileFileEntry struct {
	crossguard.Profile
	State string          `json:"state"`
	Stats json.RawMessage `json:"stats"`
}

// loadProfileFile reads and compiles a JSON array of profiles. It refuses
// the whole file if any profile has an unknown key, a wrong channel, score
// or validity dates, or conditions that could never match or name an
// unknown field; profiles whose state is inactive or disabled (from
// 'profile list --json') are left out, as a node would leave them out.
func loadProfileFile(env *Env, path string) (*profiles.Index, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}
	var entries []*profileFileEntry
	if err := decodeStrict(raw, &entries); err != nil {
		return nil, fmt.Errorf("%s is not a JSON array of profiles: %w", path, err)
	}
	var ps []*crossguard.Profile
	for i, e := range entries {
		if e == nil {
			return nil, fmt.Errorf("%s: profile %d is null", path, i+1)
		}
		p := &e.Profile
		if p.ID == "" {
			p.ID = fmt.Sprintf("%s#%d", filepath.Base(path), i+1)
		}
		if p.Origin == "" {
			p.Origin = filepath.Base(path)
		}
		if fields := checkFileProfile(p); len(fields) > 0 {
			return nil, fmt.Errorf("%s: profile %d (%q) refused: %s", path, i+1, p.Name, describeFields(&crossguard.Error{Code: crossguard.EINVALID, Message: "invalid profile", Fields: fields}))
		}
		switch e.State {
		case "", crossguard.ProfileActive:
			ps = append(ps, p)
		case crossguard.ProfileInactive, crossguard.ProfileDisabled:
			fmt.Fprintf(env.Stderr, "%s: profile %d (%q) is %s and is left out\n", path, i+1, p.Name, e.State)
		default:
			return nil, fmt.Errorf("%s: profile %d (%q) refused: state: %q is not one of active, inactive, disabled", path, i+1, p.Name, e.State)
		}
	}
	ix, err := profiles.Compile(ps)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

// checkFileProfile returns what is wrong with a profile of a --profiles
// file: its fields as Profile.Validate checks them, less the sharing
// header (a file scored locally is shared with no one), and the meaning of
// its conditions.
func checkFileProfile(p *crossguard.Profile) []crossguard.FieldError {
	var out []crossguard.FieldError
	for _, f := range crossguard.ErrorFields(p.Validate()) {
		if f.Field == "distribution" || strings.HasPrefix(f.Field, "recipients") || strings.HasPrefix(f.Field, "marking") {
			continue
		}
		out = append(out, f)
	}
	for _, f := range crossguard.ErrorFields(profiles.Check(p)) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// describeFields says an error and its field errors in one line.
func describeFields(err error) string {
	parts := []string{crossguard.ErrorMessage(err)}
	for _, f := range crossguard.ErrorFields(err) {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return strings.Join(parts, "; ")
}
