package importer

import (
	"fmt"
	"slices"
	"strings"

	"crossguard"
)

// column is one column of the seizure layout.
type column int

// The columns of the seizure layout, in the order CSV.md documents them.
const (
	colRef column = iota
	colOccurredAt
	colCountry
	colPlaceName
	colPlaceLOCODE
	colLat
	colLon
	colOffice
	colDirection
	colTransportMode
	colConveyance
	colDetectionMethod
	colConcealment
	colRouteOrigin
	colRouteDeparture
	colRouteTransit
	colRouteDestination
	colCategory
	colHS
	colDescription
	colQuantity
	colUnit
	colValueAmount
	colValueCurrency
	colIdentifiers
	colDistribution
	colRecipients
	colTLP
	colHandling
	colSourceReliability
	colInfoAccuracy
	colNarrative
	colHandlingConditions
	numColumns
)

// columnNames are the header names of the columns.
var columnNames = [numColumns]string{
	"ref", "occurred_at", "country", "place_name", "place_locode", "lat", "lon", "office",
	"direction", "transport_mode", "conveyance", "detection_method", "concealment",
	"route_origin", "route_departure", "route_transit", "route_destination",
	"category", "hs", "description", "quantity", "unit", "value_amount", "value_currency",
	"identifiers", "distribution", "recipients", "tlp", "handling",
	"source_reliability", "info_accuracy", "narrative", "handling_conditions",
}

// requiredColumns must be in every file's header.
var requiredColumns = []column{
	colOccurredAt, colCountry, colPlaceName, colDirection, colTransportMode,
	colDetectionMethod, colConcealment, colCategory, colHS, colDescription,
	colQuantity, colUnit, colDistribution, colTLP, colHandling,
}

// errorColumn is the column a rejects file adds. An import ignores it, so
// that a corrected rejects file can be imported as it is.
const errorColumn = "error"

// String returns the column's header name.
func (c column) String() string { return columnNames[c] }

// layout is where each column is in one file's header.
type layout struct {
	index    [numColumns]int // cell index of each column, -1 if absent
	header   []string        // the header row as given
	errorIdx int             // cell index of the error column, -1 if absent
}

// parseLayout checks a header row and returns the layout it describes. It
// names every required column that is missing and every column it does
// not know, suggesting the known name that an unknown one was probably
// meant to be.
func parseLayout(header []string) (*layout, error) {
	l := &layout{header: slices.Clone(header), errorIdx: -1}
	for i := range l.index {
		l.index[i] = -1
	}
	var problems []crossguard.FieldError
	for i, name := range header {
		c, known := lookupColumn(name)
		switch {
		case name == errorColumn && l.errorIdx < 0:
			l.errorIdx = i
		case !known && strings.TrimSpace(name) == "":
			problems = append(problems, crossguard.FieldError{Field: fmt.Sprintf("column %d", i+1), Message: "has no name"})
		case !known:
			msg := "unknown column"
			if s := suggestColumn(name); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			problems = append(problems, crossguard.FieldError{Field: name, Message: msg})
		case l.index[c] >= 0:
			problems = append(problems, crossguard.FieldError{Field: name, Message: fmt.Sprintf("appears twice, in columns %d and %d", l.index[c]+1, i+1)})
		default:
			l.index[c] = i
		}
	}
	for _, c := range requiredColumns {
		if l.index[c] < 0 {
			problems = append(problems, crossguard.FieldError{Field: c.String(), Message: "required column is missing"})
		}
	}
	if len(problems) > 0 {
		return nil, &crossguard.Error{Code: crossguard.EINVALID,
			Message: "line 1: the header row does not match the seizure layout (see importer/CSV.md); nothing was imported",
			Fields:  problems}
	}
	return l, nil
}

// lookupColumn returns the column with exactly this header name.
func lookupColumn(name string) (column, bool) {
	for c, n := range columnNames {
		if n == name {
			return column(c), true
		}
	}
	return 0, false
}

// columnAliases are names other systems use for a column.
var columnAliases = map[string]string{
	"latitude": "lat", "longitude": "lon", "lng": "lon", "date": "occurred_at",
	"datetime": "occurred_at", "time": "occurred_at", "hs_code": "hs", "hscode": "hs",
	"value": "value_amount", "currency": "value_currency", "amount": "value_amount",
	"place": "place_name", "locode": "place_locode", "mode": "transport_mode",
	"goods_description": "description", "marking": "tlp", "reference": "ref",
	"transit": "route_transit", "origin": "route_origin", "destination": "route_destination",
}

// suggestColumn returns the known column name that name was probably meant
// to be: a known name differing only in case, separators or a slip of one
// or two letters, or the column a common alias stands for; or "".
func suggestColumn(name string) string {
	norm := strings.ToLower(strings.TrimSpace(name))
	norm = strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(norm)
	if a, ok := columnAliases[norm]; ok {
		return a
	}
	best, bestDist := "", 3
	for _, known := range append(columnNames[:], errorColumn) {
		if d := editDistance(norm, known); d < bestDist && 2*d < len(known) {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance returns the Levenshtein distance between a and b, counted
// in bytes (header names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// cell returns the trimmed cell of column c in row, or "" if the file has
// no such column.
func (l *layout) cell(row []string, c column) string {
	i := l.index[c]
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// width is the number of cells in a row of this file.
func (l *layout) width() int { return len(l.header) }

// columnName names the cell at index i for messages: its header name.
func (l *layout) columnName(i int) string {
	if i < len(l.header) {
		return l.header[i]
	}
	return fmt.Sprintf("column %d", i+1)
}
