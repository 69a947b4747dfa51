package node

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"crossguard"
)

// The reach of the dashboard.
const (
	// DashboardMonths is how many calendar months, the current one
	// included, the dashboard's tallies cover.
	DashboardMonths = 12
	// DashboardRecent is how many of the partners' records it lists.
	DashboardRecent = 10
	// DashboardRiskDays is how many days, today included, its channel
	// mix covers.
	DashboardRiskDays = 30
)

// Dashboard is what the start page shows, read without scanning the
// seizures: the seizure tallies of the last DashboardMonths months, the
// newest records of other nodes, the channel mix of recent decisions and
// the state of the exchange with each peer.
type Dashboard struct {
	// Months are the months covered, YYYY-MM, oldest first.
	Months []string
	// Tallies are the non-zero tallies of those months.
	Tallies []*crossguard.Tally
	// Recent are the newest live seizures of other origins seized in
	// those months, newest first.
	Recent []*crossguard.Seizure
	// Risk is the hit-rate statistics of the last DashboardRiskDays days,
	// per channel (the store keeps no figures per crossing point).
	Risk *crossguard.RiskStats
	// Peers are the peers this node exchanges records with, with their
	// status; peers known only to verify relayed records are left out.
	Peers []*crossguard.Peer
}

// DashboardMonthsTo returns the n months ending with the month of now
// (UTC), YYYY-MM, oldest first.
func DashboardMonthsTo(now time.Time, n int) []string {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := make([]string, n)
	for i := range n {
		months[i] = first.AddDate(0, i-n+1, 0).Format("2006-01")
	}
	return months
}

// Dashboard gathers the start page's data for actor. Listing other
// nodes' records audits their reads, as the seizure list does.
func (sh *Sharing) Dashboard(ctx context.Context, actor string) (*Dashboard, error) {
	now := sh.Clock.Now().UTC()
	d := &Dashboard{Months: DashboardMonthsTo(now, DashboardMonths)}
	var err error
	if d.Tallies, err = sh.store.SeizureTallies(ctx, d.Months[0], d.Months[len(d.Months)-1]); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	if d.Recent, err = sh.recentFromPartners(ctx, actor, d.Tallies); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if d.Risk, err = riskStats(ctx, sh.store, today.AddDate(0, 0, 1-DashboardRiskDays), today.AddDate(0, 0, 1)); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	peers, err := sh.Peers(ctx)
	if err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	for _, p := range peers {
		if !p.OriginOnly {
			d.Peers = append(d.Peers, p)
		}
	}
	return d, nil
}

// recentFromPartners returns the DashboardRecent newest live seizures of
// the other origins that tallies count, newest first, and audits their
// reads. It lists each origin through its own index rather than asking for
// "any origin but this node", which on a node holding mostly its own
// records would walk all of them to find a few of its partners'.
func (sh *Sharing) recentFromPartners(ctx context.Context, actor string, tallies []*crossguard.Tally) ([]*crossguard.Seizure, error) {
	origins := make(map[string]bool)
	for _, t := range tallies {
		if t.Dim == crossguard.TallyOrigin && t.Key != sh.Info.ID {
			origins[t.Key] = true
		}
	}
	var all []*crossguard.Seizure
	for _, o := range slices.Sorted(maps.Keys(origins)) {
		page, err := sh.store.ListSeizures(ctx, crossguard.SeizureFilter{Origin: o, Limit: DashboardRecent})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
	}
	slices.SortFunc(all, func(a, b *crossguard.Seizure) int {
		if c := b.OccurredAt.Compare(a.OccurredAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	all = all[:min(len(all), DashboardRecent)]
	if err := sh.auditForeignReads(ctx, actor, all...); err != nil {
		return nil, err
	}
	return all, nil
}
