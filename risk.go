package crossguard

import (
	"context"
	"time"
)

// Reason types of a decision.
const (
	ReasonWatchlist = "watchlist"
	ReasonWarning   = "warning" // a partner's warning in force, through the watch list
	ReasonProfile   = "profile"
	ReasonRandom    = "random"
	ReasonModel     = "model"
	ReasonTarget    = "target_rate"
)

// Reason is one reason for a decision: a watch-list entry or a profile
// that matched (ID and Name), random selection, or a model feature with
// its contribution to the score (Feature, Value, Contribution, in log-odds).
// Text says it in plain words.
type Reason struct {
	Type         string  `json:"type"`
	ID           string  `json:"id,omitempty"`
	Name         string  `json:"name,omitempty"`
	Channel      string  `json:"channel,omitempty"`
	Feature      string  `json:"feature,omitempty"`
	Value        string  `json:"value,omitempty"`
	Contribution float64 `json:"contribution,omitempty"`
	Text         string  `json:"text"`
}

// What selected a declaration for control.
const (
	SelectedWatchlist = "watchlist"
	SelectedProfile   = "profile"
	SelectedRandom    = "random"
	SelectedModel     = "model"
	SelectedNone      = "none"
)

// Decision is the control channel given to a declaration and why. Score
// is the declaration's risk in [0, 1]: the model's fraud probability, or
// a matching profile's score when higher. SelectedBy says which rule
// chose the channel; Profiles lists the ids of every profile that matched.
type Decision struct {
	DeclarationID string    `json:"declaration_id"`
	Channel       string    `json:"channel"`
	Score         float64   `json:"score"`
	Reasons       []Reason  `json:"reasons"`
	SelectedBy    string    `json:"selected_by"`
	ModelVersion  int64     `json:"model_version,omitempty"`
	Crossing      string    `json:"crossing,omitempty"`
	DecidedAt     time.Time `json:"decided_at"`
	Profiles      []string  `json:"-"`
}

// Inspection is the result of controlling a declaration. From the API it
// carries Result; from a labelled declaration file, the file's Label,
// with Result derived from it (see LabelResult).
type Inspection struct {
	DeclarationID    string    `json:"declaration_id"`
	Result           string    `json:"result"`
	SeizureID        string    `json:"seizure_id,omitempty"`
	RecoveredRevenue float64   `json:"recovered_revenue,omitempty"`
	Notes            string    `json:"notes,omitempty"`
	Label            Label     `json:"label"`
	Source           string    `json:"source"` // "file" or "officer"
	At               time.Time `json:"at"`
}

// Inspection sources.
const (
	InspectionFromFile    = "file"
	InspectionFromOfficer = "officer"
)

// LabelResult is the inspection result a file's label stands for.
func LabelResult(l Label) string {
	switch {
	case l.Fraud == 0:
		return ResultNoFinding
	case l.Critical >= 2:
		return ResultSeizure
	default:
		return ResultIrregularity
	}
}

// ResultLabel is the training label an inspection result gives.
func ResultLabel(result string) Label {
	switch result {
	case ResultSeizure:
		return Label{Fraud: 1, Critical: 2}
	case ResultIrregularity:
		return Label{Fraud: 1, Critical: 1}
	}
	return Label{}
}

// DeclarationEntry is a declaration as stored: what was declared, when it
// was received, its decision if one was made, and its inspection if it
// was inspected.
type DeclarationEntry struct {
	Declaration *Declaration `json:"declaration"`
	ReceivedAt  time.Time    `json:"received_at"`
	Decision    *Decision    `json:"decision,omitempty"`
	Inspection  *Inspection  `json:"inspection,omitempty"`
}

// WatchEntry puts declarations carrying an identifier into a channel from
// StartsAt (if set) until it expires. Source says where it came from:
// "analyst" for an entry stored on this node, WatchFromWarning for one
// derived from a joint operation's warning in force (never stored; Name
// then says which warning, of which agency).
type WatchEntry struct {
	ID         string     `json:"id"`
	Identifier Identifier `json:"identifier"`
	Channel    string     `json:"channel"`
	Reason     string     `json:"reason"`
	StartsAt   *time.Time `json:"starts_at,omitempty"`
	ExpiresAt  time.Time  `json:"expires_at"`
	CreatedAt  time.Time  `json:"created_at"`
	Source     string     `json:"source"`
	RemovedAt  *time.Time `json:"removed_at,omitempty"`
}

