package fedtls

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequirePeerRefusesPlainRequest(t *testing.T) {
	known := newKnownSet()
	calls := 0
	h := RequirePeer(known.known, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://node/federation/v1/card", nil))
	if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), `"error":"unauthorized"`) {
		t.Errorf("got %d %s, want 401 unauthorized", w.Code, w.Body)
	}
	if calls != 0 {
		t.Errorf("handler ran %d times, want 0", calls)
	}
}

func TestPeerIDWithoutRequirePeer(t *testing.T) {
	if id, ok := PeerID(httptest.NewRequest(http.MethodGet, "/", nil)); ok {
		t.Errorf("PeerID = %q, true; want no peer", id)
	}
}
