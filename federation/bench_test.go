//go:build unix

package federation_test

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"crossguard"
	"crossguard/federation/fedtest"
	"crossguard/internal/testenv"
	"crossguard/sample"
)

// benchCount returns the positive number in the environment variable
// name, or def when it is unset.
func benchCount(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		b.Fatalf("%s=%q is not a positive number", name, s)
	}
	return v
}

// processCPU returns the CPU time the process has used on all its
// threads. A benchmark reports its throughput per CPU second too: another
// load on the shared machine changes it much less than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// syncBackend is a store the initial sync is measured on.
type syncBackend struct {
	name string
	open fedtest.Opener
}

// syncBackends are SQLite, and PostgreSQL when CROSSGUARD_TEST_POSTGRES
// names a server.
func syncBackends() []syncBackend {
	backends := []syncBackend{{"sqlite", fedtest.SQLite}}
	if os.Getenv(testenv.PostgresEnv) != "" {
		backends = append(backends, syncBackend{"postgres", fedtest.Postgres})
	}
	return backends
}

// benchReceiver is how the origin sees each receiving node of the sync
// benchmark (all of them cn-customs nodes): a partner given every kind up
// to TLP:RED, so that the records' own markings decide what it gets.
func benchReceiver(id string) *crossguard.Peer {
	return &crossguard.Peer{Card: crossguard.NodeCard{ID: id, Agency: crossguard.Agency(id)},
		Relationship: crossguard.RelPartner, Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed}
}

// syncBatch is the number of seizures per transaction of the local
// inserts, as the importer commits them.
const syncBatch = 1000

