package decide

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"crossguard"
)

// Decide gives d its channel at time at. Profiles are those in force on
// at's date; watch-list entries those not expired at at. d must be valid.
func (e *Engine) Decide(d *crossguard.Declaration, at time.Time) *crossguard.Decision {
	r := e.rules.Load()
	dec := &crossguard.Decision{DeclarationID: string(d.DeclarationID), Channel: crossguard.ChannelGreen,
		SelectedBy: crossguard.SelectedNone, Crossing: d.Crossing, DecidedAt: at, Reasons: make([]crossguard.Reason, 0, e.cfg.Features+2)}

	// 1 and 2: watch-list and profile hits.
	e.watchHits(r, d, at, dec)
	ps := e.pool.Get().(*[]*crossguard.Profile)
	if r.profiles != nil {
		*ps = r.profiles.Match((*ps)[:0], d, at.UTC().Format(time.DateOnly))
		if len(*ps) > 0 {
			dec.Profiles = make([]string, 0, len(*ps))
			dec.Reasons = slices.Grow(dec.Reasons, len(*ps)+e.cfg.Features+2)
		}
		for _, p := range *ps {
			dec.Profiles = append(dec.Profiles, p.ID)
			reason, ok := r.reasons[p]
			if !ok {
				reason = profileReason(p)
			}
			dec.Reasons = append(dec.Reasons, reason)
			if p.Score > dec.Score {
				dec.Score = p.Score
			}
			if crossguard.ChannelRank(p.Channel) > crossguard.ChannelRank(dec.Channel) {
				dec.Channel = p.Channel
				if dec.SelectedBy != crossguard.SelectedWatchlist {
					dec.SelectedBy = crossguard.SelectedProfile
				}
			}
		}
	}
	clear(*ps)
	e.pool.Put(ps)

	// The model's score and explanation, for every declaration.
	score := -1.0
	if r.model != nil {
		var why []crossguard.Reason
		score, why = r.model.Explain(d, e.cfg.Features)
		dec.ModelVersion = r.modelVersion
		dec.Reasons = append(dec.Reasons, why...)
		if score > dec.Score {
			dec.Score = score
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	// 3: random selection, drawn for every declaration so that the draw
	// itself says nothing about the rules.
	random := e.cfg.RandomRate > 0 && e.rng.Float64() < e.cfg.RandomRate
	if random && dec.Channel != crossguard.ChannelRed {
		dec.Channel, dec.SelectedBy = crossguard.ChannelRed, crossguard.SelectedRandom
		dec.Reasons = append(dec.Reasons, crossguard.Reason{Type: crossguard.ReasonRandom, Channel: crossguard.ChannelRed,
			Text: fmt.Sprintf("chosen by random selection (%s of declarations), so that no trader can learn a pattern that is never controlled", percent(e.cfg.RandomRate))})
	}
	redByRule := dec.Channel == crossguard.ChannelRed
	if score < 0 {
		return dec
	}

	// 4: the model, topped up to the target inspection rate.
	w := e.windowFor(d.Crossing)
	src := w
	if w.open < e.cfg.MinWindow {
		src = e.all
	}
	red, yellow, blue, ok := src.thresholds(e.cfg.TargetRate, e.cfg.DocumentRate, e.cfg.AuditRate, e.cfg.MinWindow, 64)
	if !ok {
		red, yellow, blue = e.cfg.ColdRed, 2, 2
	}
	w.add(score, redByRule)
	e.all.add(score, redByRule)
	if redByRule {
		return dec
	}
	band := crossguard.ChannelGreen
	threshold := 0.0
	switch {
	case score >= red:
		band, threshold = crossguard.ChannelRed, red
	case score >= yellow:
		band, threshold = crossguard.ChannelYellow, yellow
	case score >= blue:
		band, threshold = crossguard.ChannelBlue, blue
	}
	if crossguard.ChannelRank(band) > crossguard.ChannelRank(dec.Channel) {
		dec.Channel, dec.SelectedBy = band, crossguard.SelectedModel
		dec.Reasons = append(dec.Reasons, crossguard.Reason{Type: crossguard.ReasonTarget, Channel: band,
			Text: fmt.Sprintf("model score %.3f is at or above %.3f, the %s threshold that keeps %s at its target inspection rate of %s", score, threshold, band, crossingName(d.Crossing), percent(e.cfg.TargetRate))})
	}
	return dec
}

// profileReason words the reason a matching profile gives.
func profileReason(p *crossguard.Profile) crossguard.Reason {
	return crossguard.Reason{Type: crossguard.ReasonProfile, ID: p.ID, Name: p.Name, Channel: p.Channel,
		Text: fmt.Sprintf("matches profile %q of %s (channel %s, score %.2f)", p.Name, p.Origin, p.Channel, p.Score)}
}

// watchHits adds a reason for every watch-list entry in force matching
// one of d's identifiers and raises the channel.
func (e *Engine) watchHits(r *rules, d *crossguard.Declaration, at time.Time, dec *crossguard.Decision) {
	if len(r.watch) == 0 || len(d.Identifiers) == 0 {
		return
	}
	for _, id := range d.Identifiers {
		for _, w := range r.watch[watchKey{id.Type, matchValue(id)}] {
			if !w.ExpiresAt.After(at) || (w.RemovedAt != nil && !w.RemovedAt.After(at)) || (w.StartsAt != nil && at.Before(*w.StartsAt)) {
				continue
			}
			if slices.ContainsFunc(dec.Reasons, func(x crossguard.Reason) bool { return x.ID == w.ID }) {
				continue
			}
			reason := crossguard.Reason{Type: crossguard.ReasonWatchlist, ID: w.ID,
				Name: w.Identifier.Type + " " + w.Identifier.Value, Channel: w.Channel,
				Text: fmt.Sprintf("%s %s is on the watch list until %s: %s", strings.ReplaceAll(w.Identifier.Type, "_", " "), w.Identifier.Value, w.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"), w.Reason)}
			if w.Source == crossguard.WatchFromWarning {
				// w.Reason names the warning and its origin agency.
				reason.Type = crossguard.ReasonWarning
				reason.Text = fmt.Sprintf("%s %s: %s", strings.ReplaceAll(w.Identifier.Type, "_", " "), w.Identifier.Value, w.Reason)
			}
			dec.Reasons = append(dec.Reasons, reason)
			if crossguard.ChannelRank(w.Channel) > crossguard.ChannelRank(dec.Channel) {
				dec.Channel, dec.SelectedBy = w.Channel, crossguard.SelectedWatchlist
			}
		}
	}
}

func percent(f float64) string {
	s := fmt.Sprintf("%.2f", f*100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

func crossingName(c string) string {
	if c == "" {
		return "this node"
	}
	return "crossing " + c
}
