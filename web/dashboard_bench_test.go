package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"crossguard"
)

// fullDashboard is a realistic full dashboard: 12 months × 14 categories,
// 50 routes, 8 concealments, 2,000 place cells, 10 partner records and 4
// peers.
func fullDashboard() *DashboardData {
	d := &DashboardData{Months: dashboardMonthsTo(testNow, 12)}
	add := func(month, dim, key string, n int64) {
		d.Tallies = append(d.Tallies, &crossguard.Tally{Month: month, Dim: dim, Key: key, Count: n})
	}
	countries := []string{"AF", "PK", "CN", "IN", "IR", "TJ", "KG", "UZ", "KZ", "TM", "NP", "AE"}
	for mi, m := range d.Months {
		for ci, c := range crossguard.Categories {
			add(m, crossguard.TallyCategory, c, int64(1000+97*ci+13*mi))
		}
		add(m, crossguard.TallyOrigin, seizureNodeID, 60000)
		add(m, crossguard.TallyOrigin, "cn-customs/kashgar", 23000)
		for ci, c := range crossguard.Concealments {
			add(m, crossguard.TallyConcealment, c, int64(5000+311*ci))
		}
	}
	last := d.Months[len(d.Months)-1]
	for i := range 50 {
		add(last, crossguard.TallyRoute, countries[i%12]+">"+countries[(i/12+i+1)%12], int64(4000-70*i))
	}
	for i := range 2000 {
		add(last, crossguard.TallyPlace, fmt.Sprintf("%.1f,%.1f", 24+float64(i%200)/10, 61+float64(i/200)*3), int64(1+i%300))
	}
	at := testNow.Add(-time.Hour)
	for i := range 10 {
		lat, lon := 36.5, 74.9
		d.Recent = append(d.Recent, &crossguard.Seizure{Header: crossguard.Header{ID: fmt.Sprintf("r-%d", i), Origin: "cn-customs/kashgar",
			Marking: crossguard.Marking{TLP: crossguard.TLPAmber}}, OccurredAt: at, Country: "CN",
			Place: crossguard.Place{Name: "Khunjerab pass", Lat: &lat, Lon: &lon},
			Goods: []crossguard.Goods{{Category: "tobacco", Description: "cigarettes", Quantity: 1200, Unit: "cartons"}, {Category: "currency", Description: "notes", Quantity: 1, Unit: "pieces"}}})
	}
	d.Risk = &crossguard.RiskStats{Total: 10000}
	for _, name := range []string{"khunjerab", "sost"} {
		c := &crossguard.CrossingStats{Crossing: name, Total: 5000}
		for i, ch := range crossguard.Channels {
			r := &crossguard.RateStats{Key: ch, Selected: int64(500 + 1000*i), Inspected: 450, Hits: int64(50 - 10*i), HitRate: 0.1}
			d.Risk.Channels = append(d.Risk.Channels, r)
			c.Channels = append(c.Channels, r)
		}
		d.Risk.Crossings = append(d.Risk.Crossings, c)
	}
	for i := range 4 {
		d.Peers = append(d.Peers, &crossguard.Peer{Card: crossguard.NodeCard{ID: fmt.Sprintf("cn-customs/n%d", i), Name: fmt.Sprintf("Node %d", i)},
			Status: crossguard.PeerStatus{Cursor: 100, RemoteHead: int64(100 + i), LastExchange: &at}})
	}
	return d
}

// BenchmarkDashboardPage serves GET / through the real handler, signed in,
// with a full fake dashboard: the cost of the web side of the start page.
func BenchmarkDashboardPage(b *testing.B) {
	auth := newFakeAuth()
	h := Handler(Config{Auth: auth, NodeName: "Khunjerab", NodeID: seizureNodeID,
		Now: func() time.Time { return testNow }, Dashboard: fakeDashboard{fullDashboard()}})
	token, err := auth.SignIn(context.Background(), "alice", "correct horse", "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("GET / = %d", w.Code)
	}
	b.SetBytes(int64(w.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
	}
}