// WatchFromWarning is the source of watch-list entries derived from
// warnings.
const WatchFromWarning = "warning"

// Validate checks the fields a client sets.
func (w *WatchEntry) Validate(now time.Time) error {
	v := &validator{}
	w.Identifier.validate(v, "identifier", "", IdentifierTypes)
	v.oneOf("channel", w.Channel, SelectingChannels)
	v.text("reason", w.Reason, 2000, true)
	switch {
	case w.ExpiresAt.IsZero():
		v.addf("expires_at", "required, an RFC 3339 time such as 2026-12-31T00:00:00Z")
	case !w.ExpiresAt.After(now):
		v.addf("expires_at", "%s is already past", w.ExpiresAt.Format(time.RFC3339))
	}
	return v.err("watch-list entry")
}

// ModelInfo describes a stored model version. Eval is the evaluation shown
// to the analyst before activation (on the held-out part of the labelled
// declarations).
type ModelInfo struct {
	Version     int64          `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	Seed        int64          `json:"seed"`
	TrainedRows int            `json:"trained_rows"`
	Positives   int            `json:"positives"`
	Eval        *Evaluation    `json:"eval,omitempty"`
	Active      bool           `json:"active"`
	ActivatedAt *time.Time     `json:"activated_at,omitempty"`
	Notes       string         `json:"notes,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
}

// Evaluation is a model's precision and recall at inspection rates of 1,
// 2, 5 and 10 percent, in the exact form `crossguard eval --json` prints.
type Evaluation struct {
	Rows        int                `json:"rows"`
	Positives   int                `json:"positives"`
	PrecisionAt map[string]float64 `json:"precision_at"`
	RecallAt    map[string]float64 `json:"recall_at"`
}

// RateStats counts decisions in a group over a period: how many were
// selected, how many of those were inspected, and how many inspections
// found something (HitRate = Hits / Inspected, 0 when none).
type RateStats struct {
	Key       string  `json:"key"`
	Name      string  `json:"name,omitempty"`
	Selected  int64   `json:"selected"`
	Inspected int64   `json:"inspected"`
	Hits      int64   `json:"hits"`
	HitRate   float64 `json:"hit_rate"`
	Revenue   float64 `json:"recovered_revenue"`
}

// RiskStats are hit rates over a period, per profile, per channel, per
// channel at each crossing point and of the model (declarations the
// model's score selected).
type RiskStats struct {
	From      time.Time        `json:"from"`
	To        time.Time        `json:"to"`
	Total     int64            `json:"declarations"`
	Profiles  []*RateStats     `json:"profiles"`
	Channels  []*RateStats     `json:"channels"`
	Crossings []*CrossingStats `json:"crossings"`
	Model     *RateStats       `json:"model"`
	Random    *RateStats       `json:"random"`
}

// CrossingStats are the channel mix and hit rates of the decisions made at
// one crossing point ("" for declarations that named none).
type CrossingStats struct {
	Crossing string       `json:"crossing"`
	Total    int64        `json:"declarations"`
	Channels []*RateStats `json:"channels"`
}

