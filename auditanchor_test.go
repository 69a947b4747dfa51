package crossguard_test

import (
	"errors"
	"strings"
	"testing"

	"crossguard"
)

// rechain re-hashes every entry of m from index i on, as an intruder does
// after changing the log, so that the chain alone verifies.
func rechain(m *memAudit, i int) {
	prevSeq, prevHash := int64(0), crossguard.GenesisHash
	if i > 0 {
		prevSeq, prevHash = m.entries[i-1].Seq, m.entries[i-1].Hash
	}
	for _, e := range m.entries[i:] {
		c := *e
		c.Chain(prevSeq, prevHash)
		*e = c
		prevSeq, prevHash = e.Seq, e.Hash
	}
	m.headSeq, m.headHash = prevSeq, prevHash
}

// headsOver returns heads of m's current entries cut at the given first
// entries (1-based), held by source.
func headsOver(m *memAudit, source string, firsts ...int64) []crossguard.AnchorHead {
	var out []crossguard.AnchorHead
	for i, f := range firsts {
		last := int64(len(m.entries))
		if i+1 < len(firsts) {
			last = firsts[i+1] - 1
		}
		h := crossguard.HeadsOf(m.entries[f-1 : last])[0]
		crossguard.StampHead(h, "0190b1e2-0000-7000-8000-00000000000"+string(rune('a'+i)), "pk-customs/sost", m.entries[last-1].At)
		out = append(out, crossguard.AnchorHead{Head: h, Source: source})
	}
	return out
}

func TestCheckAuditAnchors(t *testing.T) {
	tests := []struct {
		name    string
		firsts  []int64 // where the heads at hand begin
		tamper  func(m *memAudit)
		brokeAt int64
		reason  string
	}{
		{"intact", []int64{1, 5}, func(*memAudit) {}, 0, ""},
		{"edited and re-chained", []int64{1, 5}, func(m *memAudit) { m.entries[5].Actor = "mallory"; rechain(m, 5) }, 6, "hash begins"},
		{"deleted and re-chained", []int64{1, 5}, func(m *memAudit) { m.entries = append(m.entries[:2], m.entries[3:]...); rechain(m, 2) }, 3, "hash begins"},
		{"deleted without renumbering", []int64{1, 5}, func(m *memAudit) { m.entries = append(m.entries[:6], m.entries[7:]...) }, 7, "no longer has it"},
		{"tail cut and head rewritten", []int64{1, 5}, func(m *memAudit) { m.entries = m.entries[:8]; rechain(m, 8) }, 9, "log ends at entry 8"},
		{"entries after the last head are not anchored", []int64{1}, func(m *memAudit) {}, 0, ""},
		{"a gap before the heads at hand", []int64{5}, func(m *memAudit) { m.entries[1].Actor = "mallory"; rechain(m, 1) }, 5, "may begin earlier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newChain(t, 10)
			heads := headsOver(m, "cn-customs/kashgar", tc.firsts...)
			if tc.name == "entries after the last head are not anchored" {
				heads = headsOver(&memAudit{entries: m.entries[:4]}, "cn-customs/kashgar", 1)
			}
			if tc.name == "a gap before the heads at hand" {
				heads = heads[len(heads)-1:]
			}
			tc.tamper(m)
			if _, err := crossguard.VerifyAudit(t.Context(), m); err != nil && !strings.Contains(tc.name, "renumbering") {
				t.Fatalf("the chain alone should verify after a re-chain: %v", err)
			}
			_, err := crossguard.CheckAuditAnchors(t.Context(), m, heads)
			var b *crossguard.AuditBreak
			switch {
			case tc.brokeAt == 0 && err != nil:
				t.Fatalf("CheckAuditAnchors: %v; want none", err)
			case tc.brokeAt != 0 && (!errors.As(err, &b) || b.Seq != tc.brokeAt || !strings.Contains(b.Reason, tc.reason)):
				t.Fatalf("CheckAuditAnchors: %v; want entry %d named (%q)", err, tc.brokeAt, tc.reason)
			}
		})
	}
}

func TestAuditHeadValidate(t *testing.T) {
	m := newChain(t, 3)
	good := crossguard.HeadsOf(m.entries)[0]
	crossguard.StampHead(good, "0190b1e2-0000-7000-8000-000000000001", "pk-customs/sost", m.entries[2].At)
	if err := good.Validate(); err != nil {
		t.Fatalf("a head of three entries: %v", err)
	}
	tests := []struct {
		name   string
		change func(h *crossguard.AuditHead)
		field  string
	}{
		{"range backwards", func(h *crossguard.AuditHead) { h.Seq = 0 }, "seq"},
		{"no first entry", func(h *crossguard.AuditHead) { h.FirstSeq = 0 }, "first_seq"},
		{"too many entries", func(h *crossguard.AuditHead) { h.Seq = crossguard.MaxHeadEntries + 1 }, "seq"},
		{"short hash", func(h *crossguard.AuditHead) { h.Hash = h.Hash[:10] }, "hash"},
		{"digest missing", func(h *crossguard.AuditHead) { h.Digests = h.Digests[16:] }, "digests"},
		{"last digest not the hash", func(h *crossguard.AuditHead) { h.Digests = h.Digests[:32] + strings.Repeat("0", 16) }, "digests"},
		{"uppercase", func(h *crossguard.AuditHead) { h.Digests = strings.ToUpper(h.Digests) }, "digests"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := *good
			tc.change(&h)
			err := h.Validate()
			if err == nil || !hasField(err, tc.field) {
				t.Fatalf("Validate: %v; want a %s error", err, tc.field)
			}
		})
	}
	if got := len(crossguard.HeadsOf(newChain(t, 2*crossguard.MaxHeadEntries+1).entries)); got != 3 {
		t.Fatalf("HeadsOf %d entries = %d heads; want 3", 2*crossguard.MaxHeadEntries+1, got)
	}
}

// hasField reports whether err is a validation error on field.
func hasField(err error, field string) bool {
	for _, f := range crossguard.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
