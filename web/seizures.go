package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"crossguard"
)

// option is one choice of a select element.
type option struct {
	Value, Label string
	Selected     bool
}

// fieldInput is one text field of a form: what was typed and, when it was
// refused, why.
type fieldInput struct {
	Value, Error string
}

// seizureListPage is the data of the seizure list.
type seizureListPage struct {
	From, To, HS, Country, Place, Q fieldInput
	CategoryError                   string
	OriginError                     string
	OrderError                      string
	Categories                      []option
	Origins                         []option
	Orders                          []option
	// Sort is the sortable date column header.
	Sort sortHeader
	// Invalid is set when some field was refused; the list is not shown.
	Invalid bool
	// Message is a notice about the whole list, such as an expired cursor.
	Message string
	Rows    []seizureRow
	// Next links to the following page, First back to the first one; both
	// are empty when there is no such page.
	Next, First string
	// CanWrite is set when the person may record seizures.
	CanWrite bool
}

// seizureRow is one seizure of the list.
type seizureRow struct {
	Href, Date, Place, Country, Goods, Origin string
	TLP                                       tlpBadge
	Own                                       bool
}

// tlpBadge is the coloured TLP label of a record.
type tlpBadge struct {
	Class, Label string
}

// requireSession returns the session of r, or nil after sending a
// signed-out visitor to the sign-in form.
func (s *server) requireSession(w http.ResponseWriter, r *http.Request) (*Session, error) {
	sess, err := s.session(r)
	if err != nil {
		return nil, err
	}
	if sess == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	}
	return sess, nil
}

// seizureList shows the search form and one page of seizures, newest
// first or, with order=oldest, oldest first, with a link to the next page. A refused filter value is shown
// again with the reason beside its field, and no list.
func (s *server) seizureList(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.requireSession(w, r)
	if sess == nil || err != nil {
		return err
	}
	p := s.newPage(r, sess, "seizures.title")
	tr := p.tr
	q := r.URL.Query()
	form := readSeizureForm(q)
	f, bad := form.filter(s.nodeID)
	msg := func(field string) string {
		if k := bad[field]; k != "" {
			return tr.T(k)
		}
		return ""
	}
	data := &seizureListPage{
		From:          fieldInput{form.From, msg("from")},
		To:            fieldInput{form.To, msg("to")},
		HS:            fieldInput{form.HS, msg("hs")},
		Country:       fieldInput{form.Country, msg("country")},
		Place:         fieldInput{form.Place, msg("place")},
		Q:             fieldInput{form.Q, msg("q")},
		CategoryError: msg("category"),
		OriginError:   msg("origin"),
		OrderError:    msg("order"),
		Categories:    categoryOptions(tr, form.Category),
		Origins:       originOptions(tr, form.Origin),
		Orders:        orderOptions(tr, form.Order),
		Invalid:       len(bad) > 0,
		CanWrite:      crossguard.Can(sess.Role, crossguard.PermWrite),
	}
	p.Data = data
	if data.Invalid {
		return s.render(w, http.StatusBadRequest, "seizures", p)
	}
	cursor, limit, ok := pageOptions(q, f)
	if !ok {
		data.Message = tr.T("seizures.error.cursor")
	}
	f.Cursor, f.Limit = cursor, limit
	page, err := s.records.ListSeizures(r.Context(), sess.Username, f)
	if err != nil {
		return fmt.Errorf("list seizures: %w", err)
	}
	for _, z := range page.Items {
		data.Rows = append(data.Rows, s.seizureRow(tr, z))
	}
	base := form.values()
	if limit > 0 {
		base.Set(limitParam, strconv.Itoa(limit))
	}
	data.Sort = dateSortHeader(tr, base, f.Oldest)
	if page.NextCursor != "" {
		next := cloneValues(base)
		next.Set(cursorParam, page.NextCursor)
		data.Next = "/seizures?" + next.Encode()
	}
	if cursor != "" {
		data.First = "/seizures"
		if len(base) > 0 {
			data.First += "?" + base.Encode()
		}
	}
	return s.render(w, http.StatusOK, "seizures", p)
}

// seizureRow returns the list row of z.
func (s *server) seizureRow(tr *Translator, z *crossguard.Seizure) seizureRow {
	return seizureRow{
		Href:    seizureHref(z.ID),
		Date:    tr.Date(z.OccurredAt),
		Place:   z.Place.Name,
		Country: z.Country,
		Goods:   goodsSummary(tr, z.Goods),
		Origin:  z.Origin,
		TLP:     badge(z.Marking.TLP),
		Own:     s.nodeID != "" && z.Origin == s.nodeID,
	}
}

// seizureHref returns the path of a seizure's page.
func seizureHref(id string) string {
	return "/seizures/" + pathEscape(id)
}

// goodsSummary describes the first goods line of a seizure and how many
// more there are.
func goodsSummary(tr *Translator, goods []crossguard.Goods) string {
	if len(goods) == 0 {
		return tr.T("seizures.goods.none")
	}
	g := goods[0]
	line := tr.T("seizures.goods.line", g.Description, quantity(tr, g.Quantity, g.Unit), tr.T("category."+g.Category))
	if len(goods) > 1 {
		return tr.T("seizures.goods.more", line, len(goods)-1)
	}
	return line
}

// quantity writes an amount of a unit in the language.
func quantity(tr *Translator, n float64, unit string) string {
	return tr.T("quantity.format", tr.Number(n), tr.T("unit."+unit))
}

// badge returns the TLP badge of a marking level.
func badge(tlp string) tlpBadge {
	return tlpBadge{
		Class: "tlp tlp-" + strings.ReplaceAll(tlp, "+", "-"),
		Label: "TLP:" + strings.ToUpper(tlp),
	}
}

// categoryOptions returns the category choices, with selected chosen.
func categoryOptions(tr *Translator, selected string) []option {
	opts := []option{{Value: "", Label: tr.T("seizures.filter.any"), Selected: selected == ""}}
	for _, c := range crossguard.Categories {
		opts = append(opts, option{Value: c, Label: tr.T("category." + c), Selected: c == selected})
	}
	return opts
}

// originOptions returns the origin choices, with selected chosen.
func originOptions(tr *Translator, selected string) []option {
	return []option{
		{Value: "", Label: tr.T("seizures.origin.all"), Selected: selected == ""},
		{Value: "self", Label: tr.T("seizures.origin.self"), Selected: selected == "self"},
		{Value: "others", Label: tr.T("seizures.origin.others"), Selected: selected == "others"},
	}
}

// textField is the data of the "textfield" template: one labelled text
// input with a hint and, when refused, the reason.
type textField struct {
	Name, Label, Hint string
	Input             fieldInput
}

// newTextField is the template function "field", which builds a textField.
func newTextField(name, label, hint string, in fieldInput) textField {
	return textField{Name: name, Label: label, Hint: hint, Input: in}
}
