package importer

import (
	"fmt"
	"strconv"
	"strings"

	"crossguard"
)

// groupRow is one row of a group: where it is in the file, its cells as
// read (for the rejects file) and what is wrong with it.
type groupRow struct {
	line, end int64 // first and last physical line
	cells     []string
	errs      []rowError
}

// group is the rows that make one seizure: a single row, or consecutive
// rows sharing a non-empty ref. The seizure is read from the first row;
// every row adds a line of goods.
type group struct {
	ref      string
	seizure  *crossguard.Seizure
	rows     []groupRow
	skipped  bool // done by an earlier run of the import
	overflow bool // more rows than a seizure has lines of goods
}

// placeFieldNames maps the validation paths that appear inside messages
// (as in "required when place.lon is given") to column names.
var placeFieldNames = strings.NewReplacer("place.lat", "lat", "place.lon", "lon")

// seizureFieldColumns maps validation field paths of the seizure (without
// list indexes) to the column that holds them.
var seizureFieldColumns = map[string]column{
	"occurred_at": colOccurredAt, "country": colCountry, "place.name": colPlaceName,
	"place.locode": colPlaceLOCODE, "place.lat": colLat, "place.lon": colLon,
	"office": colOffice, "direction": colDirection, "transport_mode": colTransportMode,
	"conveyance": colConveyance, "detection_method": colDetectionMethod,
	"concealment": colConcealment, "route.origin": colRouteOrigin,
	"route.departure": colRouteDeparture, "route.transit": colRouteTransit,
	"route.destination": colRouteDestination, "identifiers": colIdentifiers,
	"distribution": colDistribution, "recipients": colRecipients,
	"marking.tlp": colTLP, "marking.handling": colHandling,
	"marking.source_reliability": colSourceReliability,
	"marking.info_accuracy":      colInfoAccuracy, "narrative": colNarrative,
	"marking.conditions": colHandlingConditions,
	"goods":              colRef,
}

// goodsFieldColumns maps validation field paths within a line of goods to
// the column that holds them.
var goodsFieldColumns = map[string]column{
	"category": colCategory, "hs": colHS, "description": colDescription,
	"quantity": colQuantity, "unit": colUnit, "value.amount": colValueAmount,
	"value.currency": colValueCurrency,
}

// fieldColumn returns the row of a group (its index) and the column that
// a validation field path such as "goods[2].hs" or "marking.tlp" refers
// to. A path it does not know is returned as the column name itself.
func fieldColumn(path string) (int, string) {
	if rest, ok := strings.CutPrefix(path, "goods["); ok {
		if i := strings.IndexByte(rest, ']'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				sub := strings.TrimPrefix(rest[i+1:], ".")
				if c, ok := goodsFieldColumns[sub]; ok {
					return n, c.String()
				}
				return n, path
			}
		}
	}
	base := path
	if i := strings.IndexByte(base, '['); i >= 0 {
		base = base[:i]
	}
	if c, ok := seizureFieldColumns[base]; ok {
		return 0, c.String()
	}
	return 0, path
}

// addValidation attaches the field errors of a failed validation to the
// rows and columns they refer to. An error for a column that already has
// an error of its own on that row (a cell that could not be read) is
// dropped: it would only repeat the problem. The identifiers cell is the
// exception, as its pairs are checked one by one: one pair that could not
// be read says nothing about the others.
func (g *group) addValidation(err error) {
	fields := crossguard.ErrorFields(err)
	if len(fields) == 0 {
		g.rows[0].errs = append(g.rows[0].errs, rowError{"row", crossguard.ErrorMessage(err)})
		return
	}
	had := make([]map[string]bool, len(g.rows))
	for i, r := range g.rows {
		for _, e := range r.errs {
			if had[i] == nil {
				had[i] = map[string]bool{}
			}
			had[i][e.Column] = true
			had[i][e.String()] = true
		}
	}
	for _, f := range fields {
		i, col := fieldColumn(f.Field)
		if i < 0 || i >= len(g.rows) {
			i = 0
		}
		msg := placeFieldNames.Replace(f.Message)
		if had[i][col] && (col != colIdentifiers.String() || had[i][col+": "+msg]) {
			continue
		}
		if col == colRef.String() && f.Field == "goods" {
			msg = fmt.Sprintf("the group of rows with ref %q has %s", g.ref, msg)
		}
		g.rows[i].errs = append(g.rows[i].errs, rowError{col, msg})
	}
}

// rejections returns the error text of each row of a rejected group for
// the rejects file. A row without errors of its own is rejected with the
// row of its group that has one.
func (g *group) rejections() []string {
	first := int64(0)
	for _, r := range g.rows {
		if len(r.errs) > 0 {
			first = r.line
			break
		}
	}
	out := make([]string, len(g.rows))
	for i, r := range g.rows {
		if len(r.errs) == 0 {
			out[i] = fmt.Sprintf("line %d: ref: rejected with line %d, which has the same ref %q", r.line, first, g.ref)
			continue
		}
		parts := make([]string, len(r.errs))
		for j, e := range r.errs {
			parts[j] = fmt.Sprintf("line %d: %s", r.line, e)
		}
		out[i] = strings.Join(parts, "; ")
	}
	return out
}
