package postgres_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/postgres"
	"crossguard/storetest"

	"github.com/jackc/pgx/v5"
)

// rawConn connects to the test database with schema as search_path, for
// tests that go around the store.
func rawConn(t *testing.T, schema string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(testenv.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = pgx.Identifier{schema}.Sanitize()
	conn, err := pgx.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(t.Context()) })
	return conn
}

// TestConcurrentStores writes through two stores on the same schema at once,
// as a CLI import and a running server do, and checks that the audit chain
// stays valid and that change sequence numbers are gap-free.
func TestConcurrentStores(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	stores := []*postgres.Store{openUnmigrated(t, schema), openUnmigrated(t, schema)}

	// Both migrate at once: the advisory lock applies each migration once.
	applied := make([]int, len(stores))
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() { applied[i], errs[i] = s.Migrate(t.Context()) })
	}
	wg.Wait()
	_, latest, err := stores[0].SchemaVersion(t.Context())
	if err != nil {
		t.Fatalf("SchemaVersion: %v", err)
	}
	if errs[0] != nil || errs[1] != nil || applied[0]+applied[1] != latest {
		t.Fatalf("concurrent Migrate = %v, %v; want %d migrations applied in all, no error", applied, errs, latest)
	}

	const writers, batches, batchSize = 2, 10, 25
	var ids [writers][]string
	for w := range writers {
		wg.Go(func() {
			s := stores[w]
			for b := range batches {
				first := (w*batches + b) * batchSize
				items := storetest.NewSeizures(first, batchSize, storetest.T0.Add(-time.Duration(first)*time.Minute), time.Minute)
				if err := s.CreateSeizures(t.Context(), "writer", items, nil); err != nil {
					t.Errorf("writer %d: CreateSeizures: %v", w, err)
					return
				}
				e := &crossguard.AuditEntry{At: storetest.T0, Actor: "writer", Action: crossguard.ActionLoginFailure,
					Outcome: crossguard.OutcomeDenied, Detail: fmt.Sprintf("writer=%d batch=%d", w, b)}
				if err := s.AppendAudit(t.Context(), e); err != nil {
					t.Errorf("writer %d: AppendAudit: %v", w, err)
					return
				}
				for _, it := range items {
					ids[w] = append(ids[w], it.ID)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	const total = writers * batches * batchSize
	n, err := crossguard.VerifyAudit(t.Context(), stores[1])
	if err != nil || n != total+writers*batches {
		t.Fatalf("VerifyAudit = %d, %v; want %d entries, no error", n, err, total+writers*batches)
	}
	var seqs []int64
	for w := range writers {
		var prev int64
		for _, id := range ids[w] {
			seq, err := stores[0].ChangeSeq(t.Context(), id)
			if err != nil {
				t.Fatalf("ChangeSeq(%s): %v", id, err)
			}
			if seq <= prev {
				t.Fatalf("writer %d: seq %d after %d, want increasing in the writer's commit order", w, seq, prev)
			}
			prev = seq
			seqs = append(seqs, seq)
		}
	}
	slices.Sort(seqs)
	for i, seq := range seqs {
		if seq != int64(i+1) {
			t.Fatalf("sorted change seqs[%d] = %d, want %d: seqs are not gap-free", i, seq, i+1)
		}
	}
}

// TestAuditAppendOnly checks that the database itself refuses to change or
// remove audit entries, whoever asks.
func TestAuditAppendOnly(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openTest(t, schema)
	for i := range 3 {
		e := &crossguard.AuditEntry{At: storetest.T0, Actor: "auditor", Action: crossguard.ActionLoginFailure,
			Outcome: crossguard.OutcomeDenied, Detail: fmt.Sprintf("n=%d", i)}
		if err := s.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
	}
	conn := rawConn(t, schema)
	for _, tc := range []struct{ name, sql string }{
		{"update", `UPDATE audit SET actor = 'mallory' WHERE seq = 2`},
		{"delete", `DELETE FROM audit WHERE seq = 3`},
		{"truncate", `TRUNCATE audit`},
	} {
		t.Run(tc.name+" refused", func(t *testing.T) {
			_, err := conn.Exec(t.Context(), tc.sql)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s: got error %v, want the append-only refusal", tc.sql, err)
			}
		})
	}
	n, err := crossguard.VerifyAudit(t.Context(), s)
	if err != nil || n != 3 {
		t.Fatalf("VerifyAudit = %d, %v; want 3, no error", n, err)
	}
}

// TestMigrateRefusesNewerSchema checks that a database migrated by a newer
// crossguard is refused with a message that says what to do.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := openTest(t, schema)
	conn := rawConn(t, schema)
	storetest.RefusesNewerSchema(t, s, func(v int) {
		if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', now())`, v); err != nil {
			t.Fatal(err)
		}
	})
}

// TestOpenNewSchema checks that Open creates a missing schema and that a new
// schema reports version 0 before Migrate.
func TestOpenNewSchema(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	storetest.MigrateNew(t, openUnmigrated(t, schema))
}

// TestSearchIgnoresDiacritics checks that a search finds words whatever
// their accents, as the SQLite backend's tokenizer does.
func TestSearchIgnoresDiacritics(t *testing.T) {
	t.Parallel()
	s := openTest(t, newSchema(t))
	it := storetest.NewSeizure(1, storetest.T0)
	it.Narrative = "Héroïne hidden in a CAFÉ delivery"
	if err := s.CreateSeizures(t.Context(), "officer", []*crossguard.Seizure{it}, nil); err != nil {
		t.Fatalf("CreateSeizures: %v", err)
	}
	for _, q := range []string{"heroine cafe", "HÉROÏNE", "café", "Cafe\u0301"} {
		t.Run(q, func(t *testing.T) {
			page, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Query: q})
			if err != nil || len(page.Items) != 1 || page.Items[0].ID != it.ID {
				t.Fatalf("ListSeizures(query %q) = %+v, %v; want the seizure", q, page, err)
			}
		})
	}
}