// fillOrigin records n sample seizures (seed seed, made at now) at node a
// in transactions of syncBatch, as its own records, and returns which of
// them a cn-customs partner may receive: with the sample's markings, about
// two thirds.
func fillOrigin(b *testing.B, a *fedtest.Node, n int, seed int64, now time.Time) []bool {
	b.Helper()
	peer := benchReceiver("cn-customs/any")
	mask := make([]bool, 0, n)
	batch := make([]*crossguard.Seizure, 0, syncBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := a.Store.CreateSeizures(b.Context(), "bench", batch, nil)
		batch = batch[:0]
		return err
	}
	err := sample.Each(n, seed, now, func(s *crossguard.Seizure) error {
		if err := a.Node.PrepareSeizure(s); err != nil {
			return err
		}
		ok, _ := crossguard.MayShare(a.ID(), peer, &s.Header)
		mask = append(mask, ok)
		if batch = append(batch, s); len(batch) == syncBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		b.Fatalf("record the origin's seizures: %v", err)
	}
	return mask
}

// insertLocal records at node nd, as its own, the seizures of the sample
// (n, seed, now) that mask selects, in transactions of syncBatch with the
// validation and stamping of a local write, and returns the wall-clock
// and CPU time that took (generating the sample is not counted).
func insertLocal(b *testing.B, nd *fedtest.Node, n int, seed int64, now time.Time, mask []bool) (took, cpu time.Duration) {
	b.Helper()
	batch := make([]*crossguard.Seizure, 0, syncBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		start, c := time.Now(), processCPU()
		defer func() { took, cpu = took+time.Since(start), cpu+processCPU()-c }()
		for _, s := range batch {
			if err := nd.Node.PrepareSeizure(s); err != nil {
				return err
			}
		}
		err := nd.Store.CreateSeizures(b.Context(), "bench", batch, nil)
		batch = batch[:0]
		return err
	}
	i := 0
	err := sample.Each(n, seed, now, func(s *crossguard.Seizure) error {
		i++
		if !mask[i-1] {
			return nil
		}
		if batch = append(batch, s); len(batch) == syncBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		b.Fatalf("insert locally: %v", err)
	}
	return took, cpu
}

// pullAll pulls pages from peer into nd, one after the other as the
// service does while behind, until nd has caught up, and returns how many
// pages that took.
func pullAll(b *testing.B, nd, peer *fedtest.Node, bound int) int {
	b.Helper()
	for pages := 1; pages <= bound; pages++ {
		res, err := nd.Pull(peer)
		if err != nil {
			b.Fatalf("%s pulling from %s: %v", nd.ID(), peer.ID(), err)
		}
		if res.CaughtUp() {
			return pages
		}
	}
	b.Fatalf("%s did not catch up with %s in %d pages", nd.ID(), peer.ID(), bound)
	return 0
}

// checkReceived fails b unless nd received exactly want records from
// peer and refused none.
func checkReceived(b *testing.B, nd, peer *fedtest.Node, want int) {
	b.Helper()
	p, err := nd.Store.Peer(b.Context(), peer.ID())
	if err != nil {
		b.Fatal(err)
	}
	if p.Status.Received != int64(want) || p.Status.Refused != 0 {
		b.Fatalf("%s received %d records and refused %d from %s, want %d and 0 (last error %q)",
			nd.ID(), p.Status.Received, p.Status.Refused, peer.ID(), want, p.Status.LastError)
	}
}

// BenchmarkInitialSync measures the first sync of a backlog: node A holds
// CROSSGUARD_BENCH_SYNC_N sample seizures (default 100,000; about two
// thirds of them, by their own markings, shareable with a partner), and a
// new partner node B, over mutual TLS on loopback, receives every record
// it may have. In the same run, local is the baseline: a fresh node
// inserting the same records as its own, in transactions of 1000 as the
// importer does. pull drives B's puller page after page as the service
// does while behind; service runs B's own pull loop (Start) and waits
// until B has everything. Each reports records stored on B per second and
// per CPU second (A and B share the process, so the CPU is both sides'),
// and its ratios to local (cpu-ratio compares the CPU rates, which other
// load on the machine changes less). With CROSSGUARD_TEST_POSTGRES set it
// runs on PostgreSQL too, where the CPU rates leave out the server's own
// CPU. Run it with -benchtime=1x.
func BenchmarkInitialSync(b *testing.B) {
	n := benchCount(b, "CROSSGUARD_BENCH_SYNC_N", 100000)
	const seed = 1
	now := time.Now()
	for _, be := range syncBackends() {
		b.Run(be.name, func(b *testing.B) {
			a := fedtest.NewNode(b, be.open, "pk-customs/sost")
			mask := fillOrigin(b, a, n, seed, now)
			shared := 0
			for _, ok := range mask {
				if ok {
					shared++
				}
			}
			b.Logf("origin holds %d seizures, %d of them shareable with a partner", n, shared)
			var localRate, localCPURate float64
			// report reports the rates of b and, unless b is the
			// baseline, their ratios to the baseline's.
			report := func(b *testing.B, took, cpu time.Duration, baseline bool) {
				rate := float64(shared*b.N) / took.Seconds()
				b.ReportMetric(rate, "records/s")
				cpuRate := 0.0
				if cpu > 0 {
					cpuRate = float64(shared*b.N) / cpu.Seconds()
					b.ReportMetric(cpuRate, "records/cpu-s")
				}
				switch {
				case baseline:
					localRate, localCPURate = rate, cpuRate
				case localRate > 0:
					b.ReportMetric(rate/localRate, "ratio")
					if cpuRate > 0 && localCPURate > 0 {
						b.ReportMetric(cpuRate/localCPURate, "cpu-ratio")
					}
				}
			}
			b.Run("local", func(b *testing.B) {
				var took, cpu time.Duration
				for i := range b.N {
					nd := fedtest.NewNode(b, be.open, fmt.Sprintf("cn-customs/local%d", i))
					t, c := insertLocal(b, nd, n, seed, now, mask)
					took, cpu = took+t, cpu+c
				}
				report(b, took, cpu, true)
			})
			b.Run("pull", func(b *testing.B) {
				var took, cpu time.Duration
				pages := 0
				for i := range b.N {
					nd := fedtest.NewNode(b, be.open, fmt.Sprintf("cn-customs/pull%d", i))
					fedtest.Link(a, nd, fedtest.All)
					start, c := time.Now(), processCPU()
					pages += pullAll(b, nd, a, n+10)
					took, cpu = took+time.Since(start), cpu+processCPU()-c
					checkReceived(b, nd, a, shared)
				}
				report(b, took, cpu, false)
				b.ReportMetric(float64(pages)/float64(b.N), "pages")
			})
			b.Run("service", func(b *testing.B) {
				var took, cpu time.Duration
				for i := range b.N {
					nd := fedtest.NewNode(b, be.open, fmt.Sprintf("cn-customs/svc%d", i))
					fedtest.Link(a, nd, fedtest.All)
					start, c := time.Now(), processCPU()
					nd.Start()
					fedtest.WaitFor(b, time.Hour, "the service to receive the backlog", func() bool {
						p, err := nd.Store.Peer(b.Context(), a.ID())
						return err == nil && (p.Status.Received >= int64(shared) || p.Status.Refused > 0)
					})
					took, cpu = took+time.Since(start), cpu+processCPU()-c
					checkReceived(b, nd, a, shared)
				}
				report(b, took, cpu, false)
			})
		})
	}
}
