package federation

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"crossguard"
)

// TestRecheck checks that a held version is rechecked as Open checks a
// received one, except that an origin no longer known does not refuse
// it: its content is still checked, and a known origin's signature still
// verified.
func TestRecheck(t *testing.T) {
	pub, key := newKey(t)
	const origin = "pk-customs/sost"
	s := testSeizure(t, origin)
	body, _ := json.Marshal(s)
	good, _ := Sign(key, body)
	bad, _ := Sign(key, []byte(strings.Replace(string(body), `"country"`, `"driver":{"name":"Ali Khan"},"country"`, 1)))
	forged := &crossguard.SignedRecord{Record: good.Record, Signature: bad.Signature}
	known, unknown := keysOf(origin, pub), keysOf("cn-customs/kashgar", pub)
	for _, c := range []struct {
		name   string
		sr     *crossguard.SignedRecord
		keys   Keys
		reason string // "" if it passes
	}{
		{"a good version", good, known, ""},
		{"a good version of an origin no longer known", good, unknown, ""},
		{"person data", bad, known, "malformed seizure: unknown field driver"},
		{"person data of an origin no longer known", bad, unknown, "malformed seizure: unknown field driver"},
		{"another signature", forged, known, "signed by a key that is not the origin's"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Recheck(c.sr, c.keys, nil)
			var r *Refused
			switch {
			case c.reason == "" && err != nil:
				t.Fatalf("Recheck: %v", err)
			case c.reason != "" && (!errors.As(err, &r) || !strings.Contains(r.Reason, c.reason)):
				t.Fatalf("Recheck: %v, want a refusal saying %q", err, c.reason)
			}
		})
	}
	if _, err := Open(good, unknown); err == nil {
		t.Fatal("Open accepted a version of an unknown origin")
	}
}
