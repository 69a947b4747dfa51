package node

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"crossguard"
)

// RotateKey replaces this node's key old with next by a key handover made
// now, whose grace period on federation links lasts grace, and records it
// (crossguard.KeyStore.RotateNodeKey): the handover then travels to every
// peer in the change feed. The caller keeps old as a retired key that
// signs the node's earlier versions and, during the grace period, its
// certificate (see federation.KeyRing).
func (sh *Sharing) RotateKey(ctx context.Context, actor string, old, next ed25519.PrivateKey, grace time.Duration) (*crossguard.KeyHandover, error) {
	if base64.StdEncoding.EncodeToString(old.Public().(ed25519.PublicKey)) != sh.Info.PublicKey {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the key to retire is not the node's current key")
	}
	if grace < 0 {
		return nil, crossguard.Errorf(crossguard.EINVALID, "the grace period cannot be negative")
	}
	// Microseconds: the precision every store keeps times at, so that the
	// handover's time compares the same everywhere.
	at := sh.Clock.Now().UTC().Truncate(time.Microsecond)
	k := crossguard.NewKeyHandover(sh.NewID(), sh.Info.ID, old, next, at, at.Add(grace))
	if err := k.Validate(); err != nil {
		return nil, err
	}
	body, err := json.Marshal(k)
	if err != nil {
		return nil, fmt.Errorf("encode key handover: %w", err)
	}
	if err := sh.store.RotateNodeKey(ctx, actor, k, body); err != nil {
		return nil, err
	}
	sh.Info.PublicKey = k.NewKey
	sh.Logger.Info("node key rotated", "handover", k.ID, "grace_until", k.GraceUntil)
	return k, nil
}
