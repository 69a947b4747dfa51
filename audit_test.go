package crossguard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"crossguard"
)

// memAudit is an in-memory audit chain for testing VerifyAudit itself; the
// stores' chains are tested by the storage conformance suite.
type memAudit struct {
	entries  []*crossguard.AuditEntry
	headSeq  int64
	headHash string
}

func (m *memAudit) AuditHead(context.Context) (int64, string, error) {
	if m.headSeq == 0 {
		return 0, crossguard.GenesisHash, nil
	}
	return m.headSeq, m.headHash, nil
}

func (m *memAudit) AppendAudit(_ context.Context, e *crossguard.AuditEntry) error {
	prevSeq, prevHash := int64(0), crossguard.GenesisHash
	if n := len(m.entries); n > 0 {
		prevSeq, prevHash = m.entries[n-1].Seq, m.entries[n-1].Hash
	}
	e.Chain(prevSeq, prevHash)
	m.entries = append(m.entries, e)
	m.headSeq, m.headHash = e.Seq, e.Hash
	return nil
}

func (m *memAudit) ListAudit(context.Context, crossguard.AuditFilter) (*crossguard.AuditPage, error) {
	return nil, errors.New("not used")
}

func (m *memAudit) WalkAudit(_ context.Context, fn func(*crossguard.AuditEntry) error) error {
	for _, e := range m.entries {
		c := *e
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func newChain(t *testing.T, n int) *memAudit {
	t.Helper()
	m := &memAudit{}
	for i := 0; i < n; i++ {
		e := &crossguard.AuditEntry{At: time.Unix(int64(i), 0), Actor: "amina", Action: crossguard.ActionSeizureCreate, RecordID: "r", Outcome: crossguard.OutcomeOK}
		if err := m.AppendAudit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestVerifyAudit(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func(m *memAudit)
		brokeAt int64
	}{
		{"intact", func(*memAudit) {}, 0},
		{"altered actor", func(m *memAudit) { m.entries[4].Actor = "mallory" }, 5},
		{"removed entry", func(m *memAudit) { m.entries = append(m.entries[:2], m.entries[3:]...) }, 4},
		{"rehashed entry breaks the next", func(m *memAudit) {
			m.entries[6].Detail = "x"
			m.entries[6].Hash = m.entries[6].ComputeHash()
		}, 8},
		{"truncated tail", func(m *memAudit) { m.entries = m.entries[:5] }, 6},
		{"truncated tail and head rewritten", func(m *memAudit) {
			m.entries = m.entries[:5]
			m.headSeq, m.headHash = 5, m.entries[4].Hash
		}, 0},
		{"last entry replaced", func(m *memAudit) {
			last := m.entries[9]
			last.Detail = "x"
			last.Hash = last.ComputeHash()
		}, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newChain(t, 10)
			tc.tamper(m)
			_, err := crossguard.VerifyAudit(context.Background(), m)
			var b *crossguard.AuditBreak
			switch {
			case tc.brokeAt == 0 && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.brokeAt != 0 && !errors.As(err, &b):
				t.Fatalf("err = %v, want an *AuditBreak", err)
			case tc.brokeAt != 0 && b.Seq != tc.brokeAt:
				t.Fatalf("broken at %d, want %d (%v)", b.Seq, tc.brokeAt, err)
			}
		})
	}
}
