package declcsv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"crossguard"
)

// Row turns the cells of one row of the file into a declaration, validated
// with crossguard.Declaration.Validate, and its label if the file is
// labelled. Cells are trimmed of surrounding spaces; an empty cell is an
// empty code; numbers are decimals such as 1234.5 or 1.2e3, with a point
// and no thousands separators; Fraud is 0 or 1 and Critical Fraud 0, 1 or
// 2 (and 0 when Fraud is 0).
//
// A row that cannot be read or is not valid returns nil for both and the
// problems, one per field at fault, each named by its column's header
// name ("HS6 Code"), or "row" for the row as a whole.
func (l *Layout) Row(cells []string) (*crossguard.Declaration, *crossguard.Label, []crossguard.FieldError) {
	if len(cells) != len(l.header) {
		return nil, nil, []crossguard.FieldError{{Field: "row",
			Message: fmt.Sprintf("has %d cells, but the header has %d columns", len(cells), len(l.header))}}
	}
	var problems []crossguard.FieldError
	fail := func(c int, format string, args ...any) {
		problems = append(problems, crossguard.FieldError{Field: columns[c].header, Message: fmt.Sprintf(format, args...)})
	}
	d := &crossguard.Declaration{}
	for c := range numDeclared {
		cell := strings.TrimSpace(cells[l.index[c]])
		col := &columns[c]
		switch col.kind {
		case kindCode:
			*col.code(d) = crossguard.Code(cell)
		case kindDate:
			d.Date = cell
		case kindNumber:
			switch f, err := parseNumber(cell); {
			case cell == "" && col.required:
				fail(c, "required")
			case cell == "":
			case err != nil:
				fail(c, "%s", err)
			default:
				*col.number(d) = f
			}
		}
	}
	var label *crossguard.Label
	if l.labelled {
		label = &crossguard.Label{}
		fraud, critical := cells[l.index[colFraud]], cells[l.index[colCriticalFraud]]
		var fraudOK, criticalOK bool
		if label.Fraud, fraudOK = labelValue(fraud, 1); !fraudOK {
			fail(colFraud, "%s", labelMessage(fraud, "0 (no fraud) or 1 (fraud)"))
		}
		switch label.Critical, criticalOK = labelValue(critical, 2); {
		case !criticalOK:
			fail(colCriticalFraud, "%s", labelMessage(critical, "0, 1 or 2"))
		case fraudOK && label.Critical > 0 && label.Fraud == 0:
			fail(colCriticalFraud, "is %d, but Fraud is 0: a critical fraud is a fraud", label.Critical)
		}
	}
	if err := d.Validate(); err != nil {
		problems = addValidation(problems, err)
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	return d, label, nil
}

// addValidation adds the field errors of a failed validation to problems,
// naming each by its column, except those of a column that already has a
// problem (a cell that could not be read): they would only repeat it.
func addValidation(problems []crossguard.FieldError, err error) []crossguard.FieldError {
	fields := crossguard.ErrorFields(err)
	if len(fields) == 0 {
		return append(problems, crossguard.FieldError{Field: "row", Message: crossguard.ErrorMessage(err)})
	}
	had := len(problems)
next:
	for _, f := range fields {
		col := ColumnOf(f.Field)
		for _, p := range problems[:had] {
			if p.Field == col {
				continue next
			}
		}
		problems = append(problems, crossguard.FieldError{Field: col, Message: f.Message})
	}
	return problems
}

// parseNumber parses a cell of a number column strictly: an optional
// minus sign, digits with an optional decimal point, and an optional
// exponent. Signs, hexadecimal, "Inf", "NaN", underscores, spaces and
// thousands separators are refused.
func parseNumber(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, fmt.Errorf("%q is not a number such as 1234.5 (a point for decimals, no thousands separators)", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is out of range", s)
	} else if err != nil {
		return 0, fmt.Errorf("%q is not a number such as 1234.5", s)
	}
	return f, nil
}

// isDecimal reports whether s has the form -?digits[.digits][e[+-]digits],
// with at least one digit before the exponent.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// labelValue reads a label cell: a single digit from 0 to max.
func labelValue(cell string, max int) (int, bool) {
	cell = strings.TrimSpace(cell)
	if len(cell) != 1 || cell[0] < '0' || int(cell[0]-'0') > max {
		return 0, false
	}
	return int(cell[0] - '0'), true
}

// labelMessage says what is wrong with a label cell.
func labelMessage(cell, allowed string) string {
	if strings.TrimSpace(cell) == "" {
		return "required in a labelled file: " + allowed
	}
	return fmt.Sprintf("%q is not %s", cell, allowed)
}
