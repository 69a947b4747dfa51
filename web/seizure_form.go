package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"crossguard"
)

// seizureFormPage is the data of the form that records or edits a seizure.
type seizureFormPage struct {
	Action    string
	Editing   bool
	Version   string
	GoodsRows string
	IDRows    string
	F         map[string]*formField
	Goods     []formRow
	IDs       []formRow
	Summary   []formField
	Conflict  bool
	Previewed bool
	Sharing   string
}

// formRow is one goods or identifier row of the seizure form, its inputs
// by their name inside the row.
type formRow struct {
	Legend string
	F      map[string]*formField
}

// formField is one labelled input of the seizure form.
type formField struct {
	Name, ID, Label string
	Value           string
	Error, Detail   string
	Options         []option
}

// errNoWrite refuses the seizure form to a role without write permission.
var errNoWrite = crossguard.Errorf(crossguard.EFORBIDDEN, "your role may not record seizures")

// writer returns the session of r when its role may write records; it
// redirects to sign in (nil session) or refuses otherwise.
func (s *server) writer(w http.ResponseWriter, r *http.Request) (*Session, error) {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return nil, err
	}
	if !crossguard.Can(sess.Role, crossguard.PermWrite) {
		return nil, errNoWrite
	}
	return sess, nil
}

// newSeizureForm shows an empty form for a new seizure.
func (s *server) newSeizureForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.writer(w, r)
	if sess == nil || err != nil {
		return err
	}
	v := url.Values{
		"distribution":     {crossguard.DistAgency},
		"marking.tlp":      {crossguard.TLPAmber},
		"marking.handling": {"H0"},
		"occurred_at":      {s.now().UTC().Format(formTimeLayout)},
	}
	return s.renderSeizureForm(w, r, sess, http.StatusOK, "", "", v, nil)
}

// editSeizureForm shows the form filled with one of this node's seizures.
func (s *server) editSeizureForm(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.writer(w, r)
	if sess == nil || err != nil {
		return err
	}
	id := r.PathValue("id")
	z, err := s.ownSeizure(r, sess, id)
	if err != nil {
		return err
	}
	return s.renderSeizureForm(w, r, sess, http.StatusOK, id, strconv.FormatInt(z.Version, 10), seizureFormValues(z), nil)
}

// ownSeizure returns seizure id, refusing one another node originated.
func (s *server) ownSeizure(r *http.Request, sess *Session, id string) (*crossguard.Seizure, error) {
	z, err := s.records.Seizure(r.Context(), sess.Username, id)
	if err != nil {
		return nil, fmt.Errorf("edit seizure %q: %w", id, err)
	}
	if z.Origin != s.nodeID {
		return nil, crossguard.Errorf(crossguard.EFORBIDDEN, "seizure %s belongs to %s", id, z.Origin)
	}
	return z, nil
}

// createSeizure records the posted seizure and shows it, or shows the form
// again with the reasons beside the fields.
func (s *server) createSeizure(w http.ResponseWriter, r *http.Request) error {
	return s.saveSeizure(w, r, "")
}

// updateSeizure saves the posted change of one of this node's seizures,
// made to the version the form was opened at.
func (s *server) updateSeizure(w http.ResponseWriter, r *http.Request) error {
	return s.saveSeizure(w, r, r.PathValue("id"))
}

// saveSeizure creates (id "") or updates seizure id from the posted form.
// The "preview" button, the first of the form and so the one Enter
// presses, only shows the form again with its sharing sentence.
func (s *server) saveSeizure(w http.ResponseWriter, r *http.Request, id string) error {
	sess, err := s.writer(w, r)
	if sess == nil || err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if !s.auth.CheckCSRF(sess, r.PostFormValue(csrfField)) {
		return errCSRF
	}
	v := r.PostForm
	version := strings.TrimSpace(v.Get("version"))
	p := parseSeizureForm(v)
	if r.PostFormValue("preview") != "" {
		pg, err := s.seizureFormData(r, sess, id, version, v, nil)
		if err != nil {
			return err
		}
		pg.Data.(*seizureFormPage).Previewed = true
		return s.render(w, http.StatusOK, "seizure_form", pg)
	}
	if len(p.errs) > 0 {
		return s.renderSeizureForm(w, r, sess, http.StatusUnprocessableEntity, id, version, v, p)
	}
	var saved *crossguard.Seizure
	if id == "" {
		saved, err = s.records.CreateSeizure(r.Context(), sess.Username, p.seizure)
	} else {
		ifVersion, perr := strconv.ParseInt(version, 10, 64)
		if perr != nil {
			return fmt.Errorf("update seizure %q: version %q: %w", id, version, errInvalidForm)
		}
		saved, err = s.records.UpdateSeizure(r.Context(), sess.Username, id, ifVersion, p.seizure)
	}
	switch code := crossguard.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, "/seizures/"+pathEscape(saved.ID), http.StatusSeeOther)
		return nil
	case code == crossguard.EINVALID:
		p.errs = crossguard.ErrorFields(err)
		if len(p.errs) == 0 {
			p.errs = []crossguard.FieldError{{Field: "seizure", Message: err.Error()}}
		}
		return s.renderSeizureForm(w, r, sess, http.StatusUnprocessableEntity, id, version, v, p)
	case code == crossguard.EPRECONDITIONFAILED || code == crossguard.ECONFLICT:
		return s.renderConflict(w, r, sess, id, version, v)
	default:
		return fmt.Errorf("save seizure %q: %w", id, err)
	}
}

