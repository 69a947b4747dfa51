package fedtls

import (
	"context"
	"encoding/json"
	"net/http"
)

// peerKey is the context key under which RequirePeer stores the peer id.
type peerKey struct{}

// RequirePeer passes to next only requests from a connection whose peer
// key known recognises now, with the peer's id in the request context for
// PeerID. It asks known at every request, not only at the handshake, so a
// peer removed while its connection stays open is refused at once. Others
// get 401 (no client certificate) or 403 (a key no longer known) with a
// JSON body {"error": code, "message": text}.
func RequirePeer(known Known, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pub, err := PeerKey(r.TLS)
		if err != nil {
			refuse(w, http.StatusUnauthorized, "unauthorized", "a node certificate is required: "+err.Error())
			return
		}
		id, ok := known(pub)
		if !ok {
			refuse(w, http.StatusForbidden, "forbidden", "node key "+Fingerprint(pub)+" is not a peer of this node")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), peerKey{}, id)))
	})
}

// PeerID returns the id of the peer RequirePeer authenticated for r.
func PeerID(r *http.Request) (string, bool) {
	id, ok := r.Context().Value(peerKey{}).(string)
	return id, ok
}

// refuse writes an error answer in the shape of the federation handler's.
func refuse(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]string{"error": code, "message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
