package datadir_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"crossguard/datadir"
)

// newRotating returns a data directory with a rotation begun: the new key
// written next to node.key.
func newRotating(t *testing.T) (*datadir.Dir, ed25519.PrivateKey, ed25519.PrivateKey) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "node")
	info, old, err := datadir.NewIdentity("pk-customs", "sost", "PK", "Pakistan Customs, Sost", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Create(path, info, old, datadir.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	if err := d.BeginRotation(next); err != nil {
		t.Fatal(err)
	}
	return d, old, next
}

// TestRotationFinishes: the new key in use, the old one retired with its
// times, node.json updated, and nothing left pending.
func TestRotationFinishes(t *testing.T) {
	d, old, next := newRotating(t)
	at := time.Date(2026, 12, 7, 10, 0, 0, 123000, time.UTC)
	if err := d.FinishRotation(at, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := d.FinishRotation(at, at.Add(time.Hour)); err == nil {
		t.Fatal("a second FinishRotation found a rotation under way")
	}
	r, err := datadir.Open(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Key.Equal(next) || r.Next != nil || len(r.Retired) != 1 || !r.Retired[0].Key.Equal(old) ||
		!r.Retired[0].RetiredAt.Equal(at) || !r.Retired[0].GraceUntil.Equal(at.Add(time.Hour)) {
		t.Fatalf("after the rotation: key new %v, pending %v, retired %+v", r.Key.Equal(next), r.Next != nil, r.Retired)
	}
	if r.Info.PublicKey != base64.StdEncoding.EncodeToString(next.Public().(ed25519.PublicKey)) {
		t.Fatalf("node.json still has the old key")
	}
}

// A crash after node.json took the new key but before the new key
// replaced node.key: opening the directory finishes the rotation.
func TestRotationInterruptedAfterNodeFile(t *testing.T) {
	d, _, next := newRotating(t)
	info := d.Info
	info.PublicKey = base64.StdEncoding.EncodeToString(next.Public().(ed25519.PublicKey))
	b, _ := json.Marshal(info)
	if err := os.WriteFile(filepath.Join(d.Path, datadir.NodeFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := datadir.Open(d.Path)
	if err != nil {
		t.Fatalf("open after an interrupted rotation: %v", err)
	}
	if !r.Key.Equal(next) || r.Next != nil {
		t.Fatalf("the rotation was not finished on open")
	}
	if _, err := os.Stat(filepath.Join(d.Path, datadir.NextKeyFile)); !os.IsNotExist(err) {
		t.Fatalf("the pending key file is still there: %v", err)
	}
}

// A crash before the database recorded the handover leaves the old key in
// use and the pending key aside.
func TestRotationBegunOnly(t *testing.T) {
	d, old, next := newRotating(t)
	r, err := datadir.Open(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Key.Equal(old) || r.Next == nil || !r.Next.Equal(next) || len(r.Retired) != 0 {
		t.Fatalf("a begun rotation changed the key in use")
	}
}
