package canonjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzCanonicalize checks, for every input Canonicalize accepts, that the
// output is valid JSON, that it is already canonical, and that it decodes to
// the same value as the input.
func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte(`{"b":[1,2.5,-0,1e21],"a":"\u2028<>&","\u00e9":null}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Canonicalize(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("Canonicalize(%q) = %q, not valid JSON", in, out)
		}
		again, err := Canonicalize(out)
		if err != nil {
			t.Fatalf("Canonicalize(%q) of its own output: %v", out, err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("Canonicalize not idempotent:\n in %q\nout %q\nagain %q", in, out, again)
		}
		var want, got any
		if err := json.Unmarshal(in, &want); err != nil {
			t.Fatalf("Canonicalize accepted %q but json.Unmarshal fails: %v", in, err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("json.Unmarshal(%q): %v", out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("value changed:\n in %q → %#v\nout %q → %#v", in, want, out, got)
		}
	})
}
