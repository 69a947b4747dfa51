package node_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/node"
	"crossguard/storetest"
)

// partner is the node whose agreements and reports these tests receive.
const partner = "af-customs/islam-qala"

// agreementInput returns an agreement between pk-customs and af-customs as
// a client sends it: no header but the scope's default marking.
func agreementInput() *crossguard.Agreement {
	return &crossguard.Agreement{
		Title: "Counter-narcotics and anti-smuggling cooperation", Parties: []string{"pk-customs", "af-customs"}, SignedOn: "2026-06-01",
		Scope: crossguard.AgreementScope{Kinds: []string{"seizure"}, DefaultMarking: crossguard.Marking{TLP: crossguard.TLPAmber, Handling: "H1"}},
		Commitments: []crossguard.Commitment{
			{ID: "ex-1", Type: crossguard.CommitmentExercise, Title: "Joint exercise", Owner: "pk-customs", Due: "2026-11-30"},
			{ID: "tr-1", Type: crossguard.CommitmentTraining, Title: "Training at the academy", Owner: "af-customs", Due: "2027-03-31"},
		},
	}
}

// mustReceiveRecord stores v (a record with header h, about target) as
// received from partner.
func mustReceiveRecord(t *testing.T, n *testnode.Node, cursor int64, h crossguard.Header, target string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(b)
	in := &crossguard.Incoming{Header: h, Target: target, Path: []string{partner},
		Signed: crossguard.SignedRecord{Record: b, Signature: base64.StdEncoding.EncodeToString(sum[:])}}
	res, err := n.Store.ApplyPage(context.Background(), &crossguard.InboundPage{Peer: partner, Records: []*crossguard.Incoming{in}, Cursor: cursor, RemoteHead: cursor, At: now})
	if err != nil || res.Applied != 1 {
		t.Fatalf("receive %s: %+v, %v", h.Kind, res, err)
	}
}

