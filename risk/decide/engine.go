package decide

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"crossguard"
	"crossguard/identifier"
)

// Config sets the rates of an Engine. Zero fields take the defaults.
type Config struct {
	// TargetRate is the share of declarations a crossing point sends to
	// physical inspection (red), rule hits and random selection included;
	// the model tops the rules up to it. Default 0.05.
	TargetRate float64
	// DocumentRate and AuditRate are the shares of declarations the model
	// sends to yellow and blue after red. Defaults 0.05 and 0.05; negative
	// turns a band off.
	DocumentRate, AuditRate float64
	// RandomRate is the minimum share of declarations selected at random
	// for red. Default 0.01; negative turns random selection off (tests).
	RandomRate float64
	// Seed seeds random selection. 0 seeds it from the system's secure
	// random source, so that production selection cannot be predicted.
	Seed uint64
	// Window is how many recent declarations per crossing point the
	// thresholds are estimated from. Default 10,000.
	Window int
	// MinWindow is how many open scores a crossing point needs before its
	// thresholds are used; until then every crossing's scores are pooled,
	// and with fewer than MinWindow pooled, a score of ColdRed or more goes
	// to red. Defaults 200 and 0.5.
	MinWindow int
	ColdRed   float64
	// Features is how many model features a decision explains. Default 3.
	Features int
}

func (c Config) withDefaults() Config {
	if c.TargetRate == 0 {
		c.TargetRate = 0.05
	}
	if c.DocumentRate == 0 {
		c.DocumentRate = 0.05
	}
	if c.AuditRate == 0 {
		c.AuditRate = 0.05
	}
	c.DocumentRate, c.AuditRate = max(c.DocumentRate, 0), max(c.AuditRate, 0)
	if c.RandomRate == 0 {
		c.RandomRate = 0.01
	}
	if c.RandomRate < 0 {
		c.RandomRate = 0
	}
	if c.Window <= 0 {
		c.Window = 10000
	}
	if c.MinWindow <= 0 {
		c.MinWindow = 200
	}
	if c.ColdRed == 0 {
		c.ColdRed = 0.5
	}
	if c.Features <= 0 {
		c.Features = 3
	}
	return c
}

// Validate checks that the rates are shares and leave room for release.
func (c Config) Validate() error {
	c = c.withDefaults()
	for _, r := range []struct {
		name string
		v    float64
	}{{"target inspection rate", c.TargetRate}, {"documentary rate", c.DocumentRate}, {"audit rate", c.AuditRate}, {"random selection rate", c.RandomRate}} {
		if r.v < 0 || r.v > 1 {
			return fmt.Errorf("the %s must be between 0 and 1, got %v", r.name, r.v)
		}
	}
	if c.RandomRate > c.TargetRate {
		return fmt.Errorf("the random selection rate %v is above the target inspection rate %v", c.RandomRate, c.TargetRate)
	}
	if c.TargetRate+c.DocumentRate+c.AuditRate > 1 {
		return fmt.Errorf("the target, documentary and audit rates add up to more than 1")
	}
	return nil
}

// Matcher finds the profiles in force on a day that a declaration meets
// (risk/profiles.Index).
type Matcher interface {
	Match(dst []*crossguard.Profile, d *crossguard.Declaration, day string) []*crossguard.Profile
}

// Model scores a declaration: its fraud probability and the k features
// contributing most, as reasons of type model.
type Model interface {
	Explain(d *crossguard.Declaration, k int) (float64, []crossguard.Reason)
}

// rules are the watch list, profiles and model in force, swapped whole.
type rules struct {
	watch        map[watchKey][]*crossguard.WatchEntry
	profiles     Matcher
	reasons      map[*crossguard.Profile]crossguard.Reason // worded once per profile when the matcher lists them
	model        Model
	modelVersion int64
}

type watchKey struct{ typ, value string }

// Engine decides channels. It is safe for concurrent use; the watch list,
// profiles and model can be replaced while it runs.
type Engine struct {
	cfg   Config
	rules atomic.Pointer[rules]
	mu    sync.Mutex // guards rng and windows
	rng   *rand.Rand
	wins  map[string]*window
	all   *window
	pool  sync.Pool
}

