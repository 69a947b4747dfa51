package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crossguard"
)

// TestRotateKeyWhileServing rotates the key of a node whose server runs,
// from another process: the running server signs with the new key and
// presents the certificate its peer pins, the peer accepts the handover
// without a refusal or an error, keeps its cursor and receives what the
// node records afterwards.
func TestRotateKeyWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two nodes as processes")
	}
	origin := newCrashNode(t, "pk-customs", "sost", "PK")
	receiver := newCrashNode(t, "cn-customs", "tashkurgan", "CN")
	dir := t.TempDir()
	for _, pair := range [][2]*crashNode{{origin, receiver}, {receiver, origin}} {
		card := filepath.Join(dir, strings.ReplaceAll(pair[1].id, "/", "_")+".card.json")
		if err := os.WriteFile(card, []byte(pair[1].must("node", "card")), 0o600); err != nil {
			t.Fatal(err)
		}
		pair[0].must("peer", "add", card, "--relationship", "partner", "--kinds", "seizure", "--max-tlp", "red")
	}
	origin.must("import", "seizures", crashCSV(t, 5, 1))
	originCmd, receiverCmd := origin.startReady(), receiver.startReady()
	// caughtUp waits until the receiver has applied the origin's feed up
	// to its head.
	caughtUp := func() crossguard.Peer {
		t.Helper()
		head := origin.head(t.Context())
		var p crossguard.Peer
		for range 600 {
			if p = receiver.peer(origin.id); p.Status.Cursor >= head {
				return p
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("the receiver is at %d of the origin's feed, want %d; its status: %+v\norigin log:\n%s\nreceiver log:\n%s",
			p.Status.Cursor, head, p.Status, origin.logTail(), receiver.logTail())
		return p
	}
	before := caughtUp()

	card := origin.must("node", "rotate-key", "--grace", "1h")
	if !strings.Contains(card, origin.id) || strings.Contains(card, before.Card.PublicKey) {
		t.Fatalf("rotate-key printed %s, want the card with a new key", card)
	}
	origin.must("import", "seizures", crashCSV(t, 3, 2))
	// The handover and the new seizures the receiver may have, and
	// nothing again of what it held.
	after := caughtUp()
	got := after.Status.Received - before.Status.Received
	if got < 2 || got > 4 || after.Status.Refused != 0 || after.Status.LastError != "" || after.Status.Cursor <= before.Status.Cursor {
		t.Fatalf("the receiver's status after the rotation: %+v (before %+v)", after.Status, before.Status)
	}
	if !strings.Contains(card, after.Card.PublicKey) || len(after.RetiredKeys) != 1 || after.RetiredKeys[0].PublicKey != before.Card.PublicKey {
		t.Fatalf("the receiver holds key %s with history %+v; want the new key and the old one retired", after.Card.PublicKey, after.RetiredKeys)
	}
	origin.stop(originCmd)
	receiver.stop(receiverCmd)
	if out := receiver.must("audit", "list", "--action", crossguard.ActionKeyHandover); !strings.Contains(out, crossguard.ActionKeyHandover) {
		t.Fatalf("the receiver's audit shows no key handover:\n%s", out)
	}
}
