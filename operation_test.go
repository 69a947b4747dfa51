package crossguard_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"crossguard"
)

var opNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// stampedOperation returns a valid operation of pk-customs/sost as its
// node stamps it.
func stampedOperation(participants ...string) *crossguard.Operation {
	op := &crossguard.Operation{Header: crossguard.Header{ID: "0193f1a2-0000-7000-8000-000000000001", Origin: "pk-customs/sost",
		Version: 1, CreatedAt: opNow, UpdatedAt: opNow, Marking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Name: "Winter Route", Participants: participants, StartsAt: opNow, EndsAt: opNow.AddDate(0, 1, 0)}
	op.Normalize()
	return op
}

// check runs the registered check of v's kind on v's JSON with header h.
func check(t *testing.T, h crossguard.Header, v any) (string, error) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := crossguard.LookupRecordKind(h.Kind)
	if !ok {
		t.Fatalf("kind %s not registered", h.Kind)
	}
	return k.Check(b, &h)
}

func TestOperationKindsCheckReceivedRecords(t *testing.T) {
	op := stampedOperation("pk-customs", "af-customs", "af-customs")
	if !slices.Equal(op.Participants, []string{"af-customs", "pk-customs"}) || !slices.Equal(op.Recipients, op.Participants) {
		t.Fatalf("normalized participants %v, recipients %v", op.Participants, op.Recipients)
	}
	if _, err := check(t, op.Header, op); err != nil {
		t.Fatalf("valid operation refused: %v", err)
	}

	w := &crossguard.Warning{Header: crossguard.Header{ID: "0193f1a2-0000-7000-8000-000000000002", Origin: "pk-customs/sost", Version: 1,
		CreatedAt: opNow, UpdatedAt: opNow, Marking: op.Marking, Recipients: op.Participants},
		Operation: op.ID, Identifiers: []crossguard.Identifier{{Type: "vehicle_plate", Value: "LEA-4471"}}, ExpectedCrossing: "Sost",
		Window: crossguard.WarningWindow{From: opNow, To: opNow.Add(time.Hour)}, Reason: "tip-off", SuggestedChannel: crossguard.ChannelYellow}
	w.Normalize()
	if target, err := check(t, w.Header, w); err != nil || target != op.ID {
		t.Fatalf("valid warning: target %q, %v", target, err)
	}
	if err := crossguard.CheckWarningAgainst(w, op); err != nil {
		t.Fatalf("warning against its operation: %v", err)
	}

	f := &crossguard.Feedback{Header: crossguard.Header{ID: "0193f1a2-0000-7000-8000-000000000003", Origin: "af-customs/islam-qala", Version: 1,
		CreatedAt: opNow, UpdatedAt: opNow, Marking: op.Marking, Recipients: op.Participants},
		Warning: w.ID, Operation: op.ID, Result: crossguard.FeedbackNotInspected, NotInspectedReason: "scanner out of order"}
	f.Normalize()
	if target, err := check(t, f.Header, f); err != nil || target != w.ID {
		t.Fatalf("valid feedback: target %q, %v", target, err)
	}
	m := &crossguard.Message{Header: crossguard.Header{ID: "0193f1a2-0000-7000-8000-000000000004", Origin: "af-customs/islam-qala", Version: 1,
		CreatedAt: opNow, UpdatedAt: opNow, Marking: op.Marking, Recipients: op.Participants}, Operation: op.ID, Text: "ready"}
	m.Normalize()
	if target, err := check(t, m.Header, m); err != nil || target != op.ID {
		t.Fatalf("valid message: target %q, %v", target, err)
	}

	tests := []struct {
		name string
		h    crossguard.Header
		v    any
		want string
	}{
		{"operation sent beyond its participants", func() crossguard.Header {
			h := op.Header
			h.Recipients = []string{"af-customs", "ir-customs", "pk-customs"}
			return h
		}(), func() any { o := *op; o.Recipients = []string{"af-customs", "ir-customs", "pk-customs"}; return &o }(), "recipients"},
		{"operation without its creator", func() crossguard.Header { h := op.Header; h.Origin = "ir-customs/taftan"; return h }(),
			func() any { o := *op; o.Origin = "ir-customs/taftan"; return &o }(), "participants"},
		{"header differs from body", func() crossguard.Header { h := op.Header; h.Version = 2; return h }(), op, "header differs"},
		{"warning of partners distribution", func() crossguard.Header { h := w.Header; h.Distribution = crossguard.DistPartners; return h }(),
			func() any { c := *w; c.Distribution = crossguard.DistPartners; return &c }(), "distribution"},
		{"feedback seized with reason", f.Header, func() any { c := *f; c.Result = crossguard.FeedbackSeized; return &c }(), "not_inspected_reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := check(t, tt.h, tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("check = %v, want an error about %s", err, tt.want)
			}
		})
	}
}

// TestOperationRecordsReachOnlyParticipants checks the sharing policy on
// an operation's records over random participant sets: a peer node
// receives them exactly when its agency takes part.
func TestOperationRecordsReachOnlyParticipants(t *testing.T) {
	agencies := []string{"af-customs", "cn-customs", "ir-customs", "kg-customs", "pk-customs", "tj-customs"}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 200 {
		parts := []string{"pk-customs"}
		for _, a := range agencies {
			if rng.IntN(2) == 0 {
				parts = append(parts, a)
			}
		}
		op := stampedOperation(parts...)
		if err := op.Validate(); err != nil {
			t.Fatalf("operation of %v: %v", parts, err)
		}
		for _, tlp := range []string{crossguard.TLPGreen, crossguard.TLPAmber, crossguard.TLPRed} {
			op.Marking.TLP = tlp
			for _, holder := range []string{"pk-customs/sost", parts[len(parts)-1] + "/hq"} {
				for _, a := range agencies {
					p := &crossguard.Peer{Card: crossguard.NodeCard{ID: a + "/node", Agency: a}, Relationship: crossguard.RelPartner,
						Kinds: crossguard.ShareableKinds, MaxTLP: crossguard.TLPRed}
					ok, why := crossguard.MayShare(holder, p, &op.Header)
					if want := slices.Contains(op.Participants, a) && p.Card.ID != holder; ok != want {
						t.Fatalf("TLP %s, participants %v, holder %s: share with %s = %v (%s), want %v", tlp, op.Participants, holder, a, ok, why, want)
					}
				}
			}
		}
	}
}
