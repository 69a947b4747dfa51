package web

import (
	"cmp"
	"context"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"crossguard"
	"crossguard/refdata"
)

// Dashboard gives the start page its data. NodeDashboard implements it
// over a node by reading tallies kept with every write, one short page of
// partner records, the risk statistics and the peers' status, so that the
// page costs the same with a million seizures as with ten.
type Dashboard interface {
	// Dashboard returns the start page's data, read on behalf of actor.
	Dashboard(ctx context.Context, actor string) (*DashboardData, error)
}

// init adds the dashboard to the pages parsePages loads.
func init() { pageNames = append(pageNames, "dashboard") }

// Limits of what the dashboard draws.
const (
	// dashboardRoutes is how many routes the route chart shows.
	dashboardRoutes = 10
	// dashboardPlaces is how many places the map's table lists.
	dashboardPlaces = 20
)

// dashboardPage is the data of the start page: who is signed in, the
// links to the sections, and the dashboard's panels when there is data.
type dashboardPage struct {
	// Role is the signed-in person's role in the page's language.
	Role string
	// Seizures, Targeting, Cooperation, Admin and Audit report which
	// sections exist for the person (see the nav of dashboard.html).
	Seizures, Targeting, Cooperation, Admin, Audit bool
	// Shown is set when the node gives the dashboard data.
	Shown bool
	// Period names the months covered, such as "December 2025 – November 2026".
	Period string
	// Total is the number of seizures in the period, written out.
	Total string
	// Empty is set when no seizure falls in the period.
	Empty bool
	// Monthly, Routes and Concealments are the charts.
	Monthly      monthlyChart
	Routes       barChart
	Concealments barChart
	// Map is the map of seizure places.
	Map placeMap
	// Recent are the newest records of partners.
	Recent []seizureRow
	// Crossings are the channel mix of each crossing point; ChannelDays
	// the days they cover.
	Crossings   []crossingMix
	ChannelDays int
	// Peers is the sync health of each peer.
	Peers []syncRow
}

// crossingMix is the channel mix of one crossing point.
type crossingMix struct {
	Caption string
	Rows    []channelRow
}

// channelRow is one channel of the channel mix.
type channelRow struct {
	Class, Name, Selected, Share, Inspected, Hits, HitRate string
}

// syncRow is the state of the exchange with one peer.
type syncRow struct {
	ID, Name, State, StateClass, Last, Behind, Error string
}

// fillDashboard turns the node's data into the page's panels.
func (s *server) fillDashboard(tr *Translator, d *dashboardPage, data *DashboardData) {
	d.Shown = true
	months := data.Months
	if len(months) > 0 {
		d.Period = tr.T("dashboard.period", monthName(tr, months[0]), monthName(tr, months[len(months)-1]))
	}
	byDim := make(map[string]map[string]int64)
	perMonth := make(map[[2]string]int64) // (month, category)
	var total int64
	for _, t := range data.Tallies {
		if byDim[t.Dim] == nil {
			byDim[t.Dim] = make(map[string]int64)
		}
		byDim[t.Dim][t.Key] += t.Count
		switch t.Dim {
		case crossguard.TallyCategory:
			perMonth[[2]string{t.Month, t.Key}] += t.Count
		case crossguard.TallyOrigin:
			total += t.Count
		}
	}
	d.Total = tr.Number(total)
	d.Empty = total == 0 && len(byDim[crossguard.TallyCategory]) == 0
	d.Monthly = buildMonthly(tr, months, perMonth)
	routes := ranked(byDim[crossguard.TallyRoute])
	if len(routes) > dashboardRoutes {
		routes = routes[:dashboardRoutes]
	}
	var rb []bar
	for _, kv := range routes {
		from, to, _ := strings.Cut(kv.key, ">")
		rb = append(rb, bar{Label: tr.T("dashboard.route", s.countryName(tr, from), s.countryName(tr, to)), Count: kv.count})
	}
	d.Routes = buildBars(tr, "routes", tr.T("dashboard.routes.heading"), tr.T("dashboard.routes.desc"), rb)
	var cb []bar
	for _, kv := range ranked(byDim[crossguard.TallyConcealment]) {
		cb = append(cb, bar{Label: tr.T("concealment." + kv.key), Count: kv.count})
	}
	d.Concealments = buildBars(tr, "concealments", tr.T("dashboard.concealments.heading"), tr.T("dashboard.concealments.desc"), cb)
	d.Map = s.buildMap(tr, byDim[crossguard.TallyPlace])
	for _, z := range data.Recent {
		d.Recent = append(d.Recent, s.seizureRow(tr, z))
	}
	d.ChannelDays = dashboardRiskDays
	d.Crossings = crossingMixes(tr, data.Risk)
	d.Peers = syncRows(tr, data.Peers)
}

