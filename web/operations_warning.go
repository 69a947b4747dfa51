package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"crossguard"
)

// windowLayout is the form of a datetime-local input, read as UTC.
const windowLayout = "2006-01-02T15:04"

// warningForm is the new warning form: what was typed and, after a
// refusal, why.
type warningForm struct {
	IDType, Channel, TLP, Handling string
	// Conditions are the restrictions of handling code H3.
	Conditions                  string
	IDValue, Crossing, From, To fieldInput
	Reason                      fieldInput
	IDTypeError, ChannelError   string
	MarkingError                string
	// Message is a reason that belongs to no single field.
	Message string
	Invalid bool
	// The choices of the select elements, set by options.
	IDTypes, Channels, TLPs, Handlings []option
}

// newWarningForm returns an empty form with the usual defaults.
func newWarningForm() *warningForm {
	return &warningForm{IDType: "container", Channel: crossguard.ChannelRed, TLP: crossguard.TLPAmber, Handling: "H1"}
}

// options fills in the choices of the form's select elements in the
// language of tr and returns f.
func (f *warningForm) options(tr *Translator) *warningForm {
	choose := func(values []string, cur string, label func(string) string) []option {
		out := make([]option, 0, len(values))
		for _, v := range values {
			out = append(out, option{Value: v, Label: label(v), Selected: v == cur})
		}
		return out
	}
	plain := func(v string) string { return v }
	f.IDTypes = choose(crossguard.WarningIdentifierTypes, f.IDType, func(v string) string { return tr.T("ops.form.idtype." + v) })
	f.Channels = choose(crossguard.SelectingChannels, f.Channel, func(v string) string { return tr.T("channel." + v) })
	f.TLPs = choose(crossguard.TLPs, f.TLP, plain)
	f.Handlings = choose(crossguard.HandlingCodes, f.Handling, plain)
	return f
}

// readWarningForm reads the posted form of r.
func readWarningForm(r *http.Request) *warningForm {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return &warningForm{IDType: v("id_type"), Channel: v("channel"), TLP: v("tlp"), Handling: v("handling"), Conditions: v("conditions"),
		IDValue: fieldInput{Value: v("id_value")}, Crossing: fieldInput{Value: v("crossing")},
		From: fieldInput{Value: v("from")}, To: fieldInput{Value: v("to")}, Reason: fieldInput{Value: v("reason")}}
}

// createWarning sends a warning to the operation's participants. A
// refused field is shown again with the input and the reason beside it.
func (s *server) createWarning(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermWrite)
	if sess == nil || err != nil {
		return err
	}
	tr := s.cat.Translator(chooseLanguage(r, sess))
	id := r.PathValue("id")
	f := readWarningForm(r)
	in := &crossguard.Warning{Header: crossguard.Header{Marking: crossguard.Marking{TLP: f.TLP, Handling: f.Handling, Conditions: f.Conditions}},
		Identifiers:      []crossguard.Identifier{{Type: f.IDType, Value: f.IDValue.Value}},
		ExpectedCrossing: f.Crossing.Value, Reason: f.Reason.Value, SuggestedChannel: f.Channel}
	for _, t := range []struct {
		in  *fieldInput
		out *time.Time
	}{{&f.From, &in.Window.From}, {&f.To, &in.Window.To}} {
		if t.in.Value == "" {
			continue
		}
		if *t.out, err = time.ParseInLocation(windowLayout, t.in.Value, time.UTC); err != nil {
			t.in.Error = tr.T("ops.form.error.time")
		}
	}
	if f.From.Error == "" && f.To.Error == "" {
		_, err := s.cooperation.CreateWarning(r.Context(), sess.Username, id, in)
		if err == nil {
			http.Redirect(w, r, "/operations/"+pathEscape(id)+"?saved=1", http.StatusSeeOther)
			return nil
		}
		if crossguard.ErrorCode(err) != crossguard.EINVALID {
			return fmt.Errorf("send warning in operation %q: %w", id, err)
		}
		f.refuse(tr, crossguard.ErrorFields(err))
	}
	f.Invalid = true
	return s.showOperation(w, r, sess, http.StatusBadRequest, operationForms{warning: f})
}

// refuse puts the reasons of the node's refusal beside the fields.
func (f *warningForm) refuse(tr *Translator, errs []crossguard.FieldError) {
	if len(errs) == 0 {
		f.Message = tr.T("ops.form.error.other")
	}
	for _, e := range errs {
		pd := personalDataError(tr, e)
		switch field := e.Field; {
		case pd != "" && strings.HasPrefix(field, "identifiers"):
			f.IDValue.Error = pd
		case pd != "" && field == "expected_crossing":
			f.Crossing.Error = pd
		case pd != "" && field == "reason":
			f.Reason.Error = pd
		case strings.HasSuffix(field, ".type"):
			f.IDTypeError = tr.T("ops.form.error.idtype")
		case strings.HasPrefix(field, "identifiers"):
			f.IDValue.Error = tr.T("ops.form.error.idvalue")
		case field == "expected_crossing":
			f.Crossing.Error = tr.T("ops.form.error.crossing")
		case field == "window.from":
			f.From.Error = tr.T("ops.form.error.from")
		case field == "window.to":
			f.To.Error = tr.T("ops.form.error.to")
		case field == "reason":
			f.Reason.Error = tr.T("ops.form.error.reason")
		case field == "suggested_channel":
			f.ChannelError = tr.T("ops.form.error.channel")
		case strings.HasPrefix(field, "marking"):
			f.MarkingError = tr.T("ops.form.error.marking")
		default:
			f.Message = tr.T("ops.form.error.other")
		}
	}
}
