package fedtls

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"

	"crossguard"
)

// Fingerprint names a public key in errors and logs: "SHA256:" followed by
// the unpadded standard base64 of the SHA-256 of the raw 32-byte key.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// ParsePublicKey reads a node public key as node cards and node.json carry
// it: the standard base64 of the raw 32-byte Ed25519 key. The error is an
// EINVALID crossguard error whose message fits a form field.
func ParsePublicKey(b64 string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, crossguard.Errorf(crossguard.EINVALID, "not base64: the public key must be the standard base64 of a 32-byte Ed25519 key (44 characters ending in =)")
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, crossguard.Errorf(crossguard.EINVALID, "%d bytes: the public key must be the standard base64 of a %d-byte Ed25519 key", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
