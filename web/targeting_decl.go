package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"crossguard"
)

// reasonRow is one reason of a decision, in plain words.
type reasonRow struct {
	Type, TypeLabel string
	Text            string
	Href            string
}

// factRow is one field of a declaration.
type factRow struct {
	Label, Value string
}

// inspectionForm is the inspection form with the person's input and the
// reason beside each refused field.
type inspectionForm struct {
	Result                    string
	ResultError               string
	SeizureID, Revenue, Notes fieldInput
	Results                   []option
	Invalid                   bool
	Message                   string
}

// declarationPage is the data of a declaration's page.
type declarationPage struct {
	ID                     string
	Decided                bool
	Channel, ChannelLabel  string
	Score, SelectedBy      string
	ModelVersion, Crossing string
	DecidedAt, ReceivedAt  string
	Reasons                []reasonRow
	Fields                 []factRow
	Identifiers            []identifierRow
	Inspected              bool
	Inspection             []factRow
	CanInspect             bool
	Form                   inspectionForm
	Saved                  bool
}

// declarationDetail shows a declaration's decision with its reasons, the
// declaration and its inspection.
func (s *server) declarationDetail(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	return s.showDeclaration(w, r, sess, http.StatusOK, nil)
}

// showDeclaration renders the declaration of r's path with form as the
// inspection form (nil for an empty one).
func (s *server) showDeclaration(w http.ResponseWriter, r *http.Request, sess *Session, status int, form *inspectionForm) error {
	id := r.PathValue("id")
	e, err := s.targeting.DeclarationEntry(r.Context(), id)
	if err != nil {
		return fmt.Errorf("show declaration %q: %w", id, err)
	}
	p := s.newPage(r, sess, "declaration.title")
	v := declarationView(p.tr, e)
	v.CanInspect = crossguard.Can(sess.Role, crossguard.PermWrite)
	v.Saved = r.URL.Query().Get("saved") == "1"
	if form == nil {
		form = &inspectionForm{}
		if in := e.Inspection; in != nil {
			form.Result, form.SeizureID.Value, form.Notes.Value = in.Result, in.SeizureID, in.Notes
			if in.RecoveredRevenue != 0 {
				form.Revenue.Value = strconv.FormatFloat(in.RecoveredRevenue, 'f', -1, 64)
			}
		}
	}
	for _, res := range crossguard.InspectionResults {
		form.Results = append(form.Results, option{Value: res, Label: p.tr.T("result." + res), Selected: res == form.Result})
	}
	v.Form = *form
	p.Data = v
	return s.render(w, status, "declaration", p)
}

// declarationView writes out a declaration entry in tr's language.
func declarationView(tr *Translator, e *crossguard.DeclarationEntry) *declarationPage {
	d := e.Declaration
	v := &declarationPage{ID: string(d.DeclarationID), ReceivedAt: tr.DateTime(e.ReceivedAt)}
	if dec := e.Decision; dec != nil {
		v.Decided = true
		v.Channel, v.ChannelLabel = dec.Channel, tr.T("channel."+dec.Channel)
		v.Score = tr.Number(round(dec.Score, 3))
		v.SelectedBy = tr.T("selected." + dec.SelectedBy)
		if dec.ModelVersion != 0 {
			v.ModelVersion = tr.Number(dec.ModelVersion)
		}
		v.Crossing = dec.Crossing
		v.DecidedAt = tr.DateTime(dec.DecidedAt)
		v.Reasons = reasonRows(tr, dec.Reasons)
	}
	text := func(key string, c crossguard.Code) {
		if c != "" {
			v.Fields = append(v.Fields, factRow{tr.T("declaration.field." + key), string(c)})
		}
	}
	num := func(key string, x float64) {
		v.Fields = append(v.Fields, factRow{tr.T("declaration.field." + key), tr.Number(x)})
	}
	v.Fields = append(v.Fields, factRow{tr.T("declaration.field.date"), d.Date})
	text("office_id", d.OfficeID)
	text("hs6_code", d.HS6Code)
	text("country_of_origin", d.CountryOfOrigin)
	text("country_of_departure", d.CountryOfDeparture)
	text("importer_id", d.ImporterID)
	text("declarant_id", d.DeclarantID)
	text("seller_id", d.SellerID)
	text("courier_id", d.CourierID)
	text("mode_of_transport", d.ModeOfTransport)
	text("process_type", d.ProcessType)
	text("import_type", d.ImportType)
	text("import_use", d.ImportUse)
	text("payment_type", d.PaymentType)
	text("tax_type", d.TaxType)
	num("net_mass", d.NetMass)
	num("item_price", d.ItemPrice)
	num("tax_rate", d.TaxRate)
	if d.Crossing != "" {
		v.Fields = append(v.Fields, factRow{tr.T("declaration.field.crossing"), d.Crossing})
	}
	for _, id := range d.Identifiers {
		v.Identifiers = append(v.Identifiers, identifierRow{Type: tr.T("identifier." + id.Type), Value: id.Value})
	}
	if in := e.Inspection; in != nil {
		v.Inspected = true
		v.Inspection = append(v.Inspection,
			factRow{tr.T("inspection.result"), tr.T("result." + in.Result)},
			factRow{tr.T("inspection.at"), tr.DateTime(in.At)},
			factRow{tr.T("inspection.source"), tr.T("inspection.source." + in.Source)})
		if in.SeizureID != "" {
			v.Inspection = append(v.Inspection, factRow{tr.T("inspection.seizure"), in.SeizureID})
		}
		if in.RecoveredRevenue != 0 {
			v.Inspection = append(v.Inspection, factRow{tr.T("inspection.revenue"), tr.Number(in.RecoveredRevenue)})
		}
		if in.Notes != "" {
			v.Inspection = append(v.Inspection, factRow{tr.T("inspection.notes"), in.Notes})
		}
	}
	return v
}

