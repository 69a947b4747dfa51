package node

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"crossguard"
	"crossguard/risk/decide"
	"crossguard/risk/model"
	"crossguard/risk/profiles"
)

// TargetingStore is the storage Targeting uses: declarations with their
// decisions and inspections, the watch list, models and profile states;
// the records profiles are kept in and the warnings the watch list takes
// entries from; the change head that tells when profiles changed; the
// seizures inspections name; and the audit log of reads.
type TargetingStore interface {
	crossguard.RiskStore
	crossguard.RecordStore
	crossguard.RecordEditor
	crossguard.AuditStore
	// Changes tells whether any record changed since profiles were last
	// loaded (see crossguard.FeedStore).
	Changes(ctx context.Context, after int64, limit int) ([]*crossguard.Change, int64, error)
	// Seizure reads the seizure an inspection names (see
	// crossguard.SeizureStore).
	Seizure(ctx context.Context, id string) (*crossguard.Seizure, error)
}

// Targeting is the part of a node that runs risk targeting: the profiles,
// the watch list and the models, the decisions on declarations and the
// inspections that feed their hit rates, reloaded while serving.
type Targeting struct {
	*Core

	store TargetingStore

	mu   sync.Mutex // guards live
	live *engine    // nil until targeting is first enabled
}

// NewTargeting returns the targeting service of core over store. Risk
// targeting starts with EnableTargeting, or with the default
// configuration on first use.
func NewTargeting(core *Core, store TargetingStore) *Targeting {
	return &Targeting{Core: core, store: store}
}

// engine is risk targeting at run time: the decision engine with the
// profiles, watch list and model in force, reloaded from the store when
// they change.
type engine struct {
	Engine *decide.Engine

	mu          sync.Mutex // serializes reloads
	head        int64      // change head at the last profile load
	states      map[string]string
	profileList []*crossguard.Profile
	model       *model.Model
}

// EnableTargeting starts risk targeting with cfg: it loads the profiles,
// the watch list and the active model, and warms each crossing point's
// thresholds from its recent decisions.
func (tg *Targeting) EnableTargeting(ctx context.Context, cfg decide.Config) error {
	e, err := decide.New(cfg)
	if err != nil {
		return crossguard.Errorf(crossguard.EINVALID, "risk targeting: %v", err)
	}
	t := &engine{Engine: e, head: -1}
	tg.mu.Lock()
	tg.live = t
	tg.mu.Unlock()
	if err := tg.ReloadTargeting(ctx); err != nil {
		return err
	}
	scores, err := tg.store.RecentScores(ctx, "", cfg.Window+10000)
	if err != nil {
		return fmt.Errorf("warm risk thresholds: %w", err)
	}
	e.Warm("", scores)
	return nil
}

// running returns the running engine, enabling targeting with the default
// configuration on first use.
func (tg *Targeting) running(ctx context.Context) (*engine, error) {
	tg.mu.Lock()
	t := tg.live
	tg.mu.Unlock()
	if t != nil {
		return t, nil
	}
	if err := tg.EnableTargeting(ctx, decide.Config{}); err != nil {
		return nil, err
	}
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.live, nil
}

// ReloadTargeting reloads the watch list (the stored entries and those
// the warnings in force give) and the active model, and the profiles if
// any record changed since the last load. The server calls it
// every few seconds, so that changes made by the command line or received
// from peers take effect.
func (tg *Targeting) ReloadTargeting(ctx context.Context) error {
	t, err := tg.running(ctx)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := tg.Clock.Now()
	watch, err := tg.store.Watchlist(ctx, now)
	if err != nil {
		return fmt.Errorf("load the watch list: %w", err)
	}
	warned, err := warningEntries(ctx, tg.store, now)
	if err != nil {
		return fmt.Errorf("load the warnings in force: %w", err)
	}
	t.Engine.SetWatchlist(append(watch, warned...))
	if err := tg.reloadProfiles(ctx, t); err != nil {
		return err
	}
	return tg.reloadModel(ctx, t)
}

