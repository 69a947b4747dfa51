package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"crossguard"
)

// MaxDeclarationBatch bounds the declarations of one request, and
// MaxDeclarationBodyBytes its body (a declaration is about 500 bytes of
// JSON), whatever the server's smaller limit for other bodies.
const (
	MaxDeclarationBatch     = 10000
	MaxDeclarationBodyBytes = 16 << 20
)

// createDeclarations decides one declaration (a JSON object, answered
// with its decision) or a batch (a JSON array, answered with
// {"decisions": [...]} in the same order). Nothing is stored when any
// declaration is invalid.
func (s *Server) createDeclarations(w http.ResponseWriter, r *http.Request) error {
	data, err := s.readBody(w, r, "a declaration object or an array of them", MaxDeclarationBodyBytes)
	if err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(data)
	if trimmed[0] != '[' {
		var d crossguard.Declaration
		if err := decodeBytes(data, &d); err != nil {
			return err
		}
		out, err := s.Targeting.Decide(r.Context(), actorOf(r.Context()), []*crossguard.Declaration{&d})
		if err != nil {
			return err
		}
		s.writeJSON(w, r, http.StatusOK, out[0])
		return nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(trimmed, &raws); err != nil {
		return describeDecodeError(data, reflect.TypeFor[[]json.RawMessage](), err)
	}
	if len(raws) > MaxDeclarationBatch {
		return crossguard.Errorf(crossguard.ETOOLARGE, "%d declarations in one request, at most %d: split the batch", len(raws), MaxDeclarationBatch)
	}
	ds, err := decodeBatch(raws)
	if err != nil {
		return err
	}
	out, err := s.Targeting.Decide(r.Context(), actorOf(r.Context()), ds)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"decisions": out})
	return nil
}

// decodeBatch decodes and validates every declaration of a batch and
// returns every problem at once, each field named by its position
// ("[3].hs6_code", "[1]" for an item that is not an object), so that a
// batch of one reads like any other.
func decodeBatch(raws []json.RawMessage) ([]*crossguard.Declaration, error) {
	ds := make([]*crossguard.Declaration, len(raws))
	var fields []crossguard.FieldError
	add := func(i int, err error) {
		fs := crossguard.ErrorFields(err)
		if len(fs) == 0 {
			fs = []crossguard.FieldError{{Message: crossguard.ErrorMessage(err)}}
		}
		for _, f := range fs {
			path := fmt.Sprintf("[%d]", i)
			if f.Field != "" {
				path += "." + f.Field
			}
			fields = append(fields, crossguard.FieldError{Field: path, Message: f.Message})
		}
	}
	first := make(map[crossguard.Code]int, len(raws))
	for i, raw := range raws {
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
			fields = append(fields, crossguard.FieldError{Field: fmt.Sprintf("[%d]", i), Message: "must be a declaration object"})
			continue
		}
		var d crossguard.Declaration
		if err := decodeBytes(raw, &d); err != nil {
			add(i, err)
			continue
		}
		ds[i] = &d
		if err := d.Validate(); err != nil {
			add(i, err)
		}
		if j, dup := first[d.DeclarationID]; dup && d.DeclarationID != "" {
			fields = append(fields, crossguard.FieldError{Field: fmt.Sprintf("[%d].declaration_id", i),
				Message: fmt.Sprintf("%q is also declaration [%d] of this batch", d.DeclarationID, j)})
		} else if !dup {
			first[d.DeclarationID] = i
		}
	}
	if len(fields) > 0 {
		return nil, &crossguard.Error{Code: crossguard.EINVALID, Message: "invalid declarations: nothing of this batch was decided or stored", Fields: fields}
	}
	return ds, nil
}

// getDeclaration answers a stored declaration with its decision and
// inspection.
func (s *Server) getDeclaration(w http.ResponseWriter, r *http.Request) error {
	out, err := s.Targeting.DeclarationEntry(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// inspectionInput is what an officer reports after controlling a
// declaration.
type inspectionInput struct {
	Result           string  `json:"result"`
	SeizureID        string  `json:"seizure_id"`
	RecoveredRevenue float64 `json:"recovered_revenue"`
	Notes            string  `json:"notes"`
}

// recordInspection stores the result of controlling a declaration.
func (s *Server) recordInspection(w http.ResponseWriter, r *http.Request) error {
	var in inspectionInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := s.Targeting.RecordInspection(r.Context(), actorOf(r.Context()), &crossguard.Inspection{
		DeclarationID: r.PathValue("id"), Result: in.Result, SeizureID: in.SeizureID,
		RecoveredRevenue: in.RecoveredRevenue, Notes: in.Notes})
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// riskStats answers hit rates per profile, per channel and of the model
// over decisions made in [from, to). Without to, the period ends with the
// current second, so that a decision made just now counts; without from,
// it starts 30 days before its end.
func (s *Server) riskStats(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "from", "to")
	from, to := q.timeRange()
	if err := q.err(); err != nil {
		return err
	}
	if to.IsZero() {
		to = s.Clock.Now().UTC().Truncate(time.Second).Add(time.Second)
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	out, err := s.Targeting.RiskStats(r.Context(), from, to)
	if err != nil {
		return err
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
