package storekit

import (
	"slices"
	"strings"
	"time"

	"crossguard"
)

// RiskStatsBuilder collects crossguard.RiskStats from counts by channel and selector,
// as the stores read them; both stores use it so that they agree.
type RiskStatsBuilder struct {
	*crossguard.RiskStats
	channels  map[string]*crossguard.RateStats
	crossings map[string]*crossingBuilder
}

// crossingBuilder collects the stats of one crossing point.
type crossingBuilder struct {
	*crossguard.CrossingStats
	channels map[string]*crossguard.RateStats
}

// NewRiskStatsBuilder returns empty stats over [from, to), with every channel,
// the model and random selection at zero.
func NewRiskStatsBuilder(from, to time.Time) *RiskStatsBuilder {
	st := &RiskStatsBuilder{
		RiskStats: &crossguard.RiskStats{From: from.UTC(), To: to.UTC(), Profiles: []*crossguard.RateStats{},
			Model:  &crossguard.RateStats{Key: crossguard.SelectedModel},
			Random: &crossguard.RateStats{Key: crossguard.SelectedRandom}},
		channels:  map[string]*crossguard.RateStats{},
		crossings: map[string]*crossingBuilder{},
	}
	st.Crossings = []*crossguard.CrossingStats{}
	for _, c := range crossguard.Channels {
		channelOf(st.channels, &st.Channels, c)
	}
	return st
}

// channelOf returns the stats of channel c in m, adding them to m and
// list if new.
func channelOf(m map[string]*crossguard.RateStats, list *[]*crossguard.RateStats, c string) *crossguard.RateStats {
	r, ok := m[c]
	if !ok {
		r = &crossguard.RateStats{Key: c}
		m[c] = r
		*list = append(*list, r)
	}
	return r
}

// crossing returns the stats of crossing point c, adding them with every
// channel at zero if new.
func (st *RiskStatsBuilder) crossing(c string) *crossingBuilder {
	cb, ok := st.crossings[c]
	if !ok {
		cb = &crossingBuilder{CrossingStats: &crossguard.CrossingStats{Crossing: c}, channels: map[string]*crossguard.RateStats{}}
		for _, ch := range crossguard.Channels {
			channelOf(cb.channels, &cb.Channels, ch)
		}
		st.crossings[c] = cb
		st.Crossings = append(st.Crossings, cb.CrossingStats)
	}
	return cb
}

// AddGroup adds the counts of the decisions of one crossing point, channel
// and selector.
func (st *RiskStatsBuilder) AddGroup(crossing, channel, selectedBy string, g *crossguard.RateStats) {
	st.Total += g.Selected
	add := func(r *crossguard.RateStats) {
		r.Selected += g.Selected
		r.Inspected += g.Inspected
		r.Hits += g.Hits
		r.Revenue += g.Revenue
	}
	add(channelOf(st.channels, &st.Channels, channel))
	cb := st.crossing(crossing)
	cb.Total += g.Selected
	add(channelOf(cb.channels, &cb.Channels, channel))
	switch selectedBy {
	case crossguard.SelectedModel:
		add(st.Model)
	case crossguard.SelectedRandom:
		add(st.Random)
	}
}

// Finish orders channels other than the four after them, by name, and
// crossing points by name, sets every hit rate and returns the stats.
func (st *RiskStatsBuilder) Finish() *crossguard.RiskStats {
	byKey := func(a, b *crossguard.RateStats) int { return strings.Compare(a.Key, b.Key) }
	known := len(crossguard.Channels)
	slices.SortFunc(st.Channels[known:], byKey)
	for _, r := range st.Channels {
		SetHitRate(r)
	}
	slices.SortFunc(st.Crossings, func(a, b *crossguard.CrossingStats) int { return strings.Compare(a.Crossing, b.Crossing) })
	for _, c := range st.Crossings {
		slices.SortFunc(c.Channels[known:], byKey)
		for _, r := range c.Channels {
			SetHitRate(r)
		}
	}
	for _, r := range st.Profiles {
		SetHitRate(r)
	}
	SetHitRate(st.Model)
	SetHitRate(st.Random)
	return st.RiskStats
}

// SetHitRate sets r.HitRate to Hits / Inspected, 0 when none was
// inspected.
func SetHitRate(r *crossguard.RateStats) {
	r.HitRate = 0
	if r.Inspected > 0 {
		r.HitRate = float64(r.Hits) / float64(r.Inspected)
	}
}
