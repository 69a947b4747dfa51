package declcsv

import (
	"fmt"
	"slices"
	"strings"

	"crossguard"
)

// numColumns is the number of columns of the layout, labels included.
const numColumns = 22

// Layout is where each column of the declaration layout is in one file's
// header row.
type Layout struct {
	index    [numColumns]int // cell index of each column, -1 if absent
	header   []string        // the header row as given
	labelled bool
}

// ParseHeader checks a header row and returns the layout it describes.
// Every declared column is required, in any order, under its exact name;
// Fraud and Critical Fraud may be left out, but only together. Columns
// named in ignore (such as the error column of a rejects file) are
// skipped. Any other column is refused. The EINVALID error names every
// problem at once, with the known name an unknown column was probably
// meant to be.
func ParseHeader(header []string, ignore ...string) (*Layout, error) {
	l := &Layout{header: slices.Clone(header)}
	for i := range l.index {
		l.index[i] = -1
	}
	var problems []crossguard.FieldError
	ignored := map[string]bool{}
	for i, name := range header {
		c := lookup(name)
		switch {
		case c < 0 && slices.Contains(ignore, name) && !ignored[name]:
			ignored[name] = true
		case c < 0 && strings.TrimSpace(name) == "":
			problems = append(problems, crossguard.FieldError{Field: fmt.Sprintf("column %d", i+1), Message: "has no name"})
		case c < 0 && slices.Contains(ignore, name):
			problems = append(problems, crossguard.FieldError{Field: name, Message: "appears twice"})
		case c < 0:
			msg := "unknown column"
			if s := suggest(name); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			problems = append(problems, crossguard.FieldError{Field: name, Message: msg})
		case l.index[c] >= 0:
			problems = append(problems, crossguard.FieldError{Field: name,
				Message: fmt.Sprintf("appears twice, in columns %d and %d", l.index[c]+1, i+1)})
		default:
			l.index[c] = i
		}
	}
	for c := range numDeclared {
		if l.index[c] < 0 {
			problems = append(problems, crossguard.FieldError{Field: columns[c].header, Message: "required column is missing"})
		}
	}
	fraud, critical := l.index[colFraud] >= 0, l.index[colCriticalFraud] >= 0
	switch {
	case fraud && !critical:
		problems = append(problems, crossguard.FieldError{Field: ColumnCriticalFraud,
			Message: "required column is missing: the label columns Fraud and Critical Fraud come together"})
	case critical && !fraud:
		problems = append(problems, crossguard.FieldError{Field: ColumnFraud,
			Message: "required column is missing: the label columns Fraud and Critical Fraud come together"})
	}
	if len(problems) > 0 {
		return nil, &crossguard.Error{Code: crossguard.EINVALID,
			Message: "line 1: the header row does not match the customs declaration layout", Fields: problems}
	}
	l.labelled = fraud
	return l, nil
}

// Labelled reports whether the file has the label columns Fraud and
// Critical Fraud.
func (l *Layout) Labelled() bool { return l.labelled }

// Header returns the header row as given.
func (l *Layout) Header() []string { return slices.Clone(l.header) }

// Width is the number of cells of every row of the file.
func (l *Layout) Width() int { return len(l.header) }

// lookup returns the index of the column with exactly this header name,
// or -1.
func lookup(name string) int {
	for i, c := range columns {
		if c.header == name {
			return i
		}
	}
	return -1
}

// suggest returns the header name that name was probably meant to be:
// one that differs only in case, spaces or punctuation (as "hs6_code" or
// "Net mass"), or by a slip of one or two letters; or "".
func suggest(name string) string {
	norm := squash(name)
	if len(norm) > 64 {
		return "" // no header name is anywhere near as long
	}
	best, bestDist := "", 3
	for _, c := range columns {
		known := squash(c.header)
		if known == norm {
			return c.header
		}
		if d := editDistance(norm, known); d < bestDist && 2*d < len(known) {
			best, bestDist = c.header, d
		}
	}
	return best
}

// squash lowers the letters of s and drops everything but letters and
// digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance returns the Levenshtein distance between a and b in bytes
// (the names compared are ASCII).
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
