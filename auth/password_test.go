package auth_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"crossguard"
	"crossguard/auth"
)

// cheap are parameters that keep tests fast; production uses DefaultParams.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestPasswordHashFormatAndVerify(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery", auth.DefaultParams, nil)
	if err != nil {
		t.Fatalf("HashPassword: %v", err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not in the PHC format with the default parameters", h)
	}
	for _, c := range []struct {
		name, password string
		want           bool
	}{
		{"right password matches", "correct horse battery", true},
		{"wrong password fails", "correct horse batterY", false},
		{"empty password fails", "", false},
		{"prefix fails", "correct horse", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, err := auth.VerifyPassword(h, c.password)
			if err != nil || ok != c.want {
				t.Fatalf("VerifyPassword = %v, %v; want %v", ok, err, c.want)
			}
		})
	}
	if auth.NeedsRehash(h, auth.DefaultParams) {
		t.Error("NeedsRehash with the parameters of the hash")
	}
	if !auth.NeedsRehash(h, auth.Params{Memory: 128 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}) {
		t.Error("no NeedsRehash with raised memory")
	}
}

func TestPasswordHashesAreSaltedAndKeepTheirParameters(t *testing.T) {
	a, _ := auth.HashPassword("same password here", cheap, nil)
	b, _ := auth.HashPassword("same password here", cheap, nil)
	if a == b {
		t.Fatal("two hashes of one password are equal: no random salt")
	}
	p, _, _, err := auth.DecodeHash(a)
	if err != nil || p != cheap {
		t.Fatalf("DecodeHash = %+v, %v; want %+v", p, err, cheap)
	}
	// A hash made with other parameters still verifies after the defaults change.
	if ok, err := auth.VerifyPassword(a, "same password here"); !ok || err != nil {
		t.Fatalf("VerifyPassword of a cheap hash = %v, %v", ok, err)
	}
}

func TestPasswordMalformedHashRefused(t *testing.T) {
	good, _ := auth.HashPassword("some password!!", cheap, nil)
	parts := strings.Split(good, "$")
	for _, c := range []struct{ name, hash string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuB3nJ3r5.f7rC1y9hzTfDc8u8qkUyq6e"},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"other version", strings.Replace(good, "v=19", "v=16", 1)},
		{"no parameters", strings.Join(append(parts[:3:3], parts[4:]...), "$")},
		{"huge memory", strings.Replace(good, "m=64,", "m=99999999,", 1)},
		{"zero time", strings.Replace(good, "t=1,", "t=0,", 1)},
		{"bad salt", strings.Replace(good, parts[4], "!!!", 1)},
		{"short key", strings.Replace(good, parts[5], "AAAA", 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ok, err := auth.VerifyPassword(c.hash, "some password!!")
			if ok || !errors.Is(err, auth.ErrMalformedHash) {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want ErrMalformedHash", c.hash, ok, err)
			}
		})
	}
}

func TestPasswordCheck(t *testing.T) {
	for _, c := range []struct {
		name, password, wantMsg string
	}{
		{"eleven characters refused", "abcdefghijk", "too short: it has 11 characters, it needs at least 12"},
		{"twelve characters accepted", "abcdefghijkl", ""},
		{"characters not bytes counted", "密码密码密码密码密码密", "too short: it has 11 characters"},
		{"twelve Urdu letters accepted", "پاسورڈپاسورڈپاسو", ""},
		{"spaces refused", strings.Repeat(" ", 12), "only spaces"},
		{"too long refused", strings.Repeat("a", auth.MaxPasswordLength+1), "too long"},
		{"invalid UTF-8 refused", "abcdefghijkl\xff", "not valid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := auth.CheckPassword(c.password)
			if c.wantMsg == "" {
				if err != nil {
					t.Fatalf("CheckPassword: %v", err)
				}
				return
			}
			if crossguard.ErrorCode(err) != crossguard.EINVALID || !strings.Contains(err.Error(), c.wantMsg) {
				t.Fatalf("CheckPassword = %v; want an invalid error containing %q", err, c.wantMsg)
			}
		})
	}
}
