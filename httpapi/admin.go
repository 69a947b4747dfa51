package httpapi

import (
	"net/http"

	"crossguard"
)

// nodeInfo answers the identity of this node.
func (s *Server) nodeInfo(w http.ResponseWriter, r *http.Request) error {
	s.writeJSON(w, r, http.StatusOK, s.Info)
	return nil
}

// listUsers answers every user of the node, revoked ones included, by
// name. Token hashes never leave the store.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.Users.Users(r.Context())
	if err != nil {
		return err
	}
	if users == nil {
		users = []*crossguard.User{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": users})
	return nil
}
