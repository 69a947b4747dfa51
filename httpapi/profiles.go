package httpapi

import (
	"encoding/json"
	"net/http"

	"crossguard"
)

func profilePath(id string) string { return "/api/v1/profiles/" + id }

// createProfile stores a new profile of this node, active at once, and
// answers 201 with it, its state and its statistics.
func (s *Server) createProfile(w http.ResponseWriter, r *http.Request) error {
	var in crossguard.Profile
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Targeting.CreateProfile(r.Context(), actorOf(r.Context()), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", profilePath(out.ID))
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusCreated, profileAnswer{out, out.Warnings()})
	return nil
}

// listProfiles answers every profile, own and received, with its state
// and statistics.
func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	out, err := s.Targeting.Profiles(r.Context(), actorOf(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
	return nil
}

// getProfile answers one profile with its version as ETag.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Targeting.Profile(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// profileInput is the body of PUT /api/v1/profiles/{id}: a profile, or
// a profile as GET answers it, whose local state and statistics are
// accepted and ignored (the state changes only by adopt and disable).
type profileInput struct {
	crossguard.Profile
	State json.RawMessage `json:"state"`
	Stats json.RawMessage `json:"stats"`
}

// updateProfile replaces a profile of this node; If-Match is required.
func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) error {
	version, err := requireIfMatch(r)
	if err != nil {
		return err
	}
	var in profileInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Targeting.UpdateProfile(r.Context(), actorOf(r.Context()), r.PathValue("id"), version, &in.Profile)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, profileAnswer{out, out.Warnings()})
	return nil
}

// deleteProfile deletes a profile of this node; peers get the tombstone.
func (s *Server) deleteProfile(w http.ResponseWriter, r *http.Request) error {
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.Targeting.DeleteProfile(r.Context(), actorOf(r.Context()), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// profileState returns a handler setting a profile's local state: adopt
// (active), disable or deactivate.
func (s *Server) profileState(state string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		out, err := s.Targeting.SetProfileState(r.Context(), actorOf(r.Context()), r.PathValue("id"), state)
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, out)
		return nil
	}
}