// statusOf returns the merged status of commitment id.
func statusOf(v *node.AgreementView, id string) string {
	for _, c := range v.Commitments {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func TestAgreementLife(t *testing.T) {
	ctx := context.Background()
	n := mustNode(t)
	in := agreementInput()
	in.ID, in.Origin = "client-chosen", "cn-customs/kashgar"
	v, err := n.CreateAgreement(ctx, "amina", in)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID == "client-chosen" || v.Origin != n.Info.ID || v.Version != 1 || v.Distribution != crossguard.DistNetwork ||
		len(v.Recipients) != 2 || v.Marking.TLP != crossguard.TLPAmber || v.Today != "2026-11-26" {
		t.Fatalf("created agreement %+v", v.Agreement)
	}
	if statusOf(v, "ex-1") != crossguard.StatusPlanned || statusOf(v, "tr-1") != crossguard.StatusPlanned || v.Overdue != 0 {
		t.Fatalf("statuses of a new agreement: %+v", v.Commitments)
	}

	t.Run("progress on an own commitment", func(t *testing.T) {
		p, err := n.ReportProgress(ctx, "amina", v.ID, &crossguard.Progress{Commitment: "ex-1", Status: crossguard.StatusInProgress, Note: "dates agreed"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Agreement != v.ID || p.Origin != n.Info.ID || !p.ReportedAt.Equal(now) || len(p.Recipients) != 2 || p.Marking != v.Marking {
			t.Fatalf("report %+v", p)
		}
		got, err := n.Agreement(ctx, "amina", v.ID)
		if err != nil || statusOf(got, "ex-1") != crossguard.StatusInProgress {
			t.Fatalf("after the report: %+v, %v", got, err)
		}
	})
	t.Run("progress on a partner's commitment", func(t *testing.T) {
		_, err := n.ReportProgress(ctx, "amina", v.ID, &crossguard.Progress{Commitment: "tr-1", Status: crossguard.StatusDone})
		if crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
			t.Fatalf("report on af-customs' commitment: %v", err)
		}
	})
	t.Run("progress on an unknown commitment", func(t *testing.T) {
		_, err := n.ReportProgress(ctx, "amina", v.ID, &crossguard.Progress{Commitment: "zz-1", Status: crossguard.StatusDone})
		if crossguard.ErrorCode(err) != crossguard.EINVALID {
			t.Fatalf("report on an unknown commitment: %v", err)
		}
	})
	t.Run("update under the version read", func(t *testing.T) {
		up := agreementInput()
		up.Commitments[0].Due = "2026-11-20"
		if _, err := n.UpdateAgreement(ctx, "amina", v.ID, 2, up); crossguard.ErrorCode(err) != crossguard.EPRECONDITIONFAILED {
			t.Fatalf("update of a stale version: %v", err)
		}
		got, err := n.UpdateAgreement(ctx, "amina", v.ID, 1, agreementInput())
		if err != nil || got.Version != 2 || !got.CreatedAt.Equal(v.CreatedAt) {
			t.Fatalf("update: %+v, %v", got, err)
		}
	})
	t.Run("overdue once past due", func(t *testing.T) {
		n.Clock = crossguard.FixedClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
		defer func() { n.Clock = crossguard.FixedClock(now) }()
		got, err := n.Agreement(ctx, "amina", v.ID)
		if err != nil || got.Commitments[0].ID != "ex-1" || got.Commitments[0].Status != crossguard.StatusOverdue || got.Overdue != 1 {
			t.Fatalf("after the due date: %+v, %v", got, err)
		}
	})
}

func TestReceivedAgreement(t *testing.T) {
	ctx := context.Background()
	n := mustNode(t)
	if _, err := n.PutPeer(ctx, "test", storetest.NewPeer(partner, crossguard.RelPartner, now)); err != nil {
		t.Fatal(err)
	}
	a := agreementInput()
	a.Header = crossguard.Header{ID: "0193a6f4-5b1e-7c4e-9a51-3f0b6c1d2e3f", Kind: crossguard.KindAgreement, Origin: partner, Version: 1,
		CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour), Distribution: crossguard.DistNetwork,
		Recipients: a.Parties, Marking: a.Scope.DefaultMarking}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	mustReceiveRecord(t, n, 1, a.Header, "", a)
	reads := auditCount(t, n, crossguard.ActionRecordRead)
	v, err := n.Agreement(ctx, "amina", a.ID)
	if err != nil || v.Origin != partner || len(v.Commitments) != 2 {
		t.Fatalf("received agreement: %+v, %v", v, err)
	}
	if got := auditCount(t, n, crossguard.ActionRecordRead); got != reads+1 {
		t.Fatalf("%d read entries after reading a partner's agreement, want %d", got, reads+1)
	}
	if _, err := n.UpdateAgreement(ctx, "amina", a.ID, 1, agreementInput()); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("update of a partner's agreement: %v", err)
	}
	if _, err := n.ReportProgress(ctx, "amina", a.ID, &crossguard.Progress{Commitment: "ex-1", Status: crossguard.StatusDone}); err != nil {
		t.Fatalf("report on an own commitment of a partner's agreement: %v", err)
	}
	// The partner reports on its own commitment and, wrongly, on ours.
	at := now.Add(time.Hour)
	for i, c := range []string{"tr-1", "ex-1"} {
		p := &crossguard.Progress{Header: crossguard.Header{ID: storetest.SeizureID(90+i, at), Kind: crossguard.KindProgress, Origin: partner, Version: 1,
			CreatedAt: at, UpdatedAt: at, Distribution: crossguard.DistNetwork, Recipients: a.Parties, Marking: a.Marking},
			Agreement: a.ID, Commitment: c, Status: crossguard.StatusCancelled, ReportedAt: at}
		mustReceiveRecord(t, n, int64(2+i), p.Header, a.ID, p)
	}
	v, err = n.Agreement(ctx, "amina", a.ID)
	if err != nil || statusOf(v, "tr-1") != crossguard.StatusCancelled || statusOf(v, "ex-1") != crossguard.StatusDone {
		t.Fatalf("statuses after the partner's reports: %+v, %v", v.Commitments, err)
	}
	list, err := n.Agreements(ctx, "amina")
	if err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("agreements: %+v, %v", list, err)
	}
}
