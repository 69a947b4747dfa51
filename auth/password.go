package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"crossguard"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id parameters of a password hash. They are stored
// with every hash, so raising them later leaves old hashes verifiable.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes of random salt
	KeyLen  uint32 // bytes of derived key
}

// DefaultParams are the parameters of new hashes: 64 MiB, three passes,
// two lanes, a 16-byte salt and a 32-byte key (RFC 9106's second
// recommended option, with two lanes for a small server).
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Password length limits, in characters. The maximum bounds the work an
// anonymous client can ask of the server.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 1024
)

// ErrMalformedHash is returned for a stored hash that is not an argon2id
// hash in the PHC string format.
var ErrMalformedHash = errors.New("malformed argon2id password hash")

// CheckPassword returns an EINVALID error saying why password is not
// acceptable as a new password, or nil.
func CheckPassword(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return crossguard.Errorf(crossguard.EINVALID, "the password is not valid UTF-8 text")
	case n < MinPasswordLength:
		return crossguard.Errorf(crossguard.EINVALID, "the password is too short: it has %d characters, it needs at least %d", n, MinPasswordLength)
	case n > MaxPasswordLength:
		return crossguard.Errorf(crossguard.EINVALID, "the password is too long: it has %d characters, it may have at most %d", n, MaxPasswordLength)
	case strings.TrimSpace(password) == "":
		return crossguard.Errorf(crossguard.EINVALID, "the password is only spaces")
	}
	return nil
}

// HashPassword returns the argon2id hash of password with parameters p and
// a salt read from random (crypto/rand if nil), in the PHC string format
// $argon2id$v=19$m=65536,t=3,p=2$SALT$HASH (unpadded standard base64).
func HashPassword(password string, p Params, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	salt := make([]byte, p.SaltLen)
	if _, err := io.ReadFull(random, salt); err != nil {
		return "", fmt.Errorf("hash password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the encoded hash,
// comparing the derived keys in constant time. It fails with an error
// wrapping ErrMalformedHash for a hash it cannot read.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, key, err := DecodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether the encoded hash was made with parameters
// other than p (or cannot be read), so that a sign-in may store a new hash.
func NeedsRehash(encoded string, p Params) bool {
	got, _, _, err := DecodeHash(encoded)
	return err != nil || got != p
}

// Bounds on the parameters of a stored hash, so that a corrupt or hostile
// hash cannot make verification exhaust the server.
const (
	maxMemory = 1 << 22 // KiB: 4 GiB
	maxTime   = 64
)

// DecodeHash reads an argon2id hash in the PHC string format and returns
// its parameters, salt and key.
func DecodeHash(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not $argon2id$v=..$m=..,t=..,p=..$salt$hash", ErrMalformedHash)
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version %q, want v=%d", ErrMalformedHash, parts[2], argon2.Version)
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil {
		return p, nil, nil, fmt.Errorf("%w: parameters %q: %v", ErrMalformedHash, parts[3], err)
	}
	if p.Memory < 8 || p.Memory > maxMemory || p.Time < 1 || p.Time > maxTime || threads < 1 || threads > 255 || p.Memory < 8*threads {
		return p, nil, nil, fmt.Errorf("%w: parameters %q out of range", ErrMalformedHash, parts[3])
	}
	p.Threads = uint8(threads)
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrMalformedHash)
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 1024 {
		return p, nil, nil, fmt.Errorf("%w: key", ErrMalformedHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
