package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// init adds the profile editor to the pages parsePages loads.
func init() { pageNames = append(pageNames, "profile_form") }

// profileFormPage is the data of the profile editor.
type profileFormPage struct {
	Action     string
	Editing    bool
	Version    string
	Rows       string
	F          map[string]*formField
	Conditions []conditionRow
	Summary    []formField
	Preview    *previewView
	Conflict   bool
}

// conditionRow is one condition row of the profile editor.
type conditionRow struct {
	Legend           string
	Field, Op, Value *formField
}

// previewView is what the draft profile would have done to the most
// recent declarations.
type previewView struct {
	Sentence string
	Examples []previewExample
}

// previewExample is one declaration the draft would have selected.
type previewExample struct {
	ID, Href string
}

// errNoTarget refuses the profile editor to a role that may not manage
// risk targeting.
var errNoTarget = crossguard.Errorf(crossguard.EFORBIDDEN, "your role may not change risk profiles")

// targeter returns the session of r when its role may manage risk
// targeting; it redirects to sign in (nil session) or refuses otherwise.
func (s *server) targeter(w http.ResponseWriter, r *http.Request) (*Session, error) {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return nil, err
	}
	if !crossguard.Can(sess.Role, crossguard.PermTarget) {
		return nil, errNoTarget
	}
	return sess, nil
}

// newProfileForm shows an empty profile editor.
func (s *server) newProfileForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.targeter(w, r)
	if sess == nil || err != nil {
		return err
	}
	v := url.Values{
		"valid_from":       {s.now().UTC().Format(time.DateOnly)},
		"distribution":     {crossguard.DistAgency},
		"marking.tlp":      {crossguard.TLPAmber},
		"marking.handling": {"H0"},
	}
	return s.renderProfileForm(w, r, sess, http.StatusOK, "", v, nil, nil)
}

// editProfileForm shows the editor filled with one of this node's
// profiles.
func (s *server) editProfileForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.targeter(w, r)
	if sess == nil || err != nil {
		return err
	}
	id := r.PathValue("id")
	pv, err := s.targeting.Profile(r.Context(), sess.Username, id)
	if err != nil {
		return fmt.Errorf("edit profile %q: %w", id, err)
	}
	if pv.Origin != s.nodeID {
		return crossguard.Errorf(crossguard.EFORBIDDEN, "profile %s belongs to %s", id, pv.Origin)
	}
	p := pv.Profile
	v := url.Values{
		"version": {strconv.FormatInt(p.Version, 10)}, "name": {p.Name}, "description": {p.Description},
		"channel": {p.Channel}, "score": {strconv.FormatFloat(p.Score, 'f', -1, 64)},
		"valid_from": {p.ValidFrom}, "valid_to": {p.ValidTo}, "owner": {p.Owner},
		"distribution": {p.Distribution}, "recipients": {strings.Join(p.Recipients, ", ")},
		"marking.tlp": {p.Marking.TLP}, "marking.handling": {p.Marking.Handling}, "marking.conditions": {p.Marking.Conditions},
		"cond.rows": {strconv.Itoa(max(profileFormRows, len(p.Conditions)+1))},
	}
	for i, c := range p.Conditions {
		v.Set(conditionInput(i, "field"), c.Field)
		v.Set(conditionInput(i, "op"), c.Op)
		v.Set(conditionInput(i, "value"), conditionText(c.Value))
	}
	return s.renderProfileForm(w, r, sess, http.StatusOK, id, v, nil, nil)
}

