package crossguard

import (
	"slices"
	"strings"
	"time"
)

// RiskStatsBuilder collects RiskStats from counts by channel and selector,
// as the stores read them; both stores use it so that they agree.
type RiskStatsBuilder struct {
	*RiskStats
	channels  map[string]*RateStats
	crossings map[string]*crossingBuilder
}

// crossingBuilder collects the stats of one crossing point.
type crossingBuilder struct {
	*CrossingStats
	channels map[string]*RateStats
}

// NewRiskStatsBuilder returns empty stats over [from, to), with every channel,
// the model and random selection at zero.
func NewRiskStatsBuilder(from, to time.Time) *RiskStatsBuilder {
	st := &RiskStatsBuilder{
		RiskStats: &RiskStats{From: from.UTC(), To: to.UTC(), Profiles: []*RateStats{},
			Model:  &RateStats{Key: SelectedModel},
			Random: &RateStats{Key: SelectedRandom}},
		channels:  map[string]*RateStats{},
		crossings: map[string]*crossingBuilder{},
	}
	st.Crossings = []*CrossingStats{}
	for _, c := range Channels {
		channelOf(st.channels, &st.Channels, c)
	}
	return st
}

// channelOf returns the stats of channel c in m, adding them to m and
// list if new.
func channelOf(m map[string]*RateStats, list *[]*RateStats, c string) *RateStats {
	r, ok := m[c]
	if !ok {
		r = &RateStats{Key: c}
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
		cb = &crossingBuilder{CrossingStats: &CrossingStats{Crossing: c}, channels: map[string]*RateStats{}}
		for _, ch := range Channels {
			channelOf(cb.channels, &cb.Channels, ch)
		}
		st.crossings[c] = cb
		st.Crossings = append(st.Crossings, cb.CrossingStats)
	}
	return cb
}

// AddGroup adds the counts of the decisions of one crossing point, channel
// and selector.
func (st *RiskStatsBuilder) AddGroup(crossing, channel, selectedBy string, g *RateStats) {
	st.Total += g.Selected
	add := func(r *RateStats) {
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
	case SelectedModel:
		add(st.Model)
	case SelectedRandom:
		add(st.Random)
	}
}

// Finish orders channels other than the four after them, by name, and
// crossing points by name, sets every hit rate and returns the stats.
func (st *RiskStatsBuilder) Finish() *RiskStats {
	byKey := func(a, b *RateStats) int { return strings.Compare(a.Key, b.Key) }
	known := len(Channels)
	slices.SortFunc(st.Channels[known:], byKey)
	for _, r := range st.Channels {
		SetHitRate(r)
	}
	slices.SortFunc(st.Crossings, func(a, b *CrossingStats) int { return strings.Compare(a.Crossing, b.Crossing) })
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
func SetHitRate(r *RateStats) {
	r.HitRate = 0
	if r.Inspected > 0 {
		r.HitRate = float64(r.Hits) / float64(r.Inspected)
	}
}
