package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"crossguard"
)

// Numbers of goods and identifier rows the seizure form offers.
const (
	formGoodsRows = 3
	formIDRows    = 3
)

// formTimeLayout is the layout of a datetime-local input, read as UTC.
const formTimeLayout = "2006-01-02T15:04"

// goodsInputs and idInputs are the inputs of one goods or identifier row,
// after the prefix goods[n]. or identifiers[n].
var (
	goodsInputs = []string{"category", "hs", "description", "quantity", "unit", "value.amount", "value.currency"}
	idInputs    = []string{"type", "value"}
)

// plainInputs are the seizure form's inputs outside the rows, named as the
// fields of crossguard.ErrorFields paths.
var plainInputs = []string{
	"occurred_at", "place.name", "place.locode", "place.lat", "place.lon",
	"country", "office", "direction", "transport_mode", "conveyance",
	"detection_method", "concealment", "route.origin", "route.departure",
	"route.transit", "route.destination", "narrative", "distribution",
	"recipients", "marking.tlp", "marking.handling", "marking.conditions",
	"marking.source_reliability", "marking.info_accuracy",
}

// rowInput returns the name of input field of row n of list.
func rowInput(list string, n int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, n, field)
}

// formRows returns how many goods and identifier rows the form of v has:
// the fixed minimum, or more when an edited record has more lines.
func formRows(v url.Values) (goods, ids int) {
	count := func(name string, least, most int) int {
		n, _ := strconv.Atoi(v.Get(name))
		return min(max(n, least), most)
	}
	return count("goods.rows", formGoodsRows, crossguard.MaxGoods),
		count("identifiers.rows", formIDRows, crossguard.MaxIdentifiers)
}

// formInputs returns every input name of a seizure form with the given
// numbers of goods and identifier rows.
func formInputs(goodsRows, idRows int) []string {
	names := append([]string(nil), plainInputs...)
	for n := range goodsRows {
		for _, f := range goodsInputs {
			names = append(names, rowInput("goods", n, f))
		}
	}
	for n := range idRows {
		for _, f := range idInputs {
			names = append(names, rowInput("identifiers", n, f))
		}
	}
	return names
}

// parsedForm is a seizure read from the form, with the form rows its goods
// and identifiers came from, and the inputs that could not be read.
type parsedForm struct {
	seizure   *crossguard.Seizure
	inputs    []string
	goodsRows []int
	idRows    []int
	errs      []crossguard.FieldError
}