// New returns an engine with no watch list, profiles or model.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	seed := cfg.Seed
	if seed == 0 {
		var b [8]byte
		if _, err := crand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("seed random selection: %w", err)
		}
		seed = binary.LittleEndian.Uint64(b[:])
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	e := &Engine{cfg: cfg, rng: rand.New(rand.NewChaCha8(key)), wins: map[string]*window{}, all: newWindow(cfg.Window)}
	e.rules.Store(&rules{watch: map[watchKey][]*crossguard.WatchEntry{}})
	e.pool.New = func() any { s := make([]*crossguard.Profile, 0, 16); return &s }
	return e, nil
}

// Config returns the engine's configuration with defaults filled in.
func (e *Engine) Config() Config { return e.cfg }

// update replaces the rules with a modified copy.
func (e *Engine) update(fn func(r *rules)) {
	for {
		old := e.rules.Load()
		r := *old
		fn(&r)
		if e.rules.CompareAndSwap(old, &r) {
			return
		}
	}
}

// SetWatchlist replaces the watch list.
func (e *Engine) SetWatchlist(entries []*crossguard.WatchEntry) {
	m := make(map[watchKey][]*crossguard.WatchEntry, len(entries))
	for _, w := range entries {
		k := watchKey{w.Identifier.Type, matchValue(w.Identifier)}
		m[k] = append(m[k], w)
	}
	e.update(func(r *rules) { r.watch = m })
}

// SetProfiles replaces the profile matcher (nil: no profiles).
//
// A matcher that also lists its profiles (Profiles() []*crossguard.Profile,
// as risk/profiles.Index does) has their reasons worded once here rather
// than for every match.
func (e *Engine) SetProfiles(m Matcher) {
	reasons := map[*crossguard.Profile]crossguard.Reason{}
	if l, ok := m.(interface{ Profiles() []*crossguard.Profile }); ok {
		for _, p := range l.Profiles() {
			reasons[p] = profileReason(p)
		}
	}
	e.update(func(r *rules) { r.profiles, r.reasons = m, reasons })
}

// SetModel replaces the model (nil: no model) and its version.
func (e *Engine) SetModel(m Model, version int64) {
	e.update(func(r *rules) { r.model, r.modelVersion = m, version })
}

// ModelVersion returns the version of the model in use, 0 if none.
func (e *Engine) ModelVersion() int64 { return e.rules.Load().modelVersion }

// Warm feeds the scores of a crossing point's recent decisions (newest
// first, as a store returns them) into its window, so that a restarted
// node keeps its thresholds.
func (e *Engine) Warm(crossing string, scores []float64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.windowFor(crossing)
	for i := len(scores) - 1; i >= 0; i-- {
		w.add(scores[i], false)
		e.all.add(scores[i], false)
	}
}

// windowFor returns the window of a crossing point; e.mu must be held.
func (e *Engine) windowFor(crossing string) *window {
	w := e.wins[crossing]
	if w == nil {
		w = newWindow(e.cfg.Window)
		e.wins[crossing] = w
	}
	return w
}

// matchValue is the value a watch-list entry and a declaration's
// identifier are matched on: the canonical spelling of package identifier,
// so that "cosu 109952-1" finds COSU1099521. Watch-list entries and
// declarations carry no country, so a plate or company registration
// written without one, and any value stored before identifiers were
// checked that does not normalise, is matched on the folding of
// foldIdentifier instead, as all values were before: such an entry still
// finds the declarations it found then, whose values fold alike.
func matchValue(id crossguard.Identifier) string {
	if canon, err := identifier.Normalize(id.Type, id.Value); err == nil {
		return canon
	}
	return foldIdentifier(id.Value)
}

// foldIdentifier makes identifiers compare without regard to case,
// spaces and hyphens, as officers write them differently.
func foldIdentifier(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-' || c == '.' || c == '/':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}
