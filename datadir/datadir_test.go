package datadir_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard/datadir"
)

func TestCreateOpenRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "node")
	info, key, err := datadir.NewIdentity("pk-customs", "sost", "PK", "Pakistan Customs, Sost", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != "pk-customs/sost" {
		t.Fatalf("id = %q", info.ID)
	}
	if _, err := datadir.Create(dir, info, key, datadir.Config{DB: "postgres://x/y"}); err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Info != info || d.Config.DB != "postgres://x/y" || !d.Key.Equal(key) {
		t.Fatalf("reopened %+v %+v, want %+v", d.Info, d.Config, info)
	}
	st, err := os.Stat(filepath.Join(dir, datadir.KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", st.Mode(), err)
	}
}

func TestCreateRefusesExistingNode(t *testing.T) {
	dir := t.TempDir()
	info, key, _ := datadir.NewIdentity("pk-customs", "sost", "PK", "Sost", time.Now())
	if _, err := datadir.Create(dir, info, key, datadir.Config{}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, datadir.NodeFile))
	other, key2, _ := datadir.NewIdentity("cn-customs", "tashkurgan", "CN", "Tashkurgan", time.Now())
	if _, err := datadir.Create(dir, other, key2, datadir.Config{}); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("second create: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, datadir.NodeFile))
	if string(before) != string(after) {
		t.Fatal("second create changed node.json")
	}
}

func TestNewIdentityChecksInput(t *testing.T) {
	_, _, err := datadir.NewIdentity("PK Customs", "So st", "pk", "", time.Now())
	if err == nil {
		t.Fatal("bad identity accepted")
	}
	for _, want := range []string{"--agency", "--node", "--country", "--name"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestOpenRefusesMismatchedKey(t *testing.T) {
	dir := t.TempDir()
	info, key, _ := datadir.NewIdentity("pk-customs", "sost", "PK", "Sost", time.Now())
	if _, err := datadir.Create(dir, info, key, datadir.Config{}); err != nil {
		t.Fatal(err)
	}
	other, _, _ := datadir.NewIdentity("pk-customs", "sost", "PK", "Sost", time.Now())
	b, _ := os.ReadFile(filepath.Join(dir, datadir.NodeFile))
	b = []byte(strings.Replace(string(b), info.PublicKey, other.PublicKey, 1))
	if err := os.WriteFile(filepath.Join(dir, datadir.NodeFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := datadir.Open(dir); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("open with swapped key: %v", err)
	}
}

func TestOpenExplainsMissingDirectory(t *testing.T) {
	_, err := datadir.Open(filepath.Join(t.TempDir(), "nothing"))
	if err == nil || !strings.Contains(err.Error(), "crossguard init") {
		t.Fatalf("err = %v, want a hint to run crossguard init", err)
	}
}
