package datadir

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Files of a key rotation (crossguard node rotate-key).
const (
	// RetiredKeysFile holds the private keys the node retired, each a PEM
	// block (PKCS #8) with Retired-At and Grace-Until headers, oldest
	// first, mode 0600. They sign the versions made before their handover
	// and, during the grace period, the node's federation certificate.
	RetiredKeysFile = "retired-keys.pem"
	// NextKeyFile holds the new key while a rotation is under way; it
	// replaces node.key when the rotation is finished.
	NextKeyFile = "node.key.next"
)

// RetiredKey is a private key the node retired by a key handover.
type RetiredKey struct {
	Key        ed25519.PrivateKey
	RetiredAt  time.Time
	GraceUntil time.Time
}

// BeginRotation writes the new key next to node.key, before the database
// records the handover, so that a crash after that leaves the new key on
// disk for FinishRotation.
func (d *Dir) BeginRotation(next ed25519.PrivateKey) error {
	b, err := encodeKey(next, nil)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(d.Path, NextKeyFile), b, 0o600)
}

// FinishRotation makes the pending new key the node's key once the
// database has recorded the handover at retiredAt: the current key joins
// the retired keys, node.json takes the new public key, and the new key
// replaces node.key (by rename, last). Each step can be repeated, so that
// running it again after a crash completes the rotation.
func (d *Dir) FinishRotation(retiredAt, graceUntil time.Time) error {
	next, err := readKey(filepath.Join(d.Path, NextKeyFile))
	if err != nil {
		return fmt.Errorf("finish key rotation: %w", err)
	}
	old := d.Key
	if !old.Equal(next) {
		held := false
		for _, r := range d.Retired {
			held = held || r.Key.Equal(old)
		}
		if !held {
			retired := append(d.Retired, RetiredKey{Key: old, RetiredAt: retiredAt.UTC(), GraceUntil: graceUntil.UTC()})
			var buf bytes.Buffer
			for _, r := range retired {
				b, err := encodeKey(r.Key, map[string]string{"Retired-At": r.RetiredAt.Format(time.RFC3339Nano), "Grace-Until": r.GraceUntil.Format(time.RFC3339Nano)})
				if err != nil {
					return err
				}
				buf.Write(b)
			}
			if err := writeFile(filepath.Join(d.Path, RetiredKeysFile), buf.Bytes(), 0o600); err != nil {
				return err
			}
			d.Retired = retired
		}
	}
	d.Info.PublicKey = base64.StdEncoding.EncodeToString(next.Public().(ed25519.PublicKey))
	if err := writeJSON(filepath.Join(d.Path, NodeFile), d.Info, 0o644); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(d.Path, NextKeyFile), filepath.Join(d.Path, KeyFile)); err != nil {
		return fmt.Errorf("finish key rotation: %w", err)
	}
	d.Key, d.Next = next, nil
	return nil
}

// encodeKey returns a private key as a PEM block with headers.
func encodeKey(key ed25519.PrivateKey, headers map[string]string) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode node key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: headers, Bytes: der}), nil
}

// readKey reads one PEM private key file.
func readKey(path string) (ed25519.PrivateKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read node key: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	return parseKey(path, block)
}

// parseKey decodes an Ed25519 private key from a PEM block of path.
func parseKey(path string, block *pem.Block) (ed25519.PrivateKey, error) {
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse node key %s: %w", path, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s is not an Ed25519 key", path)
	}
	return key, nil
}

// readRetired reads the retired keys of the directory, if any.
func readRetired(dir string) ([]RetiredKey, error) {
	path := filepath.Join(dir, RetiredKeysFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("read retired keys: %w", err)
	}
	var out []RetiredKey
	for {
		var block *pem.Block
		block, raw = pem.Decode(raw)
		if block == nil {
			return out, nil
		}
		key, err := parseKey(path, block)
		if err != nil {
			return nil, err
		}
		r := RetiredKey{Key: key}
		if r.RetiredAt, err = time.Parse(time.RFC3339Nano, block.Headers["Retired-At"]); err != nil {
			return nil, fmt.Errorf("%s: Retired-At: %w", path, err)
		}
		if r.GraceUntil, err = time.Parse(time.RFC3339Nano, block.Headers["Grace-Until"]); err != nil {
			return nil, fmt.Errorf("%s: Grace-Until: %w", path, err)
		}
		out = append(out, r)
	}
}

// readNext reads the pending new key of a rotation under way, if any.
func readNext(dir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, NextKeyFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return readKey(path)
}