// keyCount is one key of a tally dimension and its count.
type keyCount struct {
	key   string
	count int64
}

// ranked returns the keys of m by count, highest first (ties by key).
func ranked(m map[string]int64) []keyCount {
	out := make([]keyCount, 0, len(m))
	for k, c := range m {
		if c > 0 {
			out = append(out, keyCount{k, c})
		}
	}
	slices.SortFunc(out, func(a, b keyCount) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return out
}

// monthName writes a month YYYY-MM as its name and year ("March 2026").
func monthName(tr *Translator, month string) string {
	y, m, ok := parseMonth(month)
	if !ok {
		return month
	}
	return tr.T("dashboard.monthyear", tr.T("month."+strconv.Itoa(m)), strconv.Itoa(y))
}

// parseMonth splits a month YYYY-MM.
func parseMonth(month string) (year, mon int, ok bool) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return 0, 0, false
	}
	return t.Year(), int(t.Month()), true
}

// countryName returns the name of a country code in the language: the
// dashboard's own names of the region's countries, else the English name
// of the reference data, else the code.
func (s *server) countryName(tr *Translator, code string) string {
	if msg, ok := s.cat.messages[tr.Lang()]["dashboard.country."+code]; ok {
		return msg
	}
	if name, ok := refdata.Country(code); ok {
		return name
	}
	return code
}

// crossingMixes returns the channel mix of each crossing point that
// scored declarations: each channel's share of them and its hit rate.
func crossingMixes(tr *Translator, st *crossguard.RiskStats) []crossingMix {
	if st == nil {
		return nil
	}
	var out []crossingMix
	for _, c := range st.Crossings {
		if c.Total == 0 {
			continue
		}
		name := c.Crossing
		if name == "" {
			name = tr.T("dashboard.channels.nocrossing")
		}
		m := crossingMix{Caption: tr.T("dashboard.channels.crossing", name, tr.Number(c.Total))}
		for _, ch := range c.Channels {
			m.Rows = append(m.Rows, channelRow{
				Class:     "channel-" + ch.Key,
				Name:      tr.T("channel." + ch.Key),
				Selected:  tr.Number(ch.Selected),
				Share:     percent(tr, float64(ch.Selected)/float64(c.Total)),
				Inspected: tr.Number(ch.Inspected),
				Hits:      tr.Number(ch.Hits),
				HitRate:   percent(tr, ch.HitRate),
			})
		}
		out = append(out, m)
	}
	return out
}

// syncRows returns the sync health of each peer.
func syncRows(tr *Translator, peers []*crossguard.Peer) []syncRow {
	var rows []syncRow
	for _, p := range peers {
		st := p.Status
		row := syncRow{ID: p.Card.ID, Name: p.Card.Name, Behind: tr.Number(st.Behind()), Error: st.LastError}
		switch {
		case st.LastError != "" && (st.LastExchange == nil || (st.LastErrorAt != nil && st.LastErrorAt.After(*st.LastExchange))):
			row.State, row.StateClass = tr.T("dashboard.peer.failing"), "peer-failing"
		case st.LastExchange == nil:
			row.State, row.StateClass = tr.T("dashboard.peer.never"), "peer-never"
		case st.Behind() > 0:
			row.State, row.StateClass = tr.T("dashboard.peer.behind"), "peer-behind"
		default:
			row.State, row.StateClass = tr.T("dashboard.peer.ok"), "peer-ok"
		}
		if st.LastExchange != nil {
			row.Last = tr.DateTime(*st.LastExchange)
		} else {
			row.Last = tr.T("dashboard.peer.none")
		}
		if row.StateClass != "peer-failing" {
			row.Error = ""
		}
		rows = append(rows, row)
	}
	return rows
}

// svg marks SVG built by the dashboard from escaped text as safe HTML.
func svg(b *strings.Builder) template.HTML { return template.HTML(b.String()) }
