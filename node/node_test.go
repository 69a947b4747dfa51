package node_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"crossguard"
	"crossguard/internal/testnode"
	"crossguard/sqlite"
	"crossguard/storetest"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// mustNode returns a node over a fresh SQLite database.
func mustNode(t *testing.T) *testnode.Node {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "n.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	info := crossguard.NodeInfo{ID: "pk-customs/sost", Agency: "pk-customs", Node: "sost", Country: "PK", Name: "Sost", PublicKey: "a2V5", CreatedAt: now}
	if err := st.InitNode(ctx, &info); err != nil {
		t.Fatal(err)
	}
	n := testnode.New(info, st, nil)
	n.Clock = crossguard.FixedClock(now)
	return n
}

// body returns a valid seizure as a client sends it, without a header.
func body(i int) *crossguard.Seizure {
	s := storetest.NewSeizure(i, now.Add(-time.Hour))
	s.Header = crossguard.Header{Distribution: s.Distribution, Recipients: s.Recipients, Marking: s.Marking}
	return s
}

// auditCount returns how many entries of action the log holds.
func auditCount(t *testing.T, n *testnode.Node, action string) int {
	t.Helper()
	page, err := n.Store.ListAudit(context.Background(), crossguard.AuditFilter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func TestCreateStampsRecord(t *testing.T) {
	n := mustNode(t)
	s := storetest.NewSeizure(1, now.Add(-time.Hour))
	s.ID, s.Origin, s.Version = "client-chosen", "cn-customs/kashgar", 42
	got, err := n.CreateSeizure(context.Background(), "amina", s)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == "client-chosen" || got.Origin != "pk-customs/sost" || got.Version != 1 || !got.CreatedAt.Equal(now) {
		t.Fatalf("stamped header = %+v", got.Header)
	}
}

func TestOnlyTheOriginWrites(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	foreign := storetest.NewSeizure(2, now.Add(-time.Hour))
	foreign.Origin = "cn-customs/kashgar"
	if err := n.Store.CreateSeizures(ctx, "sync", []*crossguard.Seizure{foreign}, nil); err != nil {
		t.Fatal(err)
	}
	change := body(3)
	if _, err := n.UpdateSeizure(ctx, "amina", foreign.ID, foreign.Version, change); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("update of a partner's record: %v", err)
	}
	if err := n.DeleteSeizure(ctx, "amina", foreign.ID, 0); crossguard.ErrorCode(err) != crossguard.EFORBIDDEN {
		t.Fatalf("delete of a partner's record: %v", err)
	}
	before := auditCount(t, n, crossguard.ActionSeizureRead)
	if _, err := n.Seizure(ctx, "amina", foreign.ID); err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, n, crossguard.ActionSeizureRead); got != before+1 {
		t.Fatalf("reading a partner's record made %d read entries, want 1", got-before)
	}
}

func TestUpdateRules(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	s, err := n.CreateSeizure(ctx, "amina", body(4))
	if err != nil {
		t.Fatal(err)
	}
	own := n.Info.ID
	tests := []struct {
		name      string
		id        string
		ifVersion int64
		body      func() *crossguard.Seizure
		code      string
	}{
		{"stale version", s.ID, 7, func() *crossguard.Seizure { return body(4) }, crossguard.EPRECONDITIONFAILED},
		{"id in body differs", s.ID, 1, func() *crossguard.Seizure {
			b := body(4)
			b.ID = "other"
			return b
		}, crossguard.EINVALID},
		{"unknown record", "nope", 1, func() *crossguard.Seizure { return body(4) }, crossguard.ENOTFOUND},
		{"invalid body", s.ID, 1, func() *crossguard.Seizure {
			b := body(4)
			b.Country = "XX"
			return b
		}, crossguard.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := n.UpdateSeizure(ctx, "amina", tc.id, tc.ifVersion, tc.body()); crossguard.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
		})
	}
	got, err := n.UpdateSeizure(ctx, "amina", s.ID, 1, body(5))
	if err != nil || got.Version != 2 || got.Origin != own || !got.CreatedAt.Equal(s.CreatedAt) {
		t.Fatalf("update = %+v, %v", got, err)
	}
}

func TestAuthenticate(t *testing.T) {
	n := mustNode(t)
	ctx := context.Background()
	token, err := n.AddUser(ctx, "cli:root", "amina", crossguard.RoleOfficer)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := n.Authenticate(ctx, token, "127.0.0.1"); err != nil || u.Name != "amina" {
		t.Fatalf("Authenticate = %v, %v", u, err)
	}
	for _, bad := range []string{"", "cg_nope", token + "x"} {
		if _, err := n.Authenticate(ctx, bad, "127.0.0.1"); crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED {
			t.Fatalf("Authenticate(%q) = %v", bad, err)
		}
	}
	if got := auditCount(t, n, crossguard.ActionLoginFailure); got != 3 {
		t.Fatalf("%d login failures audited, want 3", got)
	}
	if err := n.RevokeUser(ctx, "cli:root", "amina"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Authenticate(ctx, token, "127.0.0.1"); crossguard.ErrorCode(err) != crossguard.EUNAUTHORIZED {
		t.Fatalf("revoked token accepted: %v", err)
	}
	if _, err := n.AddUser(ctx, "cli:root", "bad name", crossguard.RoleOfficer); crossguard.ErrorCode(err) != crossguard.EINVALID {
		t.Fatalf("bad user name: %v", err)
	}
}