// saveProfileForm handles the editor's three buttons: "add a condition"
// shows the form again with one more row; "preview" checks the draft and
// shows how many recent declarations it would have selected; "save"
// creates or updates the profile and leads to the profile list. A
// refused field is shown again as typed with the reason beside it.
func (s *server) saveProfileForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermTarget)
	if sess == nil || err != nil {
		return err
	}
	id := r.PathValue("id")
	v := r.PostForm
	if v.Get("addrow") != "" {
		v.Set("cond.rows", strconv.Itoa(min(profileFormRowCount(v)+1, profileFormMaxRows)))
		return s.renderProfileForm(w, r, sess, http.StatusOK, id, v, nil, nil)
	}
	p := parseProfileForm(v)
	if len(p.errs) > 0 {
		return s.renderProfileForm(w, r, sess, http.StatusUnprocessableEntity, id, v, p, nil)
	}
	if v.Get("preview") != "" {
		pv, err := s.targeting.PreviewProfile(r.Context(), p.profile, crossguard.DefaultPreviewSize)
		if crossguard.ErrorCode(err) == crossguard.EINVALID {
			return s.renderProfileErrors(w, r, sess, id, v, p, err)
		}
		if err != nil {
			return fmt.Errorf("preview profile: %w", err)
		}
		tr := s.cat.Translator(chooseLanguage(r, sess))
		view := &previewView{Sentence: tr.T("profileform.preview.result", tr.Number(pv.Selected),
			tr.Number(pv.Considered), tr.Number(pv.Inspected), tr.Number(pv.Finds))}
		for _, ex := range pv.Examples {
			view.Examples = append(view.Examples, previewExample{ID: ex, Href: "/declarations/" + pathEscape(ex)})
		}
		return s.renderProfileForm(w, r, sess, http.StatusOK, id, v, nil, view)
	}
	var savedID string
	if id == "" {
		saved, err := s.targeting.CreateProfile(r.Context(), sess.Username, p.profile)
		if crossguard.ErrorCode(err) == crossguard.EINVALID {
			return s.renderProfileErrors(w, r, sess, id, v, p, err)
		} else if err != nil {
			return fmt.Errorf("create profile: %w", err)
		}
		savedID = saved.ID
	} else {
		ifVersion, perr := strconv.ParseInt(strings.TrimSpace(v.Get("version")), 10, 64)
		if perr != nil {
			return fmt.Errorf("update profile %q: version %q: %w", id, v.Get("version"), errInvalidForm)
		}
		_, err := s.targeting.UpdateProfile(r.Context(), sess.Username, id, ifVersion, p.profile)
		switch code := crossguard.ErrorCode(err); {
		case code == crossguard.EINVALID:
			return s.renderProfileErrors(w, r, sess, id, v, p, err)
		case code == crossguard.EPRECONDITIONFAILED:
			pg := s.profileFormData(r, sess, id, v, nil, nil)
			pg.Data.(*profileFormPage).Conflict = true
			return s.render(w, http.StatusConflict, "profile_form", pg)
		case err != nil:
			return fmt.Errorf("update profile %q: %w", id, err)
		}
		savedID = id
	}
	http.Redirect(w, r, "/profiles?saved="+url.QueryEscape(savedID)+"#p-"+savedID, http.StatusSeeOther)
	return nil
}

// renderProfileErrors shows the editor again with the field errors of the
// node's refusal err beside the inputs they concern.
func (s *server) renderProfileErrors(w http.ResponseWriter, r *http.Request, sess *Session, id string, v url.Values, p *parsedProfile, err error) error {
	fields := crossguard.ErrorFields(err)
	if len(fields) == 0 {
		fields = []crossguard.FieldError{{Field: "profile", Message: crossguard.ErrorMessage(err)}}
	}
	for _, f := range fields {
		name := p.inputOf(f.Field)
		if name == "" {
			name = "profile:" + f.Field
		}
		if _, seen := p.errs[name]; seen {
			p.errs[name] += "; " + f.Message
		} else {
			p.errs[name] = f.Message
		}
	}
	return s.renderProfileForm(w, r, sess, http.StatusUnprocessableEntity, id, v, p, nil)
}

// renderProfileForm writes the profile editor showing v, with the errors
// of p (nil when there are none) and a preview (nil when none was asked).
func (s *server) renderProfileForm(w http.ResponseWriter, r *http.Request, sess *Session, status int, id string, v url.Values, p *parsedProfile, preview *previewView) error {
	return s.render(w, status, "profile_form", s.profileFormData(r, sess, id, v, p, preview))
}

