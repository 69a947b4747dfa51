package sqlite

import (
	"fmt"
	"testing"
	"time"

	"crossguard"
	"crossguard/storetest"
)

// counts returns the number of seizures, goods lines, full-text rows and
// audit entries stored, and the change and audit sequence heads.
func counts(t *testing.T, s *Store) string {
	t.Helper()
	var seizures, goods, texts, audit, changeSeq, auditSeq int64
	err := s.r.QueryRowContext(t.Context(), `SELECT (SELECT count(*) FROM seizures), (SELECT count(*) FROM seizure_goods),
		(SELECT count(*) FROM seizure_fts), (SELECT count(*) FROM audit), change_seq, audit_seq FROM heads`).
		Scan(&seizures, &goods, &texts, &audit, &changeSeq, &auditSeq)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d seizures, %d goods lines, %d texts, %d audit entries, heads %d/%d", seizures, goods, texts, audit, changeSeq, auditSeq)
}

func TestCreateSeizuresBulkConflict(t *testing.T) {
	// Batches span several multi-row inserts; a conflict in any of them
	// must name the right seizure and leave nothing of the batch.
	s := openInternal(t)
	stored := storetest.NewSeizures(0, 10, storetest.T0, time.Minute)
	if err := s.CreateSeizures(t.Context(), "test", stored, nil); err != nil {
		t.Fatal(err)
	}
	before := counts(t, s)
	cases := []struct {
		name string
		dup  func(batch []*crossguard.Seizure) string // makes a duplicate, returns its id
	}{
		{"stored id in a later chunk", func(b []*crossguard.Seizure) string {
			b[2*bulkRows+37].ID = stored[3].ID
			return stored[3].ID
		}},
		{"repeated id within the batch", func(b []*crossguard.Seizure) string {
			b[bulkRows+1].ID = b[5].ID
			return b[5].ID
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			batch := storetest.NewSeizures(100, 2*bulkRows+50, storetest.T0.Add(-time.Hour), time.Second)
			id := c.dup(batch)
			err := s.CreateSeizures(t.Context(), "test", batch, nil)
			want := fmt.Sprintf("seizure %s already exists", id)
			if crossguard.ErrorCode(err) != crossguard.ECONFLICT || crossguard.ErrorMessage(err) != want {
				t.Fatalf("CreateSeizures = %v, want conflict %q", err, want)
			}
			if got := counts(t, s); got != before {
				t.Fatalf("after a refused batch: %s, want %s", got, before)
			}
		})
	}
}

func TestCreateSeizuresBulkFTSKeyCollision(t *testing.T) {
	// A seizure in the middle of a large batch whose FTS key is taken gets
	// another one, and the whole batch is stored and searchable.
	s := openInternal(t)
	at := storetest.T0
	first := storetest.NewSeizure(1, at)
	if err := s.CreateSeizures(t.Context(), "test", []*crossguard.Seizure{first}, nil); err != nil {
		t.Fatal(err)
	}
	const n, collide = 2*bulkRows + 50, bulkRows + 17
	batch := storetest.NewSeizures(10, n, at.Add(-time.Hour), time.Second)
	batch[collide].OccurredAt = at.Add(time.Millisecond) // the second of first
	batch[collide].Narrative = first.Narrative
	// Item i of the batch gets change number change_seq+1+i: make that of
	// collide equal first's (1) modulo 2^keyLowBits.
	if _, err := s.w.ExecContext(t.Context(), `UPDATE heads SET change_seq = ?`, 1<<keyLowBits-collide); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSeizures(t.Context(), "test", batch, nil); err != nil {
		t.Fatalf("create with a colliding FTS key: %v", err)
	}
	var rows, keys int
	if err := s.r.QueryRowContext(t.Context(), `SELECT count(*), count(DISTINCT fts_key) FROM seizures`).Scan(&rows, &keys); err != nil {
		t.Fatal(err)
	}
	if rows != n+1 || keys != n+1 {
		t.Fatalf("%d seizures with %d FTS keys, want %d of each", rows, keys, n+1)
	}
	page, err := s.ListSeizures(t.Context(), crossguard.SeizureFilter{Query: first.Narrative, From: at, To: at.Add(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != batch[collide].ID || page.Items[1].ID != first.ID {
		t.Fatalf("search of the second found %d seizures, want %s and %s", len(page.Items), batch[collide].ID, first.ID)
	}
}
