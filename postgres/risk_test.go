package postgres_test

import (
	"testing"
	"time"

	"crossguard"
)

// TestOneActiveModel checks that the schema itself refuses a second
// active model, whatever statement tries.
func TestOneActiveModel(t *testing.T) {
	schema := newSchema(t)
	s := openTest(t, schema)
	for v := 1; v <= 2; v++ {
		if err := s.SaveModel(t.Context(), "trainer", &crossguard.ModelInfo{CreatedAt: time.Unix(int64(v), 0)}, []byte("m")); err != nil {
			t.Fatalf("SaveModel: %v", err)
		}
	}
	if err := s.ActivateModel(t.Context(), "analyst", 1, time.Unix(10, 0)); err != nil {
		t.Fatalf("ActivateModel: %v", err)
	}
	conn := rawConn(t, schema)
	if _, err := conn.Exec(t.Context(), `UPDATE models SET active = true WHERE version = 2`); err == nil {
		t.Fatal("a second model was made active")
	}
}