// DeclarationStore keeps declarations, their decisions and inspections.
// Declarations are local: nothing here ever enters the change feed.
type DeclarationStore interface {
	// SaveDeclarations stores new declarations with their decisions and
	// inspections (either may be nil) in one transaction, with progress
	// under the rule of ImportProgress.From when not nil. A declaration
	// id already stored fails the whole call with ECONFLICT naming it.
	SaveDeclarations(ctx context.Context, actor string, entries []*DeclarationEntry, progress *ImportProgress) error
	// DeclarationEntry returns a stored declaration with its decision and
	// inspection, or ENOTFOUND.
	DeclarationEntry(ctx context.Context, id string) (*DeclarationEntry, error)
	// StoredDecisions looks up many declaration ids at once: the map holds
	// every id of ids that is stored, with its decision, or nil for one
	// stored without a decision (imported history); an id not stored is
	// absent. Any number of ids may be given, repeated or not.
	StoredDecisions(ctx context.Context, ids []string) (map[string]*Decision, error)
	// RecordInspection stores (or replaces) the inspection of a stored
	// declaration and audits it; ENOTFOUND if the declaration is unknown.
	RecordInspection(ctx context.Context, actor string, in *Inspection) error
	// LabelledDeclarations calls fn for every inspected declaration with
	// the inspection's label, in received order (ties by id).
	LabelledDeclarations(ctx context.Context, fn func(*Declaration, Label) error) error
	// RecentScores returns the scores of the last n decisions at a crossing
	// ("" for all crossings), newest first.
	RecentScores(ctx context.Context, crossing string, n int) ([]float64, error)
	// RiskStats computes hit rates over decisions made in [from, to).
	RiskStats(ctx context.Context, from, to time.Time) (*RiskStats, error)
	// RecentDecisions returns a page of the declaration queue (see
	// DecisionFilter and DecisionPage); a filter that does not pass
	// DecisionFilter.Normalize is EINVALID.
	RecentDecisions(ctx context.Context, f DecisionFilter) (*DecisionPage, error)
	// RecentDeclarations returns the n most recently received
	// declarations, decided or not, newest first (ties by id,
	// descending), each with its inspection if any; their decisions are
	// not read (Decision is nil).
	RecentDeclarations(ctx context.Context, n int) ([]*DeclarationEntry, error)
}

// WatchlistStore keeps the watch list.
type WatchlistStore interface {
	// PutWatch adds an entry and audits it.
	PutWatch(ctx context.Context, actor string, w *WatchEntry) error
	// RemoveWatch ends an entry at at; ENOTFOUND if unknown or removed.
	RemoveWatch(ctx context.Context, actor, id string, at time.Time) error
	// Watchlist returns the entries neither removed nor expired at at.
	Watchlist(ctx context.Context, at time.Time) ([]*WatchEntry, error)
}

// ModelStore keeps trained model versions; at most one is active.
type ModelStore interface {
	// SaveModel stores a model file, assigns info.Version (1, 2, ...) and
	// audits it. The new version is not active.
	SaveModel(ctx context.Context, actor string, info *ModelInfo, file []byte) error
	// Models lists every version, newest first, without files.
	Models(ctx context.Context) ([]*ModelInfo, error)
	// ModelFile returns a version's info and file, or ENOTFOUND.
	ModelFile(ctx context.Context, version int64) (*ModelInfo, []byte, error)
	// ActivateModel makes a version the active one and audits it.
	ActivateModel(ctx context.Context, actor string, version int64, at time.Time) error
}

// ProfileStore keeps profiles (records of kind profile, in the record
// store) and each profile's local state.
type ProfileStore interface {
	// SetProfileState sets the local state of a profile and audits it.
	SetProfileState(ctx context.Context, actor, id, state string, at time.Time) error
	// ProfileStates returns the states set so far, by profile id; a
	// profile without one is active if it is of this node's agency and
	// inactive otherwise (see node.Targeting's profile states).
	ProfileStates(ctx context.Context) (map[string]string, error)
}

// RiskStore is what risk targeting keeps.
type RiskStore interface {
	DeclarationStore
	WatchlistStore
	ModelStore
	ProfileStore
}

// Validate checks the fields an officer sets: the result, the recovered
// revenue and the notes.
func (in *Inspection) Validate() error {
	v := &validator{}
	v.oneOf("result", in.Result, InspectionResults)
	if v.finite("recovered_revenue", in.RecoveredRevenue) && in.RecoveredRevenue < 0 {
		v.addf("recovered_revenue", "must not be negative, got %v", in.RecoveredRevenue)
	}
	v.text("notes", in.Notes, 2000, false)
	v.text("seizure_id", in.SeizureID, 64, false)
	if in.SeizureID != "" && in.Result != ResultSeizure {
		v.addf("seizure_id", "only an inspection with result seizure links a seizure")
	}
	return v.err("inspection")
}
