package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard"
	"crossguard/datadir"
)

// TestNodeRotateKey rotates a node's key from the command line: the new
// card is printed, the data directory and the database hold the new key,
// the old one is kept as retired, and the rotation is audited.
func TestNodeRotateKey(t *testing.T) {
	a, _, cardA, _ := newPeerCLIs(t)
	var before, after crossguard.NodeCard
	b, _ := os.ReadFile(cardA)
	if err := json.Unmarshal(b, &before); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.run("", "node", "rotate-key", "--grace", "10s"); err == nil {
		t.Fatal("rotate-key accepted a grace period too short for peers to pull the handover")
	}
	out, errOut, err := a.run("", "node", "rotate-key", "--grace", "24h")
	if err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, errOut)
	}
	if err := json.Unmarshal([]byte(out), &after); err != nil {
		t.Fatalf("rotate-key did not print a card: %v\n%s", err, out)
	}
	if after.ID != before.ID || after.PublicKey == before.PublicKey || !strings.Contains(errOut, "handover") {
		t.Fatalf("card after rotation = %+v (before %+v); stderr %q", after, before, errOut)
	}
	if card := a.must("node", "card"); !strings.Contains(card, after.PublicKey) {
		t.Fatalf("node card after rotation = %s, want key %s", card, after.PublicKey)
	}
	dir, err := datadir.Open(a.data)
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Retired) != 1 || dir.Next != nil || dir.Info.PublicKey != after.PublicKey {
		t.Fatalf("data directory after rotation: %d retired keys, pending %v, key %s", len(dir.Retired), dir.Next != nil, dir.Info.PublicKey)
	}
	if _, err := os.Stat(filepath.Join(a.data, datadir.NextKeyFile)); err == nil {
		t.Fatal("the pending key file is still there")
	}
	audit := a.must("audit", "list", "--action", crossguard.ActionKeyRotate)
	if !strings.Contains(audit, crossguard.ActionKeyRotate) {
		t.Fatalf("audit list shows no key rotation:\n%s", audit)
	}
	if out := a.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("audit verify after rotation: %s", out)
	}
}

// TestAuditHeadsVerifyAcrossAKeyRotation checks that the heads a node
// signed before it rotated its key still anchor its log afterwards: the
// retired key verifies them, up to the handover.
func TestAuditHeadsVerifyAcrossAKeyRotation(t *testing.T) {
	a, _, _, _ := newPeerCLIs(t)
	a.must("user", "add", "amina", "--role", "officer")
	dir := t.TempDir()
	before := filepath.Join(dir, "before.json")
	head := a.must("audit", "head")
	if !strings.Contains(head, `"signed"`) {
		t.Fatalf("audit head before the rotation printed no head:\n%s", head)
	}
	if err := os.WriteFile(before, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := a.run("", "node", "rotate-key", "--grace", "24h"); err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, errOut)
	}
	after := filepath.Join(dir, "after.json")
	if err := os.WriteFile(after, []byte(a.must("audit", "head")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := a.run("", "audit", "verify", "--head", before, "--head", after)
	if err != nil || strings.Contains(out, "BAD HEAD") || !strings.Contains(out, "OK") {
		t.Fatalf("audit verify with heads from before and after the rotation: %v\n%s", err, out)
	}

}
