package node_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// benchNode returns a node over a fresh SQLite database for b.
func benchNode(b *testing.B) *testnode.Node {
	b.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "n.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost", PublicKey: "a2V5", CreatedAt: now}
	if err := st.InitNode(context.Background(), &info); err != nil {
		b.Fatal(err)
	}
	return testnode.New(info, st, nil)
}

// BenchmarkRetentionApply measures a retention run that deletes
// $CROSSGUARD_BENCH_RETENTION (default 20000) expired own seizures with
// tombstones on SQLite, in batches of 1000 a transaction.
func BenchmarkRetentionApply(b *testing.B) {
	total := 20000
	if v, err := strconv.Atoi(os.Getenv("CROSSGUARD_BENCH_RETENTION")); err == nil && v > 0 {
		total = v
	}
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		n := benchNode(b)
		a := &crossguard.Agreement{Title: "30 days", Parties: []string{"pk-customs", "cn-customs"}, SignedOn: "2020-01-01",
			Scope: crossguard.AgreementScope{Kinds: []string{crossguard.KindSeizure}, RetentionDays: 30}}
		a.Header = crossguard.Header{ID: "01900000-0000-7000-8000-00000000a001", Kind: crossguard.KindAgreement, Origin: n.Info.ID,
			Version: 1, CreatedAt: now, UpdatedAt: now, Distribution: crossguard.DistNetwork, Recipients: a.Parties,
			Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: crossguard.HandlingH1}}
		body, _ := json.Marshal(a)
		if err := n.Store.CreateRecord(ctx, "bench", &crossguard.Record{Header: a.Header, Body: body}); err != nil {
			b.Fatal(err)
		}
		batch := make([]*crossguard.Seizure, 0, 1000)
		for i := range total {
			z := storetest.NewSeizure(i, now.Add(-time.Duration(i)*time.Second))
			z.Origin, z.Distribution, z.Recipients = n.Info.ID, crossguard.DistPartners, nil
			if z.Marking.TLP == crossguard.TLPRed || z.Marking.TLP == crossguard.TLPAmberStrict {
				z.Marking.TLP = crossguard.TLPAmber
			}
			batch = append(batch, z)
			if len(batch) == cap(batch) || i == total-1 {
				if err := n.Store.CreateSeizures(ctx, "bench", batch, nil); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		n.Clock = crossguard.FixedClock(now.AddDate(0, 0, 31))
		b.StartTimer()
		rep, err := n.ApplyRetention(ctx, node.RetentionActor, node.DefaultDeclarationRetention, nil)
		if err != nil || rep.Tombstoned != total {
			b.Fatalf("retention run: %+v, %v; want %d tombstones", rep, err, total)
		}
	}
	b.ReportMetric(float64(total), "records/op")
}
