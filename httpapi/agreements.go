package httpapi

import (
	"encoding/json"
	"net/http"

	"crossguard"
)

func agreementPath(id string) string { return "/api/v1/agreements/" + id }

// createAgreement stores a new agreement written by this node and answers
// 201 with it and its commitments' statuses. It goes to the parties alone.
func (s *Server) createAgreement(w http.ResponseWriter, r *http.Request) error {
	var in crossguard.Agreement
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Cooperation.CreateAgreement(r.Context(), actorOf(r.Context()), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", agreementPath(out.ID))
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// listAgreements answers every agreement this node holds, own and
// received, with its commitments' statuses.
func (s *Server) listAgreements(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	out, err := s.Cooperation.Agreements(r.Context(), actorOf(r.Context()))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
	return nil
}

// getAgreement answers one agreement with its commitments and their
// merged status, overdue first, and its version as ETag.
func (s *Server) getAgreement(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Cooperation.Agreement(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// commitmentInput is a commitment in the body of PUT
// /api/v1/agreements/{id}, possibly as GET answers it: the merged status
// fields are accepted and ignored (statuses change by progress reports).
type commitmentInput struct {
	crossguard.Commitment
	Status     json.RawMessage `json:"status"`
	Reported   json.RawMessage `json:"reported_status"`
	ReportedAt json.RawMessage `json:"reported_at"`
	Note       json.RawMessage `json:"note"`
	ProgressID json.RawMessage `json:"progress_id"`
	Reports    json.RawMessage `json:"reports"`
}

// agreementInput is the body of PUT /api/v1/agreements/{id}: an
// agreement, or an agreement as GET answers it.
type agreementInput struct {
	crossguard.Agreement
	Commitments []commitmentInput `json:"commitments"`
	Today       json.RawMessage   `json:"today"`
	Overdue     json.RawMessage   `json:"overdue"`
}

// updateAgreement replaces an agreement of this node; If-Match is
// required.
func (s *Server) updateAgreement(w http.ResponseWriter, r *http.Request) error {
	version, err := requireIfMatch(r)
	if err != nil {
		return err
	}
	var in agreementInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	a := in.Agreement
	a.Commitments = make([]crossguard.Commitment, len(in.Commitments))
	for i, c := range in.Commitments {
		a.Commitments[i] = c.Commitment
	}
	out, err := s.Cooperation.UpdateAgreement(r.Context(), actorOf(r.Context()), r.PathValue("id"), version, &a)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(out.Version))
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// progressInput is the body of POST /api/v1/agreements/{id}/progress.
type progressInput struct {
	Commitment string             `json:"commitment"`
	Status     string             `json:"status"`
	Note       string             `json:"note"`
	Marking    crossguard.Marking `json:"marking"`
}

// reportProgress records this node's report on a commitment its agency
// owns and answers 201 with the report.
func (s *Server) reportProgress(w http.ResponseWriter, r *http.Request) error {
	var in progressInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := &crossguard.Progress{Header: crossguard.Header{Marking: in.Marking}, Commitment: in.Commitment, Status: in.Status, Note: in.Note}
	out, err := s.Cooperation.ReportProgress(r.Context(), actorOf(r.Context()), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", agreementPath(out.Agreement))
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}
