package fedtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"time"

	"crossguard"
	"crossguard/federation"
)

// keyRing returns the node's keys: its key, and those RotateKey retired.
func (n *Node) keyRing() *federation.KeyRing {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ring == nil {
		return &federation.KeyRing{Current: n.Key}
	}
	return n.ring
}

// RotateKey rotates the node's key as crossguard node rotate-key does: a
// new key, a handover recorded in the store (node.Sharing.RotateKey) and the old
// key kept as retired, with a grace period of grace on federation links.
// The running service signs and presents certificates with the new ring at
// once. It returns the handover.
func (n *Node) RotateKey(grace time.Duration) *crossguard.KeyHandover {
	n.t.Helper()
	_, next, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		n.t.Fatal(err)
	}
	old := n.keyRing()
	k, err := n.Node.RotateKey(n.t.Context(), "test", old.Current, next, grace)
	if err != nil {
		n.t.Fatalf("%s: rotate key: %v", n.ID(), err)
	}
	ring := &federation.KeyRing{Current: next, Retired: append([]federation.RetiredSigner{{Key: old.Current,
		RetiredAt: k.UpdatedAt, GraceUntil: k.GraceUntil}}, old.Retired...)}
	n.mu.Lock()
	n.ring = ring
	n.Key = next
	n.mu.Unlock()
	return k
}