// renderConflict shows the form again, as typed, after the record changed
// since the form was opened.
func (s *server) renderConflict(w http.ResponseWriter, r *http.Request, sess *Session, id, version string, v url.Values) error {
	pg, err := s.seizureFormData(r, sess, id, version, v, nil)
	if err != nil {
		return err
	}
	pg.Data.(*seizureFormPage).Conflict = true
	return s.render(w, http.StatusConflict, "seizure_form", pg)
}

// renderSeizureForm writes the seizure form showing v with the errors of
// p (nil when there are none).
func (s *server) renderSeizureForm(w http.ResponseWriter, r *http.Request, sess *Session, status int, id, version string, v url.Values, p *parsedForm) error {
	pg, err := s.seizureFormData(r, sess, id, version, v, p)
	if err != nil {
		return err
	}
	return s.render(w, status, "seizure_form", pg)
}

// seizureFormData builds the page of the seizure form.
func (s *server) seizureFormData(r *http.Request, sess *Session, id, version string, v url.Values, p *parsedForm) (*page, error) {
	title := "seizureform.title.new"
	if id != "" {
		title = "seizureform.title.edit"
	}
	pg := s.newPage(r, sess, title)
	tr := pg.tr
	nGoods, nIDs := formRows(v)
	d := &seizureFormPage{
		Action:    "/seizures/new",
		Editing:   id != "",
		Version:   version,
		GoodsRows: strconv.Itoa(nGoods),
		IDRows:    strconv.Itoa(nIDs),
		F:         make(map[string]*formField),
	}
	if id != "" {
		d.Action = "/seizures/" + pathEscape(id) + "/edit"
	}
	all := make(map[string]*formField)
	for _, name := range formInputs(nGoods, nIDs) {
		all[name] = s.formField(tr, name, v.Get(name))
	}
	for _, name := range plainInputs {
		d.F[name] = all[name]
	}
	for n := range nGoods {
		row := make(map[string]*formField)
		for _, f := range goodsInputs {
			row[f] = all[rowInput("goods", n, f)]
		}
		d.Goods = append(d.Goods, formRow{Legend: tr.T("seizureform.goods.line", tr.Number(n+1)), F: row})
	}
	for n := range nIDs {
		row := make(map[string]*formField)
		for _, f := range idInputs {
			row[f] = all[rowInput("identifiers", n, f)]
		}
		d.IDs = append(d.IDs, formRow{Legend: tr.T("seizureform.identifiers.line", tr.Number(n+1)), F: row})
	}
	if p != nil {
		for _, fe := range p.errs {
			name := p.inputOf(fe.Field)
			f := all[name]
			if f == nil {
				d.Summary = append(d.Summary, formField{Label: fe.Field, Error: tr.T("seizureform.error.other"), Detail: fe.Message})
				continue
			}
			if f.Error == "" {
				f.Error = tr.T("seizureform.error." + fieldKey(name))
				if pd := personalDataError(tr, fe); pd != "" {
					f.Error = pd
				}
				d.Summary = append(d.Summary, *f)
			}
			if f.Detail != "" {
				f.Detail += "; "
			}
			f.Detail += fe.Message
		}
	}
	d.Sharing = sharingSentence(tr, s.nodeID, v.Get("distribution"),
		listSplit(strings.ToLower(v.Get("recipients"))), v.Get("marking.tlp"))
	pg.Data = d
	return pg, nil
}

// fieldKey returns the catalog name of an input: its name without row
// numbers ("goods[2].hs" is "goods.hs").
func fieldKey(name string) string {
	if m := rowPath.FindStringSubmatch(name); m != nil {
		return m[1] + m[3]
	}
	return name
}

// formField returns input name showing value, labelled in tr's language,
// with its choices when it is a select.
func (s *server) formField(tr *Translator, name, value string) *formField {
	key := fieldKey(name)
	f := &formField{
		Name:  name,
		ID:    "f-" + strings.NewReplacer("[", "-", "]", "", ".", "-").Replace(name),
		Label: tr.T("seizureform.label." + key),
		Value: value,
	}
	choose := func(prefix string, values []string, optional bool) {
		if optional || value == "" {
			f.Options = append(f.Options, option{Value: "", Label: tr.T("seizureform.choose"), Selected: value == ""})
		}
		for _, c := range values {
			label := c
			if prefix != "" {
				label = tr.T(prefix + strings.ReplaceAll(c, "+", ""))
			}
			f.Options = append(f.Options, option{Value: c, Label: label, Selected: c == value})
		}
	}
	switch key {
	case "direction":
		choose("direction.", crossguard.Directions, false)
	case "transport_mode":
		choose("transport.", crossguard.TransportModes, false)
	case "detection_method":
		choose("detection.", crossguard.DetectionMethods, false)
	case "concealment":
		choose("concealment.", crossguard.Concealments, false)
	case "distribution":
		choose("distribution.", crossguard.Distributions, false)
	case "marking.tlp":
		f.Options = nil
		for _, c := range crossguard.TLPs {
			f.Options = append(f.Options, option{Value: c, Label: "TLP:" + strings.ToUpper(c), Selected: c == value})
		}
	case "marking.handling":
		choose("", crossguard.HandlingCodes, false)
	case "marking.source_reliability":
		choose("", crossguard.SourceReliabilities, true)
	case "marking.info_accuracy":
		choose("", crossguard.InfoAccuracies, true)
	case "goods.category":
		choose("category.", crossguard.Categories, true)
	case "goods.unit":
		choose("unit.", crossguard.Units, true)
	case "identifiers.type":
		choose("identifier.", crossguard.IdentifierTypes, true)
	}
	return f
}
