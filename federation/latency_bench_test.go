//go:build unix

package federation_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/sample"
)

// latencyRate is how many records per second the origin commits in
// BenchmarkLatency.
const latencyRate = 100

// latencyPoll is how often BenchmarkLatency looks for new records on the
// receiving node: the resolution of its measure.
const latencyPoll = 5 * time.Millisecond

// BenchmarkLatency measures how soon a caught-up partner has a new record:
// B runs the service's own pull loop (long-polling), A serves and commits
// a steady 100 seizures a second, one CreateSeizure each, for
// CROSSGUARD_BENCH_LATENCY_SECONDS (default 20). For each record it
// measures the time from A's commit returning to the record being in B's
// change feed (looked for every 5 ms), and reports the median, 99th
// percentile and maximum in ms, and the rate A actually committed at.
func BenchmarkLatency(b *testing.B) {
	secs := benchCount(b, "CROSSGUARD_BENCH_LATENCY_SECONDS", 20)
	var lat []time.Duration
	var rate float64
	for range b.N {
		l, r := measureLatency(b, time.Duration(secs)*time.Second)
		lat, rate = append(lat, l...), r
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Seconds() * 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(lat[len(lat)-1].Seconds()*1000, "max-ms")
	b.ReportMetric(rate, "records/s")
}

// measureLatency runs one measure of BenchmarkLatency for d and returns
// the latency of each record and the rate A committed at.
func measureLatency(b *testing.B, d time.Duration) ([]time.Duration, float64) {
	b.Helper()
	a := fedtest.NewNode(b, fedtest.SQLite, "pk-customs/sost")
	nd := fedtest.NewNode(b, fedtest.SQLite, "cn-customs/tashkurgan")
	fedtest.Link(a, nd, fedtest.All)
	nd.Start()
	// Wait for B's first (empty) exchange, so that what follows measures a
	// caught-up, long-polling link.
	fedtest.WaitFor(b, 30*time.Second, "the first pull", func() bool {
		p, err := nd.Store.Peer(b.Context(), a.ID())
		return err == nil && p.Status.LastExchange != nil
	})

	count := int(d.Seconds() * latencyRate)
	items := sample.Seizures(count, 2, time.Now())
	for _, s := range items {
		// Every record shareable with the partner, so that each is measured.
		s.Distribution, s.Recipients = crossguard.DistPartners, nil
		if s.Marking.TLP == crossguard.TLPRed || s.Marking.TLP == crossguard.TLPAmberStrict {
			s.Marking.TLP = crossguard.TLPAmber
		}
	}

	seen := watchArrivals(b, nd, a.ID())
	committed := make(map[string]time.Time, count)
	tick := time.NewTicker(time.Second / latencyRate)
	defer tick.Stop()
	start := time.Now()
	for _, s := range items {
		<-tick.C
		if _, err := a.Node.CreateSeizure(b.Context(), "bench", s); err != nil {
			b.Fatalf("create: %v", err)
		}
		committed[s.ID] = time.Now()
	}
	rate := float64(count) / time.Since(start).Seconds()
	arrived := seen.wait(b, count)

	lat := make([]time.Duration, 0, count)
	early := 0
	for id, c := range committed {
		at, ok := arrived[id]
		if !ok {
			b.Fatalf("record %s never reached %s", id, nd.ID())
		}
		if at.Before(c) {
			// Seen in the moment between A's commit and CreateSeizure
			// returning.
			early++
			at = c
		}
		lat = append(lat, at.Sub(c))
	}
	if early > 0 {
		b.Logf("%d records were seen on B before A's CreateSeizure returned", early)
	}
	return lat, rate
}

// arrivals records when records of one origin appear in a node's change
// feed.
type arrivals struct {
	mu   sync.Mutex
	at   map[string]time.Time
	stop context.CancelFunc
	done chan struct{}
}

// watchArrivals looks for records of origin in nd's change feed every
// latencyPoll until wait stops it.
func watchArrivals(b *testing.B, nd *fedtest.Node, origin string) *arrivals {
	ctx, cancel := context.WithCancel(b.Context())
	w := &arrivals{at: map[string]time.Time{}, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(latencyPoll)
		defer tick.Stop()
		var after int64
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			changes, _, err := nd.Store.Changes(ctx, after, 1000)
			if err != nil {
				if ctx.Err() == nil {
					b.Errorf("changes of %s: %v", nd.ID(), err)
				}
				return
			}
			now := time.Now()
			w.mu.Lock()
			for _, c := range changes {
				if c.Header.Origin == origin && c.State == crossguard.StateLive {
					if _, ok := w.at[c.Header.ID]; !ok {
						w.at[c.Header.ID] = now
					}
				}
				after = c.Seq
			}
			w.mu.Unlock()
		}
	}()
	return w
}

// wait waits until count records have arrived (failing b after a bound),
// stops watching and returns when each arrived.
func (w *arrivals) wait(b *testing.B, count int) map[string]time.Time {
	b.Helper()
	fedtest.WaitFor(b, time.Minute, "every record to reach B", func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.at) >= count
	})
	w.stop()
	<-w.done
	return w.at
}
