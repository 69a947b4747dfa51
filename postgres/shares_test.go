package postgres_test

import (
	"fmt"
	"strings"
	"testing"

	"crossguard"
	"crossguard/postgres"
	"crossguard/storetest"
)

// TestAckServedPlan checks that acknowledging a peer's cursor, at every
// pull, finds the peer's pending withdrawals through shares_withdrawn
// rather than reading every share of the peer, in the generic plan that a
// statement prepared once and run at every pull ends up with.
func TestAckServedPlan(t *testing.T) {
	t.Parallel()
	schema := newSchema(t)
	s := fedStore(t, schema)
	held := make([]crossguard.Share, 3000)
	for i := range held {
		held[i] = crossguard.Share{ID: fmt.Sprintf("r%05d", i), Version: 1}
	}
	if err := s.RecordServed(t.Context(), storetest.PeerA, 1, held, nil, storetest.T0); err != nil {
		t.Fatalf("RecordServed: %v", err)
	}
	withdrawn := []crossguard.Share{{ID: held[0].ID, Seq: 5}, {ID: held[1].ID, Seq: 9}}
	if err := s.RecordServed(t.Context(), storetest.PeerA, 1, nil, withdrawn, storetest.T0); err != nil {
		t.Fatalf("RecordServed: %v", err)
	}
	conn := rawConn(t, schema)
	for _, q := range []string{`ANALYZE shares`, `SET plan_cache_mode = force_generic_plan`, `PREPARE ack(text, bigint) AS ` + postgres.AckSQL} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rows, err := conn.Query(t.Context(), `EXPLAIN EXECUTE ack('`+storetest.PeerA+`', 7)`)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatalf("explain: %v", err)
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("explain: %v", err)
	}
	if !strings.Contains(plan.String(), "using shares_withdrawn") {
		t.Errorf("acknowledging does not read shares_withdrawn:\n%s", plan.String())
	}
	if err := s.AckServed(t.Context(), storetest.PeerA, 7); err != nil {
		t.Fatalf("AckServed: %v", err)
	}
	shared, err := s.SharedWith(t.Context(), storetest.PeerA, []string{held[0].ID, held[1].ID, held[2].ID})
	if err != nil {
		t.Fatalf("SharedWith: %v", err)
	}
	if len(shared) != 2 || shared[held[1].ID] != 0 || shared[held[2].ID] != 1 {
		t.Errorf("shared after acknowledging 7: %v, want %s pending and %s at version 1", shared, held[1].ID, held[2].ID)
	}
}
