package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crossguard"
)

// rowError is one thing wrong with a row: the column at fault (a header
// name, or "row" or "csv" for the row as a whole) and what is wrong.
type rowError struct {
	Column  string
	Message string
}

// String formats the error as "column: message".
func (e rowError) String() string { return e.Column + ": " + e.Message }

// cellParser turns the cells of rows into seizure fields, collecting
// errors for cells that cannot be read (a date that is not a date, a
// number that is not a number). Whether the values are acceptable is left
// to crossguard.Seizure.Validate.
type cellParser struct {
	l    *layout
	errs []rowError
}

// fail records an error for column c.
func (p *cellParser) fail(c column, format string, args ...any) {
	p.errs = append(p.errs, rowError{c.String(), fmt.Sprintf(format, args...)})
}

// checkUTF8 records an error for every cell of row that is not valid UTF-8
// and reports whether all were valid.
func (p *cellParser) checkUTF8(row []string) bool {
	ok := true
	for i, cell := range row {
		if i != p.l.errorIdx && !utf8.ValidString(cell) {
			p.errs = append(p.errs, rowError{p.l.columnName(i), "not valid UTF-8 (save the file as UTF-8)"})
			ok = false
		}
	}
	return ok
}

// seizure returns a seizure holding the seizure-level cells of row, the
// first row of its group, and its line of goods.
func (p *cellParser) seizure(row []string) *crossguard.Seizure {
	l := p.l
	s := &crossguard.Seizure{
		Country: l.cell(row, colCountry),
		Place: crossguard.Place{
			Name:   l.cell(row, colPlaceName),
			LOCODE: l.cell(row, colPlaceLOCODE),
			Lat:    p.optionalNumber(row, colLat),
			Lon:    p.optionalNumber(row, colLon),
		},
		Office:          l.cell(row, colOffice),
		Direction:       l.cell(row, colDirection),
		TransportMode:   l.cell(row, colTransportMode),
		Conveyance:      l.cell(row, colConveyance),
		DetectionMethod: l.cell(row, colDetectionMethod),
		Concealment:     l.cell(row, colConcealment),
		Route: crossguard.Route{
			Origin:      l.cell(row, colRouteOrigin),
			Departure:   l.cell(row, colRouteDeparture),
			Transit:     list(l.cell(row, colRouteTransit)),
			Destination: l.cell(row, colRouteDestination),
		},
		Identifiers: p.identifiers(row),
		Narrative:   l.cell(row, colNarrative),
	}
	s.OccurredAt = p.occurredAt(row)
	s.Distribution = l.cell(row, colDistribution)
	s.Recipients = list(l.cell(row, colRecipients))
	s.Marking = crossguard.Marking{
		TLP:               l.cell(row, colTLP),
		Handling:          l.cell(row, colHandling),
		SourceReliability: l.cell(row, colSourceReliability),
		InfoAccuracy:      l.cell(row, colInfoAccuracy),
		Conditions:        l.cell(row, colHandlingConditions),
	}
	s.Goods = []crossguard.Goods{p.goods(row)}
	return s
}

// goods returns the line of goods in row.
func (p *cellParser) goods(row []string) crossguard.Goods {
	l := p.l
	g := crossguard.Goods{
		Category:    l.cell(row, colCategory),
		HS:          l.cell(row, colHS),
		Description: l.cell(row, colDescription),
		Unit:        l.cell(row, colUnit),
	}
	if q := l.cell(row, colQuantity); q == "" {
		p.fail(colQuantity, "required, a number greater than zero such as 12.5")
	} else if f, ok := p.number(colQuantity, q); ok {
		g.Quantity = f
	}
	amount, currency := l.cell(row, colValueAmount), l.cell(row, colValueCurrency)
	switch {
	case amount == "" && currency == "":
	case amount == "":
		p.fail(colValueAmount, "required when value_currency is given")
	default:
		if f, ok := p.number(colValueAmount, amount); ok {
			g.Value = &crossguard.Money{Amount: f, Currency: currency}
		}
	}
	return g
}

// timeLayouts are the forms of occurred_at besides RFC 3339, all read as
// UTC.
var timeLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02"}

// occurredAt reads the occurred_at cell. An empty cell is left to
// Validate, which says that it is required.
func (p *cellParser) occurredAt(row []string) time.Time {
	s := p.l.cell(row, colOccurredAt)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t
		}
	}
	p.fail(colOccurredAt, "%q is not a date and time: write 2026-11-20T09:30:00Z (RFC 3339, with a time zone), or 2026-11-20 09:30 or 2026-11-20 (UTC)", s)
	return time.Time{}
}

// optionalNumber reads a number cell that may be empty.
func (p *cellParser) optionalNumber(row []string, c column) *float64 {
	s := p.l.cell(row, c)
	if s == "" {
		return nil
	}
	if f, ok := p.number(c, s); ok {
		return &f
	}
	return nil
}

// number reads a decimal number: digits with an optional sign, decimal
// point and exponent. Thousands separators, decimal commas and words such
// as NaN are refused with a message saying how to write it.
func (p *cellParser) number(c column, s string) (float64, bool) {
	plain := true
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '+' || ch == 'e' || ch == 'E') {
			plain = false
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if !plain || err != nil {
		hint := ""
		if strings.Contains(s, ",") {
			hint = " (write decimals with a point and no thousands separators, e.g. 1234.5)"
		}
		p.fail(c, "%q is not a number%s", s, hint)
		return 0, false
	}
	return f, true
}

// identifiers reads type:value pairs separated by semicolons.
func (p *cellParser) identifiers(row []string) []crossguard.Identifier {
	var ids []crossguard.Identifier
	for _, pair := range list(p.l.cell(row, colIdentifiers)) {
		typ, value, ok := strings.Cut(pair, ":")
		if !ok {
			p.fail(colIdentifiers, "%q is not a type:value pair such as container:CSQU3054383 (types: %s)", pair, strings.Join(crossguard.IdentifierTypes, ", "))
			continue
		}
		ids = append(ids, crossguard.Identifier{Type: strings.TrimSpace(typ), Value: strings.TrimSpace(value)})
	}
	return ids
}

// list splits a cell of semicolon-separated items, trimming each and
// dropping empty ones.
func list(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for item := range strings.SplitSeq(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
