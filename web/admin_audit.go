package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"crossguard"
)

// auditPageSize is how many entries one page of the audit list shows.
const auditPageSize = 50

// auditKindScan bounds how many pages of the log one page of the list
// reads when filtering by record kind, which the store cannot do.
const auditKindScan = 20

// auditWord matches an action or a record kind.
var auditWord = regexp.MustCompile(`^[a-z][a-z0-9_.-]*$`)

// auditRow is one audit entry as the list shows it.
type auditRow struct {
	Seq, At, Actor, Action, Kind, ID, Outcome, Detail string
}

// auditPage is the data of the audit list.
type auditPage struct {
	Actor, Action, Kind, From, To fieldInput
	Invalid                       bool
	Rows                          []auditRow
	Next, First                   string
}

// auditList shows the audit log, newest first, filtered by actor, action,
// record kind and period, a page at a time.
func (s *server) auditList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireRole(w, r, crossguard.PermAudit)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "audit.title")
	tr := p.tr
	q := r.URL.Query()
	get := func(name string) fieldInput { return fieldInput{Value: strings.TrimSpace(q.Get(name))} }
	data := &auditPage{Actor: get("actor"), Action: get("action"), Kind: get("kind"), From: get("from"), To: get("to")}
	p.Data = data
	f := crossguard.AuditFilter{Actor: data.Actor.Value, Action: data.Action.Value,
		Limit: auditPageSize, Cursor: q.Get(cursorParam)}
	for _, in := range []*fieldInput{&data.Action, &data.Kind} {
		if in.Value != "" && !auditWord.MatchString(in.Value) {
			in.Error = tr.T("audit.error.word")
		}
	}
	if data.From.Value != "" {
		if f.From, err = time.Parse(time.DateOnly, data.From.Value); err != nil {
			data.From.Error = tr.T("audit.error.date")
		}
	}
	if data.To.Value != "" {
		to, err := time.Parse(time.DateOnly, data.To.Value)
		if err != nil {
			data.To.Error = tr.T("audit.error.date")
		} else {
			f.To = to.AddDate(0, 0, 1).Add(-time.Nanosecond)
		}
	}
	if data.From.Error == "" && data.To.Error == "" && !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		data.To.Error = tr.T("audit.error.order")
	}
	for _, in := range []fieldInput{data.Actor, data.Action, data.Kind, data.From, data.To} {
		data.Invalid = data.Invalid || in.Error != ""
	}
	if data.Invalid {
		return s.render(w, http.StatusBadRequest, "audit", p)
	}
	entries, next, err := s.auditEntries(r, f, data.Kind.Value)
	if err != nil {
		return err
	}
	for _, e := range entries {
		data.Rows = append(data.Rows, auditRow{Seq: tr.Number(e.Seq), At: tr.DateTime(e.At), Actor: e.Actor,
			Action: e.Action, Kind: e.RecordKind, ID: e.RecordID, Outcome: e.Outcome, Detail: e.Detail})
	}
	base := url.Values{}
	for name, in := range map[string]fieldInput{"actor": data.Actor, "action": data.Action, "kind": data.Kind, "from": data.From, "to": data.To} {
		if in.Value != "" {
			base.Set(name, in.Value)
		}
	}
	if next != "" {
		nv := cloneValues(base)
		nv.Set(cursorParam, next)
		data.Next = "/audit?" + nv.Encode()
	}
	if f.Cursor != "" {
		data.First = "/audit"
		if len(base) > 0 {
			data.First += "?" + base.Encode()
		}
	}
	return s.render(w, http.StatusOK, "audit", p)
}

// auditEntries reads one page of entries matching f and, when kind is not
// empty, of that record kind; it returns the cursor of the page after.
func (s *server) auditEntries(r *http.Request, f crossguard.AuditFilter, kind string) ([]*crossguard.AuditEntry, string, error) {
	var out []*crossguard.AuditEntry
	for range auditKindScan {
		page, err := s.admin.ListAudit(r.Context(), f)
		if err != nil {
			return nil, "", fmt.Errorf("list audit entries: %w", err)
		}
		for _, e := range page.Items {
			if kind == "" || e.RecordKind == kind {
				out = append(out, e)
			}
		}
		if kind == "" || page.NextCursor == "" || len(out) >= auditPageSize {
			return out, page.NextCursor, nil
		}
		f.Cursor = page.NextCursor
	}
	return out, f.Cursor, nil
}

// auditVerifyPage is the data of the verification result.
type auditVerifyPage struct {
	OK      bool
	Message string
}

// auditVerify walks the whole audit chain and says whether it is intact,
// or where and why it breaks.
func (s *server) auditVerify(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermAudit)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "audit.verify.title")
	tr := p.tr
	n, err := s.admin.VerifyAudit(r.Context())
	data := auditVerifyPage{OK: err == nil, Message: tr.T("audit.verify.ok", tr.Number(n))}
	if err != nil {
		var b *crossguard.AuditBreak
		if !errors.As(err, &b) {
			return fmt.Errorf("verify the audit log: %w", err)
		}
		data.Message = tr.T("audit.verify.broken", tr.Number(b.Seq), b.Reason, tr.Number(n))
	}
	p.Data = data
	return s.render(w, http.StatusOK, "audit_verify", p)
}