// TestListOneDigitHS checks the HS prefix that no goods index serves (one
// digit), alone and with the filters that drive other walks.
func TestListOneDigitHS(t *testing.T) {
	t.Parallel()
	s := openTest(t, newSchema(t))
	items := storetest.NewSeizures(0, 120, storetest.T0, 3*time.Hour)
	if err := s.CreateSeizures(t.Context(), "officer", items, nil); err != nil {
		t.Fatalf("CreateSeizures: %v", err)
	}
	cases := []struct {
		name string
		f    crossguard.SeizureFilter
	}{
		{"alone", crossguard.SeizureFilter{HS: "2"}},
		{"with category", crossguard.SeizureFilter{HS: "9", Category: "weapons"}},
		{"with category of another line", crossguard.SeizureFilter{HS: "1", Category: "tobacco"}},
		{"with country", crossguard.SeizureFilter{HS: "3", Country: "PK"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, it := range items { // newest first already
				hs, cat := false, c.f.Category == ""
				for _, g := range it.Goods {
					hs = hs || strings.HasPrefix(g.HS, c.f.HS)
					cat = cat || g.Category == c.f.Category
				}
				if hs && cat && (c.f.Country == "" || it.Country == c.f.Country) {
					want = append(want, it.ID)
				}
			}
			if len(want) == 0 || len(want) == len(items) {
				t.Fatalf("test data: %d of %d records match, want some but not all", len(want), len(items))
			}
			f := c.f
			f.Limit = crossguard.MaxPageSize
			page, err := s.ListSeizures(t.Context(), f)
			if err != nil {
				t.Fatalf("ListSeizures: %v", err)
			}
			var got []string
			for _, it := range page.Items {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("ListSeizures(%+v) = %v, want %v", c.f, got, want)
			}
		})
	}
}