// profileFormData builds the page of the profile editor.
func (s *server) profileFormData(r *http.Request, sess *Session, id string, v url.Values, p *parsedProfile, preview *previewView) *page {
	title := "profileform.title.new"
	if id != "" {
		title = "profileform.title.edit"
	}
	pg := s.newPage(r, sess, title)
	tr := pg.tr
	rows := profileFormRowCount(v)
	d := &profileFormPage{
		Action: "/profiles/new", Editing: id != "", Version: v.Get("version"),
		Rows: strconv.Itoa(rows), F: map[string]*formField{}, Preview: preview,
	}
	if id != "" {
		d.Action = "/profiles/" + pathEscape(id) + "/edit"
	}
	all := map[string]*formField{}
	for _, name := range profileInputs {
		f := profileField(tr, name, v.Get(name))
		d.F[name], all[name] = f, f
	}
	for n := range rows {
		row := conditionRow{Legend: tr.T("profileform.condition", tr.Number(n+1))}
		row.Field = conditionField(tr, n, "field", v.Get(conditionInput(n, "field")))
		row.Op = conditionField(tr, n, "op", v.Get(conditionInput(n, "op")))
		row.Value = conditionField(tr, n, "value", v.Get(conditionInput(n, "value")))
		all[row.Field.Name], all[row.Op.Name], all[row.Value.Name] = row.Field, row.Op, row.Value
		d.Conditions = append(d.Conditions, row)
	}
	if p != nil {
		for _, name := range append(append([]string{}, profileInputs...), conditionInputs(rows)...) {
			detail, ok := p.errs[name]
			if !ok {
				continue
			}
			f := all[name]
			key := "profileform.error." + name
			if strings.HasPrefix(name, "cond.") {
				key = "profileform.error.cond." + name[strings.LastIndex(name, ".")+1:]
			}
			f.Error = tr.T(key)
			if !strings.HasPrefix(detail, "profileform.") {
				f.Detail = detail
			}
			d.Summary = append(d.Summary, *f)
		}
		var others []string
		for name := range p.errs {
			if strings.HasPrefix(name, "profile:") {
				others = append(others, name)
			}
		}
		slices.Sort(others)
		for _, name := range others {
			what := strings.TrimPrefix(name, "profile:")
			f := formField{Label: what, Error: tr.T("profileform.error.other"), Detail: p.errs[name]}
			if what == "conditions" {
				f.Label, f.Error = tr.T("profileform.conditions"), tr.T("profileform.error.conditions")
			}
			d.Summary = append(d.Summary, f)
		}
	}
	pg.Data = d
	return pg
}

// conditionInputs lists the inputs of rows condition rows, row by row.
func conditionInputs(rows int) []string {
	var out []string
	for n := range rows {
		for _, part := range []string{"field", "op", "value"} {
			out = append(out, conditionInput(n, part))
		}
	}
	return out
}

// profileField returns the labelled input of the editor called name.
func profileField(tr *Translator, name, value string) *formField {
	f := &formField{Name: name, ID: "pf-" + strings.ReplaceAll(name, ".", "-"),
		Label: tr.T("profileform.label." + name), Value: value}
	switch name {
	case "channel":
		if value == "" {
			f.Options = append(f.Options, option{Value: "", Label: tr.T("profileform.choose"), Selected: true})
		}
		for _, c := range crossguard.SelectingChannels {
			f.Options = append(f.Options, option{Value: c, Label: tr.T("channel." + c), Selected: c == value})
		}
	case "distribution":
		for _, c := range crossguard.Distributions {
			f.Options = append(f.Options, option{Value: c, Label: tr.T("distribution." + c), Selected: c == value})
		}
	case "marking.tlp":
		for _, c := range crossguard.TLPs {
			f.Options = append(f.Options, option{Value: c, Label: "TLP:" + strings.ToUpper(c), Selected: c == value})
		}
	case "marking.handling":
		for _, c := range crossguard.HandlingCodes {
			f.Options = append(f.Options, option{Value: c, Label: c, Selected: c == value})
		}
	}
	return f
}

// conditionField returns input part of condition row n: a choice of the
// declaration fields, a choice of the operators, or the value.
func conditionField(tr *Translator, n int, part, value string) *formField {
	name := conditionInput(n, part)
	f := &formField{Name: name, ID: "pf-cond-" + strconv.Itoa(n) + "-" + part,
		Label: tr.T("profileform.label.cond." + part), Value: value}
	switch part {
	case "field":
		f.Options = append(f.Options, option{Value: "", Label: tr.T("profileform.choose"), Selected: value == ""})
		for _, name := range crossguard.DeclarationFieldNames() {
			f.Options = append(f.Options, option{Value: name, Label: tr.T("profileform.field." + name), Selected: name == value})
		}
	case "op":
		for _, op := range crossguard.ConditionOps {
			f.Options = append(f.Options, option{Value: op, Label: tr.T("profileform.op." + op), Selected: op == value})
		}
	}
	return f
}
