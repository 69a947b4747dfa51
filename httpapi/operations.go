package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"crossguard"
)

func operationPath(id string) string { return "/api/v1/operations/" + id }

// operationInput is the body of POST /api/v1/operations: what the
// creating agency decides. The node sets the header but the marking, and
// makes the participants (this node's agency added) the recipients.
type operationInput struct {
	Name         string                    `json:"name"`
	Participants []string                  `json:"participants"`
	StartsAt     time.Time                 `json:"starts_at"`
	EndsAt       time.Time                 `json:"ends_at"`
	Focus        crossguard.OperationFocus `json:"focus"`
	Marking      crossguard.Marking        `json:"marking"`
}

// operationView is an operation as the API answers it: the record and
// its state at the node's clock (planned, running or ended).
type operationView struct {
	*crossguard.Operation
	Status string `json:"status"`
}

// viewOperation returns op with its state now.
func (s *Server) viewOperation(op *crossguard.Operation) operationView {
	return operationView{Operation: op, Status: op.Status(s.Clock.Now())}
}

// createOperation stores a new joint operation of this node and answers
// 201 with it. It goes to its participants and nobody else.
func (s *Server) createOperation(w http.ResponseWriter, r *http.Request) error {
	var in operationInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	op := &crossguard.Operation{Header: crossguard.Header{Marking: in.Marking}, Name: in.Name,
		Participants: in.Participants, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Focus: in.Focus}
	out, err := s.Cooperation.CreateOperation(r.Context(), actorOf(r.Context()), op)
	if err != nil {
		return err
	}
	w.Header().Set("Location", operationPath(out.ID))
	s.writeJSON(w, r, http.StatusCreated, s.viewOperation(out))
	return nil
}

// listOperations answers every operation this node holds, its own and
// those received, oldest first.
func (s *Server) listOperations(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	ops, err := s.Cooperation.Operations(r.Context(), actorOf(r.Context()))
	if err != nil {
		return err
	}
	items := make([]operationView, len(ops))
	for i, op := range ops {
		items[i] = s.viewOperation(op)
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}

// getOperation answers one operation.
func (s *Server) getOperation(w http.ResponseWriter, r *http.Request) error {
	op, err := s.Cooperation.Operation(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, s.viewOperation(op))
	return nil
}

// messageInput is the body of POST /api/v1/operations/{id}/messages.
type messageInput struct {
	Text    string             `json:"text"`
	Marking crossguard.Marking `json:"marking"`
}

// createMessage records this node's message in an operation and answers
// 201 with it; without a marking it takes the operation's.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) error {
	var in messageInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	m := &crossguard.Message{Header: crossguard.Header{Marking: in.Marking}, Text: in.Text}
	out, err := s.Cooperation.CreateMessage(r.Context(), actorOf(r.Context()), r.PathValue("id"), m)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, out)
	return nil
}

// listMessages answers the messages of an operation, from every
// participant, oldest first.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) error {
	if err := parseQuery(r).err(); err != nil {
		return err
	}
	items, err := s.Cooperation.Messages(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []*crossguard.Message{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}

// operationReport answers the report of an operation: JSON by default,
// or with ?format=csv or ?format=text the flat CSV file or the readable
// summary the command line prints.
func (s *Server) operationReport(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "format")
	format := q.str("format")
	if format == "" {
		format = ReportJSON
	} else if !slices.Contains(ReportFormats, format) {
		q.addf("format", "%q is not a report format; use %s", clip(format, 50), strings.Join(ReportFormats, ", "))
	}
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.Cooperation.OperationReport(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	var body []byte
	switch format {
	case ReportJSON:
		s.writeJSON(w, r, http.StatusOK, rep)
		return nil
	case ReportCSV:
		body = OperationReportCSV(rep)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+reportFilename(rep, "csv")+`"`)
	default:
		body = OperationReportText(rep)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := w.Write(body); err != nil {
		s.Logger.DebugContext(r.Context(), "write operation report", "err", err)
	}
	return nil
}
