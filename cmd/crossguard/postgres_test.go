package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crossguard"
	"crossguard/internal/testenv"
	"crossguard/storetest"
	"github.com/jackc/pgx/v5"
)

// postgresURL returns a URL of a fresh schema of the test PostgreSQL
// database, dropped when the test ends.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := testenv.PostgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cg_cli_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", testenv.PostgresEnv, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err == nil {
			c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

func TestCLIOnPostgres(t *testing.T) {
	url := postgresURL(t)
	c := newCLI(t)
	c.must("init", "--agency", "pk-customs", "--node", "hq", "--country", "PK", "--name", "Pakistan Customs HQ", "--db", url)
	// The URL given at init is remembered: later commands need only --data.
	token := lastLine(c.must("user", "add", "amina", "--role", "analyst"))
	if !strings.HasPrefix(token, "cg_") {
		t.Fatalf("token %q", token)
	}
	file := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(file, []byte(storetest.ExampleSeizureJSON), 0o644)
	c.must("seizure", "add", file)
	var page crossguard.SeizurePage
	if err := json.Unmarshal([]byte(c.must("seizure", "list", "--json", "--q", "trailer floor")), &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("list on PostgreSQL: %d items, %v", len(page.Items), err)
	}
	if page.Items[0].Origin != "pk-customs/hq" {
		t.Fatalf("origin %q", page.Items[0].Origin)
	}
	if out := c.must("audit", "verify"); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("verify: %s", out)
	}
	if out := c.must("migrate"); !strings.Contains(out, "Applied 0 migration(s)") {
		t.Fatalf("migrate on a current schema: %s", out)
	}
	// A second data directory cannot claim the same database.
	other := newCLI(t)
	_, _, err := other.run("", "init", "--agency", "cn-customs", "--node", "kashgar", "--country", "CN", "--name", "Kashgar", "--db", url)
	if err == nil || !strings.Contains(err.Error(), "already belongs to node pk-customs/hq") {
		t.Fatalf("second init on the same database: %v", err)
	}
}

// TestPeersCLIOnPostgres runs node card and the peer commands against a
// PostgreSQL node, with a SQLite node as the peer.
func TestPeersCLIOnPostgres(t *testing.T) {
	url := postgresURL(t)
	hq, post := newCLI(t), newCLI(t)
	post.data = filepath.Join(t.TempDir(), "post")
	hq.must("init", "--agency", "pk-customs", "--node", "hq", "--country", "PK", "--name", "HQ", "--db", url, "--federation-url", "https://127.0.0.1:18450")
	post.must("init", "--agency", "pk-customs", "--node", "sost", "--country", "PK", "--name", "Sost")
	card := filepath.Join(t.TempDir(), "sost.json")
	os.WriteFile(card, []byte(post.must("node", "card")), 0o644)
	var hqCard crossguard.NodeCard
	if err := json.Unmarshal([]byte(hq.must("node", "card")), &hqCard); err != nil || hqCard.URL != "https://127.0.0.1:18450" {
		t.Fatalf("hq card %+v (%v)", hqCard, err)
	}
	hq.must("peer", "add", card, "--relationship", "agency", "--kinds", "seizure,annotation", "--max-tlp", "red")
	var peers []*crossguard.Peer
	if err := json.Unmarshal([]byte(hq.must("peer", "list", "--json")), &peers); err != nil || len(peers) != 1 || peers[0].Card.ID != "pk-customs/sost" {
		t.Fatalf("peer list on PostgreSQL: %+v (%v)", peers, err)
	}
	hq.must("peer", "add", card, "--relationship", "agency", "--kinds", "seizure", "--max-tlp", "amber")
	json.Unmarshal([]byte(hq.must("peer", "list", "--json")), &peers)
	if len(peers) != 1 || peers[0].MaxTLP != "amber" {
		t.Fatalf("after a policy change: %+v", peers)
	}
	hq.must("peer", "remove", "pk-customs/sost")
	if out := hq.must("peer", "list"); !strings.Contains(out, "No peers") {
		t.Fatalf("after remove: %q", out)
	}
}