// reloadProfiles compiles the active profiles into the engine when the
// change head or the profile states moved.
func (tg *Targeting) reloadProfiles(ctx context.Context, t *engine) error {
	_, head, err := tg.store.Changes(ctx, math.MaxInt64, 1)
	if err != nil {
		return fmt.Errorf("read the change head: %w", err)
	}
	states, err := tg.store.ProfileStates(ctx)
	if err != nil {
		return fmt.Errorf("load profile states: %w", err)
	}
	if head == t.head && mapsEqual(states, t.states) {
		return nil
	}
	all, err := tg.loadProfiles(ctx)
	if err != nil {
		return err
	}
	var active []*crossguard.Profile
	for _, p := range all {
		if tg.profileState(p, states) != crossguard.ProfileActive {
			continue
		}
		if err := profiles.Check(p); err != nil {
			tg.Logger.Warn("profile left out of targeting", "id", p.ID, "origin", p.Origin, "err", err)
			continue
		}
		active = append(active, p)
	}
	ix, err := profiles.Compile(active)
	if err != nil {
		return fmt.Errorf("compile %d profiles: %w", len(active), err)
	}
	t.Engine.SetProfiles(ix)
	t.head, t.states, t.profileList = head, states, all
	return nil
}

// reloadModel loads the active model when it changed. A stored model that
// no longer loads is logged and the model in use stays.
func (tg *Targeting) reloadModel(ctx context.Context, t *engine) error {
	infos, err := tg.store.Models(ctx)
	if err != nil {
		return fmt.Errorf("list models: %w", err)
	}
	i := slices.IndexFunc(infos, func(m *crossguard.ModelInfo) bool { return m.Active })
	if i < 0 || infos[i].Version == t.Engine.ModelVersion() {
		return nil
	}
	_, file, err := tg.store.ModelFile(ctx, infos[i].Version)
	if err != nil {
		return fmt.Errorf("read model %d: %w", infos[i].Version, err)
	}
	m, err := model.Read(bytes.NewReader(file))
	if err != nil {
		tg.Logger.Error("the active model does not load; the model in use stays", "version", infos[i].Version, "err", err)
		return nil
	}
	t.model = m
	t.Engine.SetModel(Explainer(m), infos[i].Version)
	return nil
}

// explainer turns a model's contributions into decision reasons.
type explainer struct{ m *model.Model }

// Explainer adapts a model to the decision engine: its top features become
// reasons of type model, in words.
func Explainer(m *model.Model) decide.Model { return explainer{m} }

