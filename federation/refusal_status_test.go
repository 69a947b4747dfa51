package federation_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"crossguard"
)

// TestRefusalOutlivesCleanPulls checks, through real pulls from a hostile
// peer, that what was refused from it stays in its status after clean
// pages and idle pulls, while the last error clears, until an operator
// acknowledges it: a refused envelope, and a page refused whole.
func TestRefusalOutlivesCleanPulls(t *testing.T) {
	for _, c := range []struct {
		name, reason, class string
		serve               func(w *hostileWorld, t *testing.T)
	}{
		{"an envelope of an unknown origin", "origin kz-customs/ghost is not a known node", crossguard.RefusalUnknownOrigin,
			func(w *hostileWorld, t *testing.T) {
				_, key, err := ed25519.GenerateKey(rand.Reader)
				if err != nil {
					t.Fatal(err)
				}
				_, sr := craft(t, "kz-customs/ghost", key, nil)
				w.evil.serveItems(recordItem(sr))
			}},
		{"a page refused whole", "page refused: malformed page", crossguard.RefusalMalformed,
			func(w *hostileWorld, _ *testing.T) {
				w.evil.serveBytes(func(int64, int) []byte { return []byte("<html>hello</html>") })
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newHostileWorld(t, false)
			c.serve(w, t)
			w.pull(t) // refused whole or in part: the error, if any, is the refusal
			if st := w.evilStatus(t).Status; st.LastRefusal == nil || !strings.Contains(st.LastRefusal.Reason, c.reason) {
				t.Fatalf("after the refusal the status shows %+v, want %q", st.LastRefusal, c.reason)
			}
			// A clean page, then an idle pull.
			_, good := w.relayable(t)
			w.evil.serveItems(recordItem(good))
			if res, err := w.pull(t); err != nil || res.Applied != 1 {
				t.Fatalf("clean pull: %+v, %v", res, err)
			}
			w.evil.serveItems()
			if _, err := w.pull(t); err != nil {
				t.Fatalf("idle pull: %v", err)
			}
			st := w.evilStatus(t).Status
			if st.LastError != "" {
				t.Errorf("last error %q after clean pulls, want none", st.LastError)
			}
			r := st.LastRefusal
			if r == nil || !strings.Contains(r.Reason, c.reason) || r.Class != c.class || r.Unacknowledged != 1 {
				t.Fatalf("after clean pulls the last refusal is %+v, want %q (%s), 1 unacknowledged", r, c.reason, c.class)
			}
			if st.RefusedByClass.Of(c.class) != 1 || st.Refused != 1 {
				t.Errorf("refused %d, by class %+v; want 1 of %s", st.Refused, st.RefusedByClass, c.class)
			}
			acked, err := w.victim.Node.AckPeerRefusals(t.Context(), "admin", w.evil.id)
			if err != nil || acked == nil || acked.Reason != r.Reason {
				t.Fatalf("AckPeerRefusals = %+v, %v; want the refusal", acked, err)
			}
			if st := w.evilStatus(t).Status; st.LastRefusal != nil {
				t.Fatalf("the refusal outlived its acknowledgement: %+v", st.LastRefusal)
			}
		})
	}
}
