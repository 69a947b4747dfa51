package node_test

import (
	"context"
	"testing"

	"crossguard"
	"crossguard/storetest"
)

func TestSeizureVersions(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	own, err := n.CreateSeizure(ctx, "amina", body(1))
	if err != nil {
		t.Fatal(err)
	}
	change := body(1)
	change.Narrative = "Found in the roof lining."
	if _, err := n.UpdateSeizure(ctx, "amina", own.ID, 1, change); err != nil {
		t.Fatal(err)
	}
	foreign := storetest.NewSeizure(2, now)
	foreign.Origin = "cn-customs/kashgar"
	if err := n.Store.CreateSeizures(ctx, "sync", []*crossguard.Seizure{foreign}, nil); err != nil {
		t.Fatal(err)
	}

	t.Run("own history is not audited", func(t *testing.T) {
		before := auditCount(t, n, crossguard.ActionSeizureRead)
		vs, err := n.SeizureVersions(ctx, "amina", own.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 || vs[0].Received || vs[1].Received {
			t.Fatalf("versions of an own seizure = %+v, want versions 1 and 2 written here", vs)
		}
		if got := auditCount(t, n, crossguard.ActionSeizureRead); got != before {
			t.Fatalf("reading an own seizure's history made %d read entries, want none", got-before)
		}
	})
	t.Run("a partner's history is audited as a read", func(t *testing.T) {
		before := auditCount(t, n, crossguard.ActionSeizureRead)
		vs, err := n.SeizureVersions(ctx, "amina", foreign.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 || !vs[0].Received {
			t.Fatalf("versions of a partner's seizure = %+v, want one received", vs)
		}
		if got := auditCount(t, n, crossguard.ActionSeizureRead); got != before+1 {
			t.Fatalf("reading a partner's history made %d read entries, want 1", got-before)
		}
	})
	t.Run("a partner's record with its history is one audited read", func(t *testing.T) {
		before := auditCount(t, n, crossguard.ActionSeizureRead)
		s, vs, err := n.SeizureWithVersions(ctx, "amina", foreign.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != foreign.ID || len(vs) != 1 || vs[0].Version != s.Version {
			t.Fatalf("seizure %s with versions %+v, want %s with its one version", s.ID, vs, foreign.ID)
		}
		if got := auditCount(t, n, crossguard.ActionSeizureRead); got != before+1 {
			t.Fatalf("reading a partner's seizure with its history made %d read entries, want 1", got-before)
		}
	})
	t.Run("a deleted seizure is not found", func(t *testing.T) {
		if err := n.DeleteSeizure(ctx, "amina", own.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := n.SeizureVersions(ctx, "amina", own.ID); crossguard.ErrorCode(err) != crossguard.ENOTFOUND {
			t.Fatalf("history of a deleted seizure: %v, want ENOTFOUND", err)
		}
	})
}
