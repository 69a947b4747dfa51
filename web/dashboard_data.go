package web

import (
	"context"
	"fmt"
	"time"

	"crossguard"
	"crossguard/node"
)

// The reach of the dashboard.
const (
	// dashboardMonths is how many calendar months, the current one
	// included, the dashboard's tallies cover.
	dashboardMonths = 12
	// dashboardRecent is how many of the partners' records it lists.
	dashboardRecent = 10
	// dashboardRiskDays is how many days, today included, its channel
	// mix covers.
	dashboardRiskDays = 30
)

// DashboardData is what the start page shows, read without scanning the
// seizures: the seizure tallies of the last twelve months, the newest
// records of other nodes, the channel mix of recent decisions and the
// state of the exchange with each peer.
type DashboardData struct {
	// Months are the months covered, YYYY-MM, oldest first.
	Months []string
	// Tallies are the non-zero tallies of those months.
	Tallies []*crossguard.Tally
	// Recent are the newest live seizures of other origins seized in
	// those months, newest first.
	Recent []*crossguard.Seizure
	// Risk is the hit-rate statistics of the last thirty days, per
	// channel (the store keeps no figures per crossing point).
	Risk *crossguard.RiskStats
	// Peers are the peers this node exchanges records with, with their
	// status; peers known only to verify relayed records are left out.
	Peers []*crossguard.Peer
}

// dashboardMonthsTo returns the n months ending with the month of now
// (UTC), YYYY-MM, oldest first.
func dashboardMonthsTo(now time.Time, n int) []string {
	now = now.UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := make([]string, n)
	for i := range n {
		months[i] = first.AddDate(0, i-n+1, 0).Format("2006-01")
	}
	return months
}

// PartnerFigures gives the dashboard the seizure tallies, the partners'
// newest records and the peers; node.Sharing implements it.
type PartnerFigures interface {
	// SeizureTallies returns the non-zero tallies of the months fromMonth
	// to toMonth (YYYY-MM).
	SeizureTallies(ctx context.Context, fromMonth, toMonth string) ([]*crossguard.Tally, error)
	// RecentFromPartners returns the n newest live seizures of the other
	// origins that tallies count, newest first, auditing their reads
	// under actor.
	RecentFromPartners(ctx context.Context, actor string, tallies []*crossguard.Tally, n int) ([]*crossguard.Seizure, error)
	// Peers lists the peers with their status.
	Peers(ctx context.Context) ([]*crossguard.Peer, error)
}

// RiskFigures gives the dashboard its channel mix; node.Targeting
// implements it.
type RiskFigures interface {
	// RiskStats returns hit rates over decisions made in [from, to).
	RiskStats(ctx context.Context, from, to time.Time) (*crossguard.RiskStats, error)
}

// NodeDashboard is the Dashboard of a node: it gathers the start page's
// data from the node's sharing and targeting services.
type NodeDashboard struct {
	Partners PartnerFigures
	Risk     RiskFigures
	// Now is the node's clock, which sets the months and days covered.
	Now func() time.Time
}

var (
	_ Dashboard      = NodeDashboard{}
	_ PartnerFigures = (*node.Sharing)(nil)
	_ RiskFigures    = (*node.Targeting)(nil)
)

// Dashboard gathers the start page's data for actor. Listing other
// nodes' records audits their reads, as the seizure list does.
func (nd NodeDashboard) Dashboard(ctx context.Context, actor string) (*DashboardData, error) {
	now := nd.Now().UTC()
	d := &DashboardData{Months: dashboardMonthsTo(now, dashboardMonths)}
	var err error
	if d.Tallies, err = nd.Partners.SeizureTallies(ctx, d.Months[0], d.Months[len(d.Months)-1]); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	if d.Recent, err = nd.Partners.RecentFromPartners(ctx, actor, d.Tallies, dashboardRecent); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if d.Risk, err = nd.Risk.RiskStats(ctx, today.AddDate(0, 0, 1-dashboardRiskDays), today.AddDate(0, 0, 1)); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	peers, err := nd.Partners.Peers(ctx)
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