// reasonRows writes out the reasons of a decision in plain words: each
// reason's kind in tr's language and the decision engine's sentence, a
// model feature's contribution with its sign, and a link to the profile
// that matched. The declaration's page and the queue both use it.
func reasonRows(tr *Translator, reasons []crossguard.Reason) []reasonRow {
	rows := make([]reasonRow, 0, len(reasons))
	for _, rs := range reasons {
		row := reasonRow{Type: rs.Type, TypeLabel: tr.T("reason." + rs.Type), Text: rs.Text}
		if rs.Type == crossguard.ReasonProfile {
			row.Href = "/profiles#p-" + rs.ID
		}
		rows = append(rows, row)
	}
	return rows
}

// inspectionFields maps the fields the node names in its errors to the
// form's.
var inspectionFields = map[string]string{
	"result": "result", "seizure_id": "seizure_id", "recovered_revenue": "revenue", "notes": "notes",
}

// declarationInspect records the inspection form. A refused field is shown
// again with the person's input and the reason beside it.
func (s *server) declarationInspect(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requirePermission(w, r, crossguard.PermWrite)
	if sess == nil || err != nil {
		return err
	}
	tr := s.cat.Translator(chooseLanguage(r, sess))
	id := r.PathValue("id")
	form := &inspectionForm{
		Result:    r.PostFormValue("result"),
		SeizureID: fieldInput{Value: strings.TrimSpace(r.PostFormValue("seizure_id"))},
		Revenue:   fieldInput{Value: strings.TrimSpace(r.PostFormValue("revenue"))},
		Notes:     fieldInput{Value: r.PostFormValue("notes")},
	}
	in := &crossguard.Inspection{DeclarationID: id, Result: form.Result, SeizureID: form.SeizureID.Value, Notes: form.Notes.Value}
	if form.Revenue.Value != "" {
		x, err := strconv.ParseFloat(form.Revenue.Value, 64)
		if err != nil {
			form.Revenue.Error = tr.T("inspection.error.revenue")
		}
		in.RecoveredRevenue = x
	}
	if form.Revenue.Error == "" {
		_, err = s.targeting.RecordInspection(r.Context(), sess.Username, in)
		if err == nil {
			http.Redirect(w, r, "/declarations/"+pathEscape(id)+"?saved=1", http.StatusSeeOther)
			return nil
		}
		if crossguard.ErrorCode(err) != crossguard.EINVALID {
			return fmt.Errorf("record inspection of %q: %w", id, err)
		}
		for _, f := range crossguard.ErrorFields(err) {
			msg := tr.T("inspection.error." + inspectionFields[f.Field])
			switch inspectionFields[f.Field] {
			case "result":
				form.ResultError = msg
			case "seizure_id":
				form.SeizureID.Error = msg
			case "revenue":
				form.Revenue.Error = msg
			case "notes":
				form.Notes.Error = msg
			default:
				form.Message = tr.T("inspection.error.other")
			}
		}
		if len(crossguard.ErrorFields(err)) == 0 {
			form.Message = tr.T("inspection.error.other")
		}
	}
	form.Invalid = true
	return s.showDeclaration(w, r, sess, http.StatusBadRequest, form)
}
