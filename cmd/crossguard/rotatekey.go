package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"crossguard"
	"crossguard/datadir"
	"crossguard/federation"
)

// defaultKeyGrace is how long a rotated node keeps presenting its old key
// on federation links by default.
const defaultKeyGrace = 7 * 24 * time.Hour

// runNodeRotateKey replaces the node's key by a key handover.
func runNodeRotateKey(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "node rotate-key", "node rotate-key [flags]", `
Replaces this node's Ed25519 key with a new one. It writes a key handover
(this node, the old and the new public key, the time and the end of the
grace period) signed by the old key and by the new one, which the change
feed carries to every peer whatever its sharing policy, and which peers
relay to the nodes that know this one only as an origin. A peer accepts it
only if the old key is the key it holds for this node; it then holds the
new key, keeps the old one in this node's key history and loses no cursor.

The old key moves to retired-keys.pem in the data directory. Records signed
before the rotation stay verifiable with it; a version made after the
rotation is signed with the new key only. During the grace period (--grace)
the node still presents its old key's certificate on federation links to
peers that have not yet applied the handover, so that they can pull it;
after it, only the new key works there. A peer that was offline for the
whole grace period must be given the new card by hand.

It prints the new node card (JSON). A running crossguard serve picks the
new key up within a second; restart it to show the new card in its API.
See docs/federation.md, "Key rotation".

Examples:
  crossguard node rotate-key --data /var/lib/crossguard > sost.card.json
  crossguard node rotate-key --grace 72h`)
	c.register(fs, env)
	grace := fs.Duration("grace", defaultKeyGrace, "how long peers may still meet the old key on federation links (at least 1m)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return helpOK(err)
	}
	if *grace < time.Minute {
		return fmt.Errorf("--grace: %s is too short for peers to pull the handover; give at least 1m (default %s)", *grace, defaultKeyGrace)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		_, next, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return fmt.Errorf("generate the new key: %w", err)
		}
		if err := o.Dir.BeginRotation(next); err != nil {
			return err
		}
		k, err := o.Node.Sharing.RotateKey(ctx, cliActor(env), o.Dir.Key, next, *grace)
		if err != nil {
			os.Remove(filepath.Join(o.Dir.Path, datadir.NextKeyFile))
			return fmt.Errorf("rotate the node key: %w", err)
		}
		if err := o.Dir.FinishRotation(k.UpdatedAt, k.GraceUntil); err != nil {
			return fmt.Errorf("the database holds the new key but the data directory does not yet (run any crossguard command to finish): %w", err)
		}
		fmt.Fprintf(env.Stderr, "key rotated: handover %s; the old key stays in use on federation links until %s\n",
			k.ID, k.GraceUntil.Format(time.RFC3339))
		return writeJSON(env.Stdout, o.Node.Sharing.Card())
	})
}

// finishRotation completes a key rotation that stopped after the database
// recorded the handover but before the data directory took the new key:
// the database holds the pending key's public key.
func finishRotation(ctx context.Context, dir *datadir.Dir, store crossguard.KeyStore, dbKey string) error {
	if dir.Next == nil || base64.StdEncoding.EncodeToString(dir.Next.Public().(ed25519.PublicKey)) != dbKey {
		return nil
	}
	retired, err := store.RetiredKeys(ctx)
	if err != nil {
		return err
	}
	for _, r := range retired[dir.Info.ID] {
		if r.PublicKey == dir.Info.PublicKey {
			return dir.FinishRotation(r.RetiredAt, r.GraceUntil)
		}
	}
	return nil
}

// keyRing returns the node's keys as the federation signs with them,
// rereading the data directory at most once a second so that a rotation
// run by another process takes effect while the node serves.
func keyRing(dir *datadir.Dir) func() *federation.KeyRing {
	var mu sync.Mutex
	ring := ringOf(dir)
	var checked time.Time
	var stamp string
	stampOf := func() string {
		var s string
		for _, name := range []string{datadir.KeyFile, datadir.RetiredKeysFile} {
			if fi, err := os.Stat(filepath.Join(dir.Path, name)); err == nil {
				s += fmt.Sprintf("%s:%d:%d;", name, fi.ModTime().UnixNano(), fi.Size())
			}
		}
		return s
	}
	stamp = stampOf()
	return func() *federation.KeyRing {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(checked) < time.Second {
			return ring
		}
		checked = time.Now()
		if s := stampOf(); s != stamp {
			if d, err := datadir.Open(dir.Path); err == nil {
				ring, stamp = ringOf(d), s
			}
		}
		return ring
	}
}

// ringOf returns the keys of a data directory as a key ring.
func ringOf(d *datadir.Dir) *federation.KeyRing {
	r := &federation.KeyRing{Current: d.Key}
	for i := len(d.Retired) - 1; i >= 0; i-- {
		k := d.Retired[i]
		r.Retired = append(r.Retired, federation.RetiredSigner{Key: k.Key, RetiredAt: k.RetiredAt, GraceUntil: k.GraceUntil})
	}
	return r
}