// Explain implements decide.Model.
func (x explainer) Explain(d *crossguard.Declaration, k int) (float64, []crossguard.Reason) {
	score, cs := x.m.Explain(d, k)
	out := make([]crossguard.Reason, len(cs))
	for i, c := range cs {
		dir := "raises"
		if c.Contribution < 0 {
			dir = "lowers"
		}
		out[i] = crossguard.Reason{Type: crossguard.ReasonModel, Feature: c.Feature, Value: c.Value, Contribution: round4(c.Contribution),
			Text: fmt.Sprintf("%s %s the model's risk (%+.2f)", c.Value, dir, c.Contribution)}
	}
	return score, out
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Decide validates declarations, gives each its channel and stores them
// with their decisions in one transaction. Nothing is stored if any
// declaration is invalid: the error lists the fields of each, prefixed by
// its position ("[3].hs6_code"). A declaration already stored with a
// decision is not decided again: its stored decision is returned. One
// stored without a decision (imported history) fails the whole call with
// ECONFLICT naming it, before anything is decided. The batch is looked up
// in the store with one call.
func (tg *Targeting) Decide(ctx context.Context, actor string, ds []*crossguard.Declaration) ([]*crossguard.Decision, error) {
	t, err := tg.running(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateBatch(ds); err != nil {
		return nil, err
	}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = string(d.DeclarationID)
	}
	out, err := tg.decideOnce(ctx, t, actor, ds, ids)
	if crossguard.ErrorCode(err) == crossguard.ECONFLICT && !strings.Contains(crossguard.ErrorMessage(err), "without a decision") {
		// Another request stored some of these declarations between the
		// look-up and the save: look again, and return their decisions.
		out, err = tg.decideOnce(ctx, t, actor, ds, ids)
	}
	return out, err
}

// decideOnce looks up which declarations are stored, decides the others
// and stores them with their decisions in one transaction.
func (tg *Targeting) decideOnce(ctx context.Context, t *engine, actor string, ds []*crossguard.Declaration, ids []string) ([]*crossguard.Decision, error) {
	stored, err := tg.store.StoredDecisions(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("look up %d declarations: %w", len(ids), err)
	}
	for _, id := range ids {
		if dec, ok := stored[id]; ok && dec == nil {
			return nil, crossguard.Errorf(crossguard.ECONFLICT,
				"declaration %s is already stored, without a decision (imported history); nothing of this batch was stored", id)
		}
	}
	now := tg.Clock.Now().UTC()
	out := make([]*crossguard.Decision, len(ds))
	var entries []*crossguard.DeclarationEntry
	for i, d := range ds {
		if dec := stored[ids[i]]; dec != nil {
			out[i] = dec
			continue
		}
		out[i] = t.Engine.Decide(d, now)
		entries = append(entries, &crossguard.DeclarationEntry{Declaration: d, ReceivedAt: now, Decision: out[i]})
	}
	if len(entries) > 0 {
		if err := tg.store.SaveDeclarations(ctx, actor, entries, nil); err != nil {
			if crossguard.ErrorCode(err) == crossguard.ECONFLICT {
				return nil, err
			}
			return nil, fmt.Errorf("store %d declarations: %w", len(entries), err)
		}
	}
	return out, nil
}

// DecideUnstored gives valid declarations their channels without storing
// anything, for a caller that stores them with their decisions itself
// (the declaration import).
func (tg *Targeting) DecideUnstored(ctx context.Context, ds []*crossguard.Declaration) ([]*crossguard.Decision, error) {
	t, err := tg.running(ctx)
	if err != nil {
		return nil, err
	}
	now := tg.Clock.Now().UTC()
	out := make([]*crossguard.Decision, len(ds))
	for i, d := range ds {
		out[i] = t.Engine.Decide(d, now)
	}
	return out, nil
}

// validateBatch validates every declaration and refuses duplicate ids.
func validateBatch(ds []*crossguard.Declaration) error {
	if len(ds) == 0 {
		return crossguard.Errorf(crossguard.EINVALID, "no declarations given")
	}
	var fields []crossguard.FieldError
	seen := make(map[crossguard.Code]int, len(ds))
	for i, d := range ds {
		prefix := ""
		if len(ds) > 1 {
			prefix = fmt.Sprintf("[%d].", i)
		}
		if d == nil {
			fields = append(fields, crossguard.FieldError{Field: fmt.Sprintf("[%d]", i), Message: "must be a declaration object"})
			continue
		}
		for _, f := range crossguard.ErrorFields(d.Validate()) {
			fields = append(fields, crossguard.FieldError{Field: prefix + f.Field, Message: f.Message})
		}
		if j, dup := seen[d.DeclarationID]; dup && d.DeclarationID != "" {
			fields = append(fields, crossguard.FieldError{Field: prefix + "declaration_id", Message: fmt.Sprintf("%q is also declaration [%d] of this batch", d.DeclarationID, j)})
		}
		seen[d.DeclarationID] = i
	}
	if len(fields) > 0 {
		what := "invalid declaration"
		if len(ds) > 1 {
			what = "invalid declarations: nothing of this batch was decided or stored"
		}
		return &crossguard.Error{Code: crossguard.EINVALID, Message: what, Fields: fields}
	}
	return nil
}

// DeclarationEntry returns a stored declaration with its decision and
// inspection.
func (tg *Targeting) DeclarationEntry(ctx context.Context, id string) (*crossguard.DeclarationEntry, error) {
	return tg.store.DeclarationEntry(ctx, id)
}

// RecordInspection validates and stores the result of inspecting a stored
// declaration; its label trains the next model.
func (tg *Targeting) RecordInspection(ctx context.Context, actor string, in *crossguard.Inspection) (*crossguard.Inspection, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.SeizureID != "" {
		if _, err := tg.store.Seizure(ctx, in.SeizureID); err != nil {
			if crossguard.ErrorCode(err) == crossguard.ENOTFOUND {
				return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid inspection",
					Fields: []crossguard.FieldError{{Field: "seizure_id", Message: fmt.Sprintf("no seizure %s on this node", in.SeizureID)}}}
			}
			return nil, err
		}
	}
	in.Label = crossguard.ResultLabel(in.Result)
	in.Source = crossguard.InspectionFromOfficer
	in.At = tg.Clock.Now().UTC()
	if err := tg.store.RecordInspection(ctx, actor, in); err != nil {
		return nil, err
	}
	return in, nil
}

// RiskStats returns hit rates over decisions made in [from, to), with the
// profiles named.
func (tg *Targeting) RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error) {
	if !to.After(from) {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the period is empty: to (%s) must be after from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	st, err := tg.store.RiskStats(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("risk stats: %w", err)
	}
	for _, p := range st.Profiles {
		if r, err := tg.store.Record(ctx, p.Key); err == nil {
			if prof, err := decodeProfile(r); err == nil {
				p.Name = prof.Name
			}
		}
	}
	return st, nil
}

// KeepTargetingCurrent reloads targeting every interval until ctx ends,
// so that profiles received from peers and changes made by the command
// line take effect in a running server. Failures are logged and retried.
func (tg *Targeting) KeepTargetingCurrent(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := tg.ReloadTargeting(ctx); err != nil && ctx.Err() == nil {
				tg.Logger.Warn("reload risk targeting", "err", err)
			}
		}
	}
}
