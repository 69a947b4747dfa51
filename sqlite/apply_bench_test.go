package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// BenchmarkApplyPage measures ApplyPage with pages of 1000 received
// seizures on a growing database, in seizures stored per second, to
// compare with BenchmarkCreateSeizures: new records, and newer versions of
// records held (which replace their rows and indexing one by one).
func BenchmarkApplyPage(b *testing.B) {
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, mode := range []string{"new", "newer_versions"} {
		b.Run(mode, func(b *testing.B) {
			s, err := Open(b.Context(), filepath.Join(b.TempDir(), "apply.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			if err := s.InitNode(b.Context(), storetest.NewNodeInfo(start)); err != nil {
				b.Fatal(err)
			}
			if err := s.PutPeer(b.Context(), "bench", storetest.NewPeer(storetest.PeerA, crossguard.RelPartner, start), start); err != nil {
				b.Fatal(err)
			}
			const batch = 1000
			page := func(first int, version int64, cursor int64) *crossguard.InboundPage {
				recs := make([]*crossguard.Incoming, batch)
				for k := range recs {
					n := first + k
					recs[k] = storetest.IncomingSeizure(storetest.ForeignSeizure(n, start.Add(time.Duration(n)*time.Minute), storetest.PeerA, version))
				}
				return &crossguard.InboundPage{Peer: storetest.PeerA, Records: recs, Cursor: cursor, RemoteHead: cursor, At: start}
			}
			n := 0
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				p := page(n, 1, int64(n+batch))
				if mode == "newer_versions" {
					if _, err := s.ApplyPage(b.Context(), p); err != nil {
						b.Fatal(err)
					}
					p = page(n, 2, int64(n+batch))
				}
				n += batch
				b.StartTimer()
				c := processCPU()
				res, err := s.ApplyPage(b.Context(), p)
				if err != nil {
					b.Fatal(err)
				}
				if res.Applied != batch {
					b.Fatalf("applied %d of %d", res.Applied, batch)
				}
				cpu += processCPU() - c
			}
			reportRate(b, n, cpu)
		})
	}
}
