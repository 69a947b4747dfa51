package httpapi

import (
	"errors"
	"net/http"

	"crossguard"
)

// listAudit answers one page of the audit log, newest first.
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := parseQuery(r, "actor", "action", "record_id", "from", "to", "limit", "cursor")
	f := crossguard.AuditFilter{
		Actor:    q.str("actor"),
		Action:   q.str("action"),
		RecordID: q.str("record_id"),
		Limit:    q.int("limit"),
		Cursor:   q.str("cursor"),
	}
	f.From, f.To = q.timeRange()
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.Audit.ListAudit(r.Context(), f)
	if err != nil {
		return err
	}
	if page.Items == nil {
		page.Items = []*crossguard.AuditEntry{}
	}
	s.writeJSON(w, r, http.StatusOK, page)
	return nil
}

// auditVerification is the answer of GET /api/v1/audit/verify.
type auditVerification struct {
	OK       bool   `json:"ok"`
	Entries  int64  `json:"entries"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// verifyAudit walks the whole audit chain and answers whether it is
// intact, or where and why it breaks.
func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	n, err := crossguard.VerifyAudit(r.Context(), s.Audit)
	out := auditVerification{OK: err == nil, Entries: n}
	if err != nil {
		var b *crossguard.AuditBreak
		if !errors.As(err, &b) {
			return err
		}
		out.BrokenAt, out.Reason = b.Seq, b.Reason
	}
	s.writeJSON(w, r, http.StatusOK, out)
	return nil
}
