package httpapi

import (
	"net/http"

	"crossguard"
)

func warningPath(id string) string { return "/api/v1/warnings/" + id }

// warningInput is the body of POST /api/v1/operations/{id}/warnings. The
// node sets the header but the marking (the operation's when left out),
// the operation, and the recipients: To, or every participant.
type warningInput struct {
	Identifiers      []crossguard.Identifier  `json:"identifiers"`
	ExpectedCrossing string                   `json:"expected_crossing"`
	Window           crossguard.WarningWindow `json:"window"`
	Reason           string                   `json:"reason"`
	SuggestedChannel string                   `json:"suggested_channel"`
	To               []string                 `json:"to"`
	Marking          crossguard.Marking       `json:"marking"`
}

// createWarning records this node's warning in an operation and answers
// 201 with it. On every node that holds it, it selects the declarations
// carrying one of its identifiers during its window.
func (s *Server) createWarning(w http.ResponseWriter, r *http.Request) error {
	var in warningInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	warn := &crossguard.Warning{Header: crossguard.Header{Marking: in.Marking}, Identifiers: in.Identifiers,
		ExpectedCrossing: in.ExpectedCrossing, Window: in.Window, Reason: in.Reason,
		SuggestedChannel: in.SuggestedChannel, To: in.To}
	out, err := s.Cooperation.CreateWarning(r.Context(), actorOf(r.Context()), r.PathValue("id"), warn)
	if err != nil {
		return err
	}
	w.Header().Set("Location", warningPath(out.ID))
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// listWarnings answers the live warnings of an operation, from every
// participant, oldest first.
func (s *Server) listWarnings(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	items, err := s.Cooperation.Warnings(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []*crossguard.Warning{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}

// getWarning answers one warning.
func (s *Server) getWarning(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Cooperation.Warning(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// withdrawWarning withdraws a warning of this node: its tombstone takes
// it off every participant's watch list.
func (s *Server) withdrawWarning(w http.ResponseWriter, r *http.Request) error {
	if err := s.Cooperation.WithdrawWarning(r.Context(), actorOf(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// feedbackInput is the body of POST /api/v1/warnings/{id}/feedback.
type feedbackInput struct {
	Result             string             `json:"result"`
	NotInspectedReason string             `json:"not_inspected_reason"`
	SeizureID          string             `json:"seizure_id"`
	Notes              string             `json:"notes"`
	Marking            crossguard.Marking `json:"marking"`
}

// createFeedback records this node's answer to a warning and answers 201
// with it; a linked seizure is shared with the operation's participants.
func (s *Server) createFeedback(w http.ResponseWriter, r *http.Request) error {
	var in feedbackInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	f := &crossguard.Feedback{Header: crossguard.Header{Marking: in.Marking}, Result: in.Result,
		NotInspectedReason: in.NotInspectedReason, SeizureID: in.SeizureID, Notes: in.Notes}
	out, err := s.Cooperation.CreateFeedback(r.Context(), actorOf(r.Context()), r.PathValue("id"), f)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// listFeedback answers the feedback on a warning, from every
// participant, oldest first.
func (s *Server) listFeedback(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	items, err := s.Cooperation.FeedbackOn(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []*crossguard.Feedback{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}
