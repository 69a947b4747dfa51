package federation

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"crossguard"
)

// Paths of the federation listener.
const (
	ChangesPath = "/federation/v1/changes"
	CardPath    = "/federation/v1/card"
)

// MaxWait bounds the long-poll wait a peer may ask for.
const MaxWait = 30 * time.Second

// Handler serves the federation endpoints to authenticated peers. PeerOf
// returns the id of the peer the TLS handshake authenticated.
type Handler struct {
	Feed   *Feed
	Card   crossguard.NodeCard
	PeerOf func(r *http.Request) (string, bool)
	Logger *slog.Logger
}

// ServeHTTP routes a peer's request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.serve(w, r); err != nil {
		code := crossguard.ErrorCode(err)
		status := map[string]int{crossguard.EINVALID: 400, crossguard.EUNAUTHORIZED: 401, crossguard.EFORBIDDEN: 403, crossguard.ENOTFOUND: 404, crossguard.ECONFLICT: 409}[code]
		if status == 0 {
			status = http.StatusInternalServerError
			h.Logger.Error("federation request failed", "path", r.URL.Path, "err", err)
		}
		writeJSON(w, status, map[string]string{"error": code, "message": crossguard.ErrorMessage(err)})
	}
}

// serve answers one request or returns the error to answer with.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request) error {
	id, ok := h.PeerOf(r)
	if !ok {
		return crossguard.Errorf(crossguard.EUNAUTHORIZED, "no authenticated peer")
	}
	if r.Method != http.MethodGet {
		return crossguard.Errorf(crossguard.EINVALID, "method %s not allowed", r.Method)
	}
	switch r.URL.Path {
	case CardPath:
		writeJSON(w, http.StatusOK, h.Card)
		return nil
	case ChangesPath, AuditHeadsPath:
	default:
		return crossguard.Errorf(crossguard.ENOTFOUND, "no federation endpoint %s", r.URL.Path)
	}
	if r.URL.Path == AuditHeadsPath {
		peer, err := ServedPeer(r.Context(), h.Feed.Store, h.Card.ID, id)
		if err != nil {
			return err
		}
		return h.serveAuditHeads(w, r, peer)
	}
	req, err := parsePageRequest(r)
	if err != nil {
		return err
	}
	page, err := h.Feed.Page(r.Context(), id, req)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(page)
	if err != nil && !errors.Is(err, http.ErrHandlerTimeout) {
		h.Logger.Debug("write page", "peer", id, "err", err)
	}
	return nil
}

// parsePageRequest reads after, limit, max_bytes and wait.
func parsePageRequest(r *http.Request) (PageRequest, error) {
	q := r.URL.Query()
	var req PageRequest
	var err error
	num := func(name string) int64 {
		s := q.Get(name)
		if s == "" || err != nil {
			return 0
		}
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n < 0 {
			err = crossguard.Errorf(crossguard.EINVALID, "%s=%q is not a non-negative integer", name, s)
		}
		return n
	}
	req.After = num("after")
	req.Ack = req.After
	if q.Get("ack") != "" {
		req.Ack = num("ack")
	}
	req.Holds = q.Get("key")
	req.Items = int(min(num("limit"), MaxPageItems))
	req.Bytes = int(min(num("max_bytes"), MaxPageBytes))
	if s := q.Get("wait"); s != "" && err == nil {
		d, perr := time.ParseDuration(s)
		if perr != nil || d < 0 {
			return req, crossguard.Errorf(crossguard.EINVALID, "wait=%q is not a duration such as 25s", s)
		}
		req.Wait = min(d, MaxWait)
	}
	return req, err
}

// writeJSON writes v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = fmt.Appendf(nil, `{"error":"internal","message":%q}`, err.Error())
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
