package httpapi

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"crossguard"
)

// MaxModelBytes bounds an uploaded model file.
const MaxModelBytes = 64 << 20

// listModels answers every model version, newest first, with its
// evaluation and which one is active.
func (s *Server) listModels(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	out, err := s.Targeting.Models(r.Context())
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
	return nil
}

// trainModel trains a new version on the node's inspected declarations
// and answers it with its evaluation; it is not active until an analyst
// activates it. The optional seed parameter makes training repeatable.
func (s *Server) trainModel(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "seed")
	seed := q.int("seed")
	if err := q.err(); err != nil {
		return err
	}
	out, err := s.Targeting.TrainModel(r.Context(), actorOf(r.Context()), int64(seed))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// uploadModel stores a model file trained with crossguard train (the body,
// as application/octet-stream) as a new, inactive version, with the
// optional notes parameter.
func (s *Server) uploadModel(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "notes")
	notes := q.str("notes")
	if len(notes) > 2000 {
		q.addf("notes", "at most 2000 bytes")
	}
	if err := q.err(); err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxModelBytes))
	if err != nil {
		if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return crossguard.Errorf(crossguard.ETOOLARGE, "model file is larger than the limit of %d bytes", mbe.Limit)
		}
		return crossguard.Errorf(crossguard.EINVALID, "could not read the model file")
	}
	out, err := s.Targeting.ImportModel(r.Context(), actorOf(r.Context()), data, notes)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// activateModel makes a version the one decisions use.
func (s *Server) activateModel(w http.ResponseWriter, r *http.Request) error {
	v, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || v <= 0 {
		return crossguard.Errorf(crossguard.ENOTFOUND, "no model version %q: versions are 1, 2, ...", clip(r.PathValue("version"), 40))
	}
	out, err := s.Targeting.ActivateModel(r.Context(), actorOf(r.Context()), v)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
