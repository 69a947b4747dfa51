package httpapi

import (
	"net/http"

	"crossguard"
)

// seizurePath returns the URL path of a seizure, for Location headers.
func seizurePath(id string) string {
	return "/api/v1/seizures/" + id
}

// createSeizure stores a new seizure and answers 201 with the stored
// record (and its warnings, if any), its Location and its ETag. Server-managed fields in the body (id,
// kind, origin, version, created_at, updated_at) are accepted and replaced.
func (s *Server) createSeizure(w http.ResponseWriter, r *http.Request) error {
	var in crossguard.Seizure
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Seizures.CreateSeizure(r.Context(), actorOf(r.Context()), &in)
	if err != nil {
		return err
	}
	s.metrics.seizureWritten(opCreate)
	w.Header().Set("Location", seizurePath(out.ID))
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusCreated, seizureAnswer{out, out.Warnings()})
	return nil
}

// getSeizure answers a live seizure with its version as ETag.
func (s *Server) getSeizure(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Seizures.Seizure(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// updateSeizure replaces a seizure. If-Match must carry the version the
// client last read, so that nobody overwrites a change they have not seen.
func (s *Server) updateSeizure(w http.ResponseWriter, r *http.Request) error {
	version, err := requireIfMatch(r)
	if err != nil {
		return err
	}
	var in crossguard.Seizure
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Seizures.UpdateSeizure(r.Context(), actorOf(r.Context()), r.PathValue("id"), version, &in)
	if err != nil {
		return err
	}
	s.metrics.seizureWritten(opUpdate)
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, seizureAnswer{out, out.Warnings()})
	return nil
}

// deleteSeizure deletes a seizure, leaving a tombstone that federation
// passes on. If-Match is optional; when given, it must match.
func (s *Server) deleteSeizure(w http.ResponseWriter, r *http.Request) error {
	version, _, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.Seizures.DeleteSeizure(r.Context(), actorOf(r.Context()), r.PathValue("id"), version); err != nil {
		return err
	}
	s.metrics.seizureWritten(opDelete)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
