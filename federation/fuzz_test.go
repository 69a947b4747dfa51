package federation

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"crossguard"
)

// FuzzOpen checks that no signed record makes the envelope decoder panic,
// that it refuses with a reason rather than failing otherwise, and that
// what it accepts is signed by the one key it knows.
func FuzzOpen(f *testing.F) {
	pub, key := newKey(f)
	const origin = "pk-customs/sost"
	s := testSeizure(f, origin)
	body, _ := json.Marshal(s)
	sr, _ := Sign(key, body)
	tomb, _ := TombstoneJSON(s.Header)
	tsr, _ := Sign(key, tomb)
	f.Add([]byte(sr.Record), sr.Signature)
	f.Add([]byte(tsr.Record), tsr.Signature)
	f.Add([]byte(`{"id":"0193f1f2-7b1c-7cc0-9a4e-3c1d2e4f5a6b","kind":"annotation","origin":"pk-customs/sost","version":1}`), sr.Signature)
	f.Add([]byte(`[1e400]`), "")
	// Person data in fields no record has, and keys that differ from a
	// field's only in case: refused (the corpus in testdata holds more).
	f.Add([]byte(strings.Replace(string(sr.Record), `"country"`, `"driver":{"name":"Ali Khan","passport":"AB1234567"},"country"`, 1)), "")
	f.Add([]byte(strings.Replace(string(sr.Record), `"unit"`, `"passport":"AB1234567","unit"`, 1)), "")
	f.Add([]byte(strings.Replace(string(sr.Record), `"occurred_at"`, `"Narrative":"the driver Ali Khan","occurred_at"`, 1)), "")
	f.Add([]byte(strings.Replace(string(tsr.Record), `"distribution"`, `"name":"Ali Khan","distribution"`, 1)), "")
	keys := keysOf(origin, pub)
	f.Fuzz(func(t *testing.T, record []byte, sig string) {
		// As given, then signed with the origin's key, so that the body's
		// decoding is reached whatever the signature.
		for _, s := range []string{sig, base64.StdEncoding.EncodeToString(ed25519.Sign(key, record))} {
			in, err := Open(&crossguard.SignedRecord{Record: record, Signature: s}, keys)
			if err != nil {
				var r *Refused
				if !errors.As(err, &r) || r.Reason == "" {
					t.Fatalf("error without a reason: %v", err)
				}
				continue
			}
			if in.Header.Origin != origin {
				t.Fatalf("accepted a record of origin %q", in.Header.Origin)
			}
			if !in.Deleted && in.Header.Kind == "seizure" && in.Seizure == nil {
				t.Fatal("accepted a live seizure without decoding it")
			}
			if bytes.Contains(bytes.ToLower(in.Signed.Record), []byte(`"driver":`)) || bytes.Contains(bytes.ToLower(in.Signed.Record), []byte(`"passport":`)) {
				t.Fatalf("accepted a record with a person's field: %s", in.Signed.Record)
			}
		}
	})
}
