package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"crossguard"
)

// operationPage is the data of an operation's page.
type operationPage struct {
	operationRow
	Categories, HSPrefixes, Crossings string
	Routes                            []string
	Warnings                          []warningView
	Messages                          []messageView
	Report                            reportView
	// Form is the new warning form, nil when the person may not send
	// warnings or the operation has ended.
	Form *warningForm
	// MessageForm is the new message form, nil when the person may not
	// write or the node's agency takes no part in the operation.
	MessageForm *messageForm
	// Saved says what was just sent: "1" a warning, "feedback" or
	// "message"; empty otherwise.
	Saved string
}

// operationForms are the forms of an operation's page as a refused post
// left them; a nil form is shown empty.
type operationForms struct {
	warning  *warningForm
	feedback *feedbackForm
	message  *messageForm
}

// warningView is one warning of an operation with its feedback.
type warningView struct {
	ID, Window, Crossing, Channel, ChannelLabel, Reason, Origin, To string
	Identifiers                                                     []string
	Feedback                                                        []feedbackView
	// Answer is the feedback form, nil when the person or the node may
	// not answer the warning.
	Answer *feedbackForm
}

// feedbackView is one answer to a warning.
type feedbackView struct {
	Origin, Result, Reason, Seizure, Notes string
}

// messageView is one coordination message.
type messageView struct {
	Origin, At, Text string
}

// reportView is the written-out OperationReport.
type reportView struct {
	Warnings, Feedback, Answered, Hits, Seizures string
	FeedbackRate, HitRate, MedianHours           string
	Agencies                                     []agencyRow
}

// agencyRow is one agency's line of the report.
type agencyRow struct {
	Agency, Sent, Received, Given, GotBack, Hits string
}

// operationDetail shows an operation: focus, warnings with their
// feedback, messages and the report.
func (s *server) operationDetail(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	return s.showOperation(w, r, sess, http.StatusOK, operationForms{})
}

// showOperation renders an operation's page with its forms (refused input
// and its reasons after a failed post) and status. The feedback and
// message forms follow the node's rules: only a participant writes in an
// operation, and only an agency the warning went to, or its sender's,
// answers it.
func (s *server) showOperation(w http.ResponseWriter, r *http.Request, sess *Session, status int, forms operationForms) error {
	ctx, actor, id := r.Context(), sess.Username, r.PathValue("id")
	op, err := s.cooperation.Operation(ctx, actor, id)
	if err != nil {
		return fmt.Errorf("operation %q: %w", id, err)
	}
	p := s.newPage(r, sess, "ops.detail.title")
	tr := p.tr
	data := &operationPage{operationRow: s.operationRowOf(tr, op),
		Categories: strings.Join(op.Focus.Categories, ", "),
		HSPrefixes: strings.Join(op.Focus.HSPrefixes, ", "),
		Crossings:  strings.Join(op.Focus.Crossings, ", ")}
	for _, rt := range op.Focus.Routes {
		data.Routes = append(data.Routes, strings.Join(rt, " → "))
	}
	ws, err := s.cooperation.Warnings(ctx, actor, op.ID)
	if err != nil {
		return fmt.Errorf("warnings of operation %s: %w", op.ID, err)
	}
	agency := crossguard.Agency(s.nodeID)
	writer := crossguard.Can(sess.Role, crossguard.PermWrite) && agency != "" && slices.Contains(op.Participants, agency)
	var seizures []option
	if writer && len(ws) > 0 {
		if seizures, err = s.linkableSeizures(r, sess, tr); err != nil {
			return err
		}
	}
	for _, wn := range ws {
		v := warningView{ID: wn.ID, Crossing: wn.ExpectedCrossing, Reason: wn.Reason, Origin: wn.Origin,
			Channel: wn.SuggestedChannel, ChannelLabel: tr.T("channel." + wn.SuggestedChannel),
			Window: tr.T("ops.period", tr.DateTime(wn.Window.From), tr.DateTime(wn.Window.To)),
			To:     strings.Join(wn.To, ", ")}
		for _, idf := range wn.Identifiers {
			v.Identifiers = append(v.Identifiers, idf.Type+" "+idf.Value)
		}
		fbs, err := s.cooperation.FeedbackOn(ctx, actor, wn.ID)
		if err != nil {
			return fmt.Errorf("feedback on warning %s: %w", wn.ID, err)
		}
		for _, f := range fbs {
			v.Feedback = append(v.Feedback, feedbackView{Origin: f.Origin, Result: tr.T("ops.result." + f.Result),
				Reason: f.NotInspectedReason, Seizure: f.SeizureID, Notes: f.Notes})
		}
		if writer && (slices.Contains(wn.Recipients, agency) || crossguard.Agency(wn.Origin) == agency) {
			f := forms.feedback
			if f == nil || f.Warning != wn.ID {
				f = &feedbackForm{Warning: wn.ID}
			}
			f.Action = data.Href + "/warnings/" + pathEscape(wn.ID) + "/feedback"
			f.CSRF = p.CSRF
			v.Answer = f.options(tr, seizures)
		}
		data.Warnings = append(data.Warnings, v)
	}
	ms, err := s.cooperation.Messages(ctx, actor, op.ID)
	if err != nil {
		return fmt.Errorf("messages of operation %s: %w", op.ID, err)
	}
	for _, m := range ms {
		data.Messages = append(data.Messages, messageView{Origin: m.Origin, At: tr.DateTime(m.CreatedAt), Text: m.Text})
	}
	rep, err := s.cooperation.OperationReport(ctx, actor, op.ID)
	if err != nil {
		return fmt.Errorf("report of operation %s: %w", op.ID, err)
	}
	data.Report = reportView{Warnings: tr.Number(rep.Warnings), Feedback: tr.Number(rep.Feedback),
		Answered: tr.Number(rep.Answered), Hits: tr.Number(rep.Hits), Seizures: tr.Number(rep.Seizures),
		FeedbackRate: percent(tr, rep.FeedbackRate), HitRate: percent(tr, rep.HitRate),
		MedianHours: tr.Number(rep.MedianHoursToFeedback)}
	for _, a := range rep.Agencies {
		data.Report.Agencies = append(data.Report.Agencies, agencyRow{Agency: a.Agency,
			Sent: tr.Number(a.WarningsSent), Received: tr.Number(a.WarningsReceived),
			Given: tr.Number(a.FeedbackGiven), GotBack: tr.Number(a.FeedbackReceived), Hits: tr.Number(a.Hits)})
	}
	if crossguard.Can(sess.Role, crossguard.PermWrite) && op.Status(s.now()) != crossguard.OperationEnded {
		f := forms.warning
		if f == nil {
			f = newWarningForm()
		}
		data.Form = f.options(tr)
	}
	if writer {
		data.MessageForm = forms.message
		if data.MessageForm == nil {
			data.MessageForm = &messageForm{}
		}
	}
	data.Saved = r.URL.Query().Get("saved")
	p.Data = data
	return s.render(w, status, "operation", p)
}
