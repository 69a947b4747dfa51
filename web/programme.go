package web

import (
	"fmt"
	"net/http"
	"strings"

	"crossguard"
	"crossguard/node"
)

// agreementRow is one agreement of the list.
type agreementRow struct {
	Href, Title, Parties, SignedOn, Commitments, Overdue string
	HasOverdue                                           bool
}

// agreementRowOf writes out an agreement for the list and its page.
func agreementRowOf(tr *Translator, a *node.AgreementView) agreementRow {
	return agreementRow{Href: "/agreements/" + pathEscape(a.ID), Title: a.Title,
		Parties: strings.Join(a.Parties, ", "), SignedOn: a.SignedOn,
		Commitments: tr.Number(len(a.Commitments)), Overdue: tr.Number(a.Overdue), HasOverdue: a.Overdue > 0}
}

// agreementList shows the agreements the node holds.
func (s *server) agreementList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "prog.agreements.title")
	as, err := s.cooperation.Agreements(r.Context(), sess.Username)
	if err != nil {
		return fmt.Errorf("list agreements: %w", err)
	}
	rows := make([]agreementRow, 0, len(as))
	for _, a := range as {
		rows = append(rows, agreementRowOf(p.tr, a))
	}
	p.Data = rows
	return s.render(w, http.StatusOK, "agreements", p)
}

// agreementPage is the data of an agreement's page.
type agreementPage struct {
	agreementRow
	Commitments []commitmentRow
	Activities  []activityRow
}

// commitmentRow is one commitment with its merged status.
type commitmentRow struct {
	ID, Type, Title, Owner, Due, Status, Badge, Note, Reported string
}

// activityRow is one activity of the programme.
type activityRow struct {
	Type, Title, Period, Place, Agencies, Status, Badge, Agreement string
	// Kind is the activity's type code, for the colour class beside the
	// written type; StartsOn and EndsOn its days, YYYY-MM-DD.
	Kind, StartsOn, EndsOn string
}

// activityRowOf writes out an activity.
func activityRowOf(tr *Translator, a *crossguard.Activity) activityRow {
	row := activityRow{Type: tr.T("prog.type." + a.Type), Kind: a.Type, Title: a.Title,
		Period: tr.T("prog.days", dayOf(tr, a.StartsOn), dayOf(tr, a.EndsOn)), Place: a.Place,
		StartsOn: a.StartsOn, EndsOn: a.EndsOn,
		Agencies: strings.Join(a.Agencies, ", "), Status: tr.T("prog.status." + a.Status),
		Badge: statusBadge[a.Status]}
	if a.Agreement != "" {
		row.Agreement = "/agreements/" + pathEscape(a.Agreement)
	}
	return row
}

// agreementDetail shows an agreement's commitments, overdue first, and
// its activities.
func (s *server) agreementDetail(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	ctx, id := r.Context(), r.PathValue("id")
	a, err := s.cooperation.Agreement(ctx, sess.Username, id)
	if err != nil {
		return fmt.Errorf("agreement %q: %w", id, err)
	}
	p := s.newPage(r, sess, "prog.agreement.title")
	tr := p.tr
	data := &agreementPage{agreementRow: agreementRowOf(tr, a)}
	for _, c := range a.Commitments {
		row := commitmentRow{ID: c.ID, Type: tr.T("prog.ctype." + c.Type), Title: c.Title, Owner: c.Owner,
			Due: c.Due, Status: tr.T("prog.status." + c.Status), Badge: statusBadge[c.Status], Note: c.Note}
		if c.ReportedAt != nil {
			row.Reported = tr.Date(*c.ReportedAt)
		}
		data.Commitments = append(data.Commitments, row)
	}
	acts, err := s.cooperation.Activities(ctx, sess.Username, a.ID)
	if err != nil {
		return fmt.Errorf("activities of agreement %s: %w", a.ID, err)
	}
	for _, act := range acts {
		data.Activities = append(data.Activities, activityRowOf(tr, act))
	}
	p.Data = data
	return s.render(w, http.StatusOK, "agreement", p)
}
