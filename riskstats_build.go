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
	channels map[string]*RateStats
}

// NewRiskStatsBuilder returns empty stats over [from, to), with every channel,
// the model and random selection at zero.
func NewRiskStatsBuilder(from, to time.Time) *RiskStatsBuilder {
	st := &RiskStatsBuilder{
		RiskStats: &RiskStats{From: from.UTC(), To: to.UTC(), Profiles: []*RateStats{},
			Model:  &RateStats{Key: SelectedModel},
			Random: &RateStats{Key: SelectedRandom}},
		channels: map[string]*RateStats{},
	}
	for _, c := range Channels {
		st.channel(c)
	}
	return st
}

// channel returns the stats of channel c, adding them if new.
func (st *RiskStatsBuilder) channel(c string) *RateStats {
	r, ok := st.channels[c]
	if !ok {
		r = &RateStats{Key: c}
		st.channels[c] = r
		st.Channels = append(st.Channels, r)
	}
	return r
}

// AddGroup adds the counts of the decisions of one channel and selector.
func (st *RiskStatsBuilder) AddGroup(channel, selectedBy string, g *RateStats) {
	st.Total += g.Selected
	add := func(r *RateStats) {
		r.Selected += g.Selected
		r.Inspected += g.Inspected
		r.Hits += g.Hits
		r.Revenue += g.Revenue
	}
	add(st.channel(channel))
	switch selectedBy {
	case SelectedModel:
		add(st.Model)
	case SelectedRandom:
		add(st.Random)
	}
}

// Finish orders channels other than the four after them, by name, sets
// every hit rate and returns the stats.
func (st *RiskStatsBuilder) Finish() *RiskStats {
	known := len(Channels)
	slices.SortFunc(st.Channels[known:], func(a, b *RateStats) int { return strings.Compare(a.Key, b.Key) })
	for _, r := range st.Channels {
		SetHitRate(r)
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
