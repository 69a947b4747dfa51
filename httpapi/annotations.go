package httpapi

import (
	"net/http"

	"crossguard"
)

// annotationInput is the body of POST /api/v1/records/{id}/annotations:
// the text and the sharing fields of the annotation's own header. The
// node sets the rest of the header and the target.
type annotationInput struct {
	Text         string             `json:"text"`
	Distribution string             `json:"distribution"`
	Recipients   []string           `json:"recipients"`
	Marking      crossguard.Marking `json:"marking"`
}

// createAnnotation records this node's annotation on a record it holds,
// its own or another node's, and answers 201 with the annotation: a record
// of its own whose origin is this node.
func (s *Server) createAnnotation(w http.ResponseWriter, r *http.Request) error {
	var in annotationInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	a := &crossguard.Annotation{
		Header: crossguard.Header{Distribution: in.Distribution, Recipients: in.Recipients, Marking: in.Marking},
		Text:   in.Text,
	}
	out, err := s.Seizures.Annotate(r.Context(), actorOf(r.Context()), r.PathValue("id"), a)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusCreated, annotationAnswer{out, out.Warnings()})
	return nil
}

// listAnnotations answers the annotations of a record this node holds,
// from every node, oldest first.
func (s *Server) listAnnotations(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Seizures.Annotations(r.Context(), actorOf(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []*crossguard.Annotation{}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": items})
	return nil
}
