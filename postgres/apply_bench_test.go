package postgres_test

import (
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// BenchmarkApplyPage measures ApplyPage on pages of 1,000 new seizures from
// a peer, the bulk of a first sync, reporting seizures per second. The
// pages are built before the timer runs.
func BenchmarkApplyPage(b *testing.B) {
	s := openTest(b, newSchema(b))
	if err := s.InitNode(b.Context(), storetest.NewNodeInfo(storetest.T0)); err != nil {
		b.Fatalf("InitNode: %v", err)
	}
	if err := s.PutPeer(b.Context(), "admin", storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, storetest.T0), storetest.T0); err != nil {
		b.Fatalf("PutPeer: %v", err)
	}
	const batch = 1000
	var pages int
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		p, _ := foreignPage(pages*batch, batch, int64(pages+1))
		pages++
		b.StartTimer()
		start := time.Now()
		res, err := s.ApplyPage(b.Context(), p)
		if err != nil {
			b.Fatalf("ApplyPage: %v", err)
		}
		took += time.Since(start)
		if res.Applied != batch {
			b.Fatalf("ApplyPage applied %d of %d", res.Applied, batch)
		}
	}
	b.ReportMetric(float64(pages*batch)/took.Seconds(), "seizures/s")
}
