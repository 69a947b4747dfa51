package httpapi

import (
	"net/http"
	"time"

	"crossguard"
)

// watchInput is a new watch-list entry.
type watchInput struct {
	Identifier crossguard.Identifier `json:"identifier"`
	Channel    string                `json:"channel"`
	Reason     string                `json:"reason"`
	ExpiresAt  time.Time             `json:"expires_at"`
}

// addWatch puts an identifier on the watch list.
func (s *Server) addWatch(w http.ResponseWriter, r *http.Request) error {
	var in watchInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Targeting.AddWatch(r.Context(), actorOf(r.Context()), &crossguard.WatchEntry{
		Identifier: in.Identifier, Channel: in.Channel, Reason: in.Reason, ExpiresAt: in.ExpiresAt})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/watchlist/"+out.ID)
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// listWatch answers the entries in force.
func (s *Server) listWatch(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	out, err := s.Targeting.Watchlist(r.Context())
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
	return nil
}

// removeWatch ends an entry now.
func (s *Server) removeWatch(w http.ResponseWriter, r *http.Request) error {
	if err := s.Targeting.RemoveWatch(r.Context(), actorOf(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
