package web

import (
	"fmt"
	"net/http"
	"strings"

	"crossguard"
)

// recentSeizures is how many of the node's own seizures the feedback
// form suggests for the seizure field.
const recentSeizures = 20

// feedbackForm is the form answering one warning: what was typed and,
// after a refusal, why.
type feedbackForm struct {
	// Warning is the id of the warning answered; it also makes the ids of
	// the fields unique on a page with many warnings.
	Warning string
	// Action is where the form posts; CSRF the session's form token.
	Action, CSRF           string
	Result, ResultError    string
	Reason, Seizure, Notes fieldInput
	// Message is a reason that belongs to no single field.
	Message string
	Invalid bool
	// Results are the choices of the result; Seizures the node's recent
	// own seizures that may be linked, suggested for the seizure field.
	Results, Seizures []option
}

// options fills in the choices of the form in the language of tr, with
// the suggested seizures, and returns f.
func (f *feedbackForm) options(tr *Translator, seizures []option) *feedbackForm {
	f.Results = []option{{Value: "", Label: tr.T("ops.fb.result.choose"), Selected: f.Result == ""}}
	for _, v := range crossguard.FeedbackResults {
		f.Results = append(f.Results, option{Value: v, Label: tr.T("ops.result." + v), Selected: v == f.Result})
	}
	f.Seizures = seizures
	return f
}

// linkableSeizures returns the node's most recent own seizures that
// feedback may link (not TLP:AMBER+STRICT, which never leaves the
// agency), labelled with date, goods and place; none when the interface
// has no record pages.
func (s *server) linkableSeizures(r *http.Request, sess *Session, tr *Translator) ([]option, error) {
	if s.records == nil || s.nodeID == "" {
		return nil, nil
	}
	page, err := s.records.ListSeizures(r.Context(), sess.Username, crossguard.SeizureFilter{Origin: s.nodeID, Limit: recentSeizures})
	if err != nil {
		return nil, fmt.Errorf("list own seizures for feedback: %w", err)
	}
	var out []option
	for _, z := range page.Items {
		if z.Marking.TLP == crossguard.TLPAmberStrict {
			continue
		}
		label := []string{tr.Date(z.OccurredAt)}
		if len(z.Goods) > 0 {
			label = append(label, tr.T("category."+z.Goods[0].Category))
		}
		if z.Place.Name != "" {
			label = append(label, z.Place.Name)
		}
		out = append(out, option{Value: z.ID, Label: strings.Join(label, " · ")})
	}
	return out, nil
}

// readFeedbackForm reads the posted feedback form of r on warning wid.
func readFeedbackForm(r *http.Request, wid string) *feedbackForm {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return &feedbackForm{Warning: wid, Result: v("result"), Reason: fieldInput{Value: v("reason")},
		Seizure: fieldInput{Value: v("seizure_id")}, Notes: fieldInput{Value: v("notes")}}
}

// createFeedback sends this node's answer to a warning of the operation.
// The node decides who may answer (a participant the warning went to, or
// the sender's agency) and whether the seizure may be linked; a refused
// field is shown again with the input and the reason beside it.
func (s *server) createFeedback(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermWrite)
	if sess == nil || err != nil {
		return err
	}
	ctx, opID, wid := r.Context(), r.PathValue("id"), r.PathValue("wid")
	wn, err := s.cooperation.Warning(ctx, sess.Username, wid)
	if err != nil {
		return fmt.Errorf("warning %q: %w", wid, err)
	}
	if wn.Operation != opID {
		return fmt.Errorf("warning %s is not of operation %q: %w", wid, opID, errNotFound)
	}
	tr := s.cat.Translator(chooseLanguage(r, sess))
	f := readFeedbackForm(r, wid)
	in := &crossguard.Feedback{Result: f.Result, NotInspectedReason: f.Reason.Value,
		SeizureID: f.Seizure.Value, Notes: f.Notes.Value}
	_, err = s.cooperation.CreateFeedback(ctx, sess.Username, wid, in)
	if err == nil {
		http.Redirect(w, r, "/operations/"+pathEscape(opID)+"?saved=feedback#w-"+pathEscape(wid), http.StatusSeeOther)
		return nil
	}
	if crossguard.ErrorCode(err) != crossguard.EINVALID {
		return fmt.Errorf("answer warning %s: %w", wid, err)
	}
	f.refuse(tr, crossguard.ErrorFields(err))
	f.Invalid = true
	return s.showOperation(w, r, sess, http.StatusBadRequest, operationForms{feedback: f})
}

// refuse puts the reasons of the node's refusal beside the fields.
func (f *feedbackForm) refuse(tr *Translator, errs []crossguard.FieldError) {
	if len(errs) == 0 {
		f.Message = tr.T("ops.fb.error.other")
	}
	for _, e := range errs {
		pd := personalDataError(tr, e)
		switch {
		case pd != "" && e.Field == "not_inspected_reason":
			f.Reason.Error = pd
			continue
		case pd != "" && e.Field == "notes":
			f.Notes.Error = pd
			continue
		}
		switch e.Field {
		case "result":
			f.ResultError = tr.T("ops.fb.error.result")
		case "not_inspected_reason":
			if f.Result == crossguard.FeedbackNotInspected {
				f.Reason.Error = tr.T("ops.fb.error.reason")
			} else {
				f.Reason.Error = tr.T("ops.fb.error.reason.only")
			}
		case "seizure_id":
			switch {
			case f.Result != crossguard.FeedbackSeized:
				f.Seizure.Error = tr.T("ops.fb.error.seizure.only")
			default:
				f.Seizure.Error = tr.T("ops.fb.error.seizure")
			}
		case "notes":
			f.Notes.Error = tr.T("ops.fb.error.notes")
		default:
			f.Message = tr.T("ops.fb.error.other")
		}
	}
}