// listSplit splits a list typed with commas or spaces.
func listSplit(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

// parseSeizureForm reads the seizure of the posted form v. Empty goods and
// identifier rows are skipped.
func parseSeizureForm(v url.Values) *parsedForm {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	nGoods, nIDs := formRows(v)
	p := &parsedForm{seizure: &crossguard.Seizure{}, inputs: formInputs(nGoods, nIDs)}
	z := p.seizure
	bad := func(field, msg string) {
		p.errs = append(p.errs, crossguard.FieldError{Field: field, Message: msg})
	}
	number := func(field string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.ReplaceAll(get(field), ",", ""), 64)
		if err != nil {
			bad(field, "not a number")
			return 0, false
		}
		return f, true
	}
	if s := get("occurred_at"); s != "" {
		t, err := time.Parse(formTimeLayout, s)
		if err != nil {
			bad("occurred_at", "not a date and time")
		}
		z.OccurredAt = t
	}
	z.Place = crossguard.Place{Name: get("place.name"), LOCODE: strings.ToUpper(get("place.locode"))}
	if get("place.lat") != "" || get("place.lon") != "" {
		lat, ok1 := number("place.lat")
		lon, ok2 := number("place.lon")
		if ok1 && ok2 {
			z.Place.Lat, z.Place.Lon = &lat, &lon
		}
	}
	z.Country = strings.ToUpper(get("country"))
	z.Office = get("office")
	z.Direction = get("direction")
	z.TransportMode = get("transport_mode")
	z.Conveyance = get("conveyance")
	z.DetectionMethod = get("detection_method")
	z.Concealment = get("concealment")
	z.Route = crossguard.Route{
		Origin:      strings.ToUpper(get("route.origin")),
		Departure:   strings.ToUpper(get("route.departure")),
		Transit:     listSplit(strings.ToUpper(get("route.transit"))),
		Destination: strings.ToUpper(get("route.destination")),
	}
	for n := range nGoods {
		in := func(f string) string { return rowInput("goods", n, f) }
		empty := true
		for _, f := range goodsInputs {
			if get(in(f)) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		g := crossguard.Goods{
			Category:    get(in("category")),
			HS:          strings.NewReplacer(".", "", " ", "").Replace(get(in("hs"))),
			Description: get(in("description")),
			Unit:        get(in("unit")),
		}
		if get(in("quantity")) != "" {
			g.Quantity, _ = number(in("quantity"))
		}
		if get(in("value.amount")) != "" || get(in("value.currency")) != "" {
			g.Value = &crossguard.Money{Currency: strings.ToUpper(get(in("value.currency")))}
			if get(in("value.amount")) != "" {
				g.Value.Amount, _ = number(in("value.amount"))
			}
		}
		z.Goods = append(z.Goods, g)
		p.goodsRows = append(p.goodsRows, n)
	}
	for n := range nIDs {
		typ, val := get(rowInput("identifiers", n, "type")), get(rowInput("identifiers", n, "value"))
		if typ == "" && val == "" {
			continue
		}
		z.Identifiers = append(z.Identifiers, crossguard.Identifier{Type: typ, Value: val})
		p.idRows = append(p.idRows, n)
	}
	z.Narrative = get("narrative")
	z.Distribution = get("distribution")
	z.Recipients = listSplit(strings.ToLower(get("recipients")))
	z.Marking = crossguard.Marking{
		TLP:               get("marking.tlp"),
		Handling:          get("marking.handling"),
		SourceReliability: get("marking.source_reliability"),
		InfoAccuracy:      get("marking.info_accuracy"),
		Conditions:        get("marking.conditions"),
	}
	return p
}

// rowPath matches an error path inside a goods or identifier row.
var rowPath = regexp.MustCompile(`^(goods|identifiers)\[(\d+)\](.*)$`)

// indexSuffix matches a trailing list index, as in route.transit[1].
var indexSuffix = regexp.MustCompile(`\[\d+\]$`)

// inputOf returns the form input an error path of the node's validation
// refers to, or "" when it names none.
func (p *parsedForm) inputOf(path string) string {
	known := func(name string) bool {
		for _, in := range p.inputs {
			if in == name {
				return true
			}
		}
		return false
	}
	if m := rowPath.FindStringSubmatch(path); m != nil {
		rows := p.goodsRows
		if m[1] == "identifiers" {
			rows = p.idRows
		}
		if n, err := strconv.Atoi(m[2]); err == nil && n < len(rows) {
			path = fmt.Sprintf("%s[%d]%s", m[1], rows[n], m[3])
			if !known(path) {
				path = fmt.Sprintf("%s[%d].%s", m[1], rows[n], map[string]string{"goods": "description", "identifiers": "value"}[m[1]])
			}
		}
	}
	for path != "" {
		if known(path) {
			return path
		}
		if trimmed := indexSuffix.ReplaceAllString(path, ""); trimmed != path {
			path = trimmed
			continue
		}
		break
	}
	switch path {
	case "goods":
		return "goods[0].category"
	case "place":
		return "place.name"
	case "marking":
		return "marking.tlp"
	}
	return ""
}

// seizureFormValues returns the form values showing z.
func seizureFormValues(z *crossguard.Seizure) url.Values {
	v := url.Values{}
	set := func(name, val string) {
		if val != "" {
			v.Set(name, val)
		}
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	if !z.OccurredAt.IsZero() {
		set("occurred_at", z.OccurredAt.UTC().Format(formTimeLayout))
	}
	set("place.name", z.Place.Name)
	set("place.locode", z.Place.LOCODE)
	if z.Place.Lat != nil && z.Place.Lon != nil {
		set("place.lat", num(*z.Place.Lat))
		set("place.lon", num(*z.Place.Lon))
	}
	set("country", z.Country)
	set("office", z.Office)
	set("direction", z.Direction)
	set("transport_mode", z.TransportMode)
	set("conveyance", z.Conveyance)
	set("detection_method", z.DetectionMethod)
	set("concealment", z.Concealment)
	set("route.origin", z.Route.Origin)
	set("route.departure", z.Route.Departure)
	set("route.transit", strings.Join(z.Route.Transit, ", "))
	set("route.destination", z.Route.Destination)
	v.Set("goods.rows", strconv.Itoa(len(z.Goods)))
	v.Set("identifiers.rows", strconv.Itoa(len(z.Identifiers)))
	for n, g := range z.Goods {
		in := func(f string) string { return rowInput("goods", n, f) }
		set(in("category"), g.Category)
		set(in("hs"), g.HS)
		set(in("description"), g.Description)
		set(in("quantity"), num(g.Quantity))
		set(in("unit"), g.Unit)
		if g.Value != nil {
			set(in("value.amount"), num(g.Value.Amount))
			set(in("value.currency"), g.Value.Currency)
		}
	}
	for n, id := range z.Identifiers {
		set(rowInput("identifiers", n, "type"), id.Type)
		set(rowInput("identifiers", n, "value"), id.Value)
	}
	set("narrative", z.Narrative)
	set("distribution", z.Distribution)
	set("recipients", strings.Join(z.Recipients, ", "))
	set("marking.tlp", z.Marking.TLP)
	set("marking.handling", z.Marking.Handling)
	set("marking.source_reliability", z.Marking.SourceReliability)
	set("marking.info_accuracy", z.Marking.InfoAccuracy)
	set("marking.conditions", z.Marking.Conditions)
	return v
}
