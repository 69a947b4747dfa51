package fedtls

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"

	"crossguard"
)

func TestFingerprint(t *testing.T) {
	// The SHA-256 of 32 zero bytes as
	// head -c 32 /dev/zero | openssl dgst -sha256 -binary | base64
	// prints it, without the padding.
	const want = "SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU"
	if got := Fingerprint(make(ed25519.PublicKey, 32)); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestParsePublicKey(t *testing.T) {
	pub, _ := MustKey(t)
	good := base64.StdEncoding.EncodeToString(pub)
	got, err := ParsePublicKey(good)
	if err != nil || !got.Equal(pub) {
		t.Fatalf("ParsePublicKey(%q) = %x, %v; want the key", good, got, err)
	}
	tests := []struct{ name, in, want string }{
		{"empty", "", "0 bytes"},
		{"not base64", "not a key!", "not base64"},
		{"unpadded", strings.TrimRight(good, "="), "not base64"},
		{"URL alphabet", base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xff}, 32)), "not base64"},
		{"31 bytes", base64.StdEncoding.EncodeToString(pub[:31]), "31 bytes"},
		{"private key", base64.StdEncoding.EncodeToString(make([]byte, 64)), "64 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePublicKey(tt.in)
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want an invalid error saying %q", err, tt.want)
			}
		})
	}
}
