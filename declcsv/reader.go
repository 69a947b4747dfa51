package declcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"crossguard"
)

// MaxRowBytes bounds one row. A declaration row is about a hundred bytes;
// a row this long means a quote that never closes or a file that is not
// CSV, and reading on would hold the rest of the file in memory.
const MaxRowBytes = 1 << 20

// Row is one row of a declaration file: where it is and what it holds.
// Exactly one of Declaration and Err is set. Label is set with the
// declaration when the file is labelled.
type Row struct {
	Line        int64    // the physical line the row starts on, counting from 1
	EndLine     int64    // the line it ends on (a quoted cell may span lines)
	Cells       []string // the cells as read; nil if the row is not valid CSV
	Declaration *crossguard.Declaration
	Label       *crossguard.Label
	Err         *RowError
}

// RowError is what is wrong with one row: the line it starts on and every
// field at fault, each named by its column's header name (or "row" or
// "csv" for the row as a whole). It unwraps to an EINVALID
// *crossguard.Error with the same fields, so crossguard.ErrorFields reads
// them.
type RowError struct {
	Line   int64
	Fields []crossguard.FieldError
}

// Error formats the error as "line N: Column: message; Column: message".
func (e *RowError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(e.Lines(), "; "))
}

// Lines returns each problem as "Column: message".
func (e *RowError) Lines() []string {
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field + ": " + f.Message
	}
	return out
}

// Unwrap returns the EINVALID *crossguard.Error the row error stands for.
func (e *RowError) Unwrap() error {
	return &crossguard.Error{Code: crossguard.EINVALID, Message: fmt.Sprintf("line %d: invalid declaration", e.Line), Fields: e.Fields}
}

// Reader reads declarations from a CSV file in the layout of the customs
// declaration files, one row at a time, so that its memory does not grow
// with the file. A bad row is returned with its error and reading goes
// on; only a file that cannot be read further stops it.
type Reader struct {
	lim    *limitedReader
	cr     *csv.Reader
	layout *Layout
	base   int64 // bytes of byte-order mark skipped
	blank  int64
	rows   int64
	last   int64 // the last line of the last record read
	err    error // sticky error that stopped reading
}

// NewReader reads and checks the header row of r (a UTF-8 byte-order mark
// before it is skipped) and returns a reader of the rows after it. A file
// without a header, or whose header does not match the layout (see
// ParseHeader), is refused with an EINVALID *crossguard.Error.
func NewReader(r io.Reader) (*Reader, error) {
	lim := &limitedReader{r: r}
	br := bufio.NewReaderSize(lim, 64<<10)
	head, _ := br.Peek(4)
	rd := &Reader{lim: lim}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		rd.base = 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, crossguard.Errorf(crossguard.EINVALID, "the file is in UTF-16: save it as CSV UTF-8")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, crossguard.Errorf(crossguard.EINVALID, "the file is a zip file, probably an Excel workbook (.xlsx): save it as CSV UTF-8")
	}
	rd.cr = csv.NewReader(br)
	header, err := rd.cr.Read()
	rd.mark()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, crossguard.Errorf(crossguard.EINVALID, "the file has no header row: it must start with the column names of the declaration layout")
	case errors.Is(err, errRowTooLong):
		return nil, crossguard.Errorf(crossguard.EINVALID, "line 1: the header row is longer than %d MiB: this is not a declaration file", MaxRowBytes>>20)
	case errors.As(err, &pe):
		return nil, crossguard.Errorf(crossguard.EINVALID, "line 1: the header row is not valid CSV: %s", csvMessage(pe))
	case err != nil:
		return nil, fmt.Errorf("read header: %w", err)
	}
	rd.position(header)
	if rd.layout, err = ParseHeader(header); err != nil {
		return nil, err
	}
	return rd, nil
}

// Layout returns the layout of the file's header.
func (r *Reader) Layout() *Layout { return r.layout }

// Rows returns the number of rows returned so far.
func (r *Reader) Rows() int64 { return r.rows }

// Blank returns the number of rows skipped because every cell was empty,
// as spreadsheets export after the data.
func (r *Reader) Blank() int64 { return r.blank }

// Read returns the next row, or io.EOF after the last. A row that is not
// valid CSV, has the wrong number of cells or does not hold a valid
// declaration is returned with its Err set. Any error returned is final:
// an EINVALID *crossguard.Error for a row longer than MaxRowBytes, or a
// failure to read.
func (r *Reader) Read() (*Row, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		row, err := r.next()
		if err != nil {
			r.err = err
			return nil, err
		}
		if row != nil {
			r.rows++
			return row, nil
		}
		r.blank++
	}
}

// next reads one record and returns it as a row, or nil for a blank one.
func (r *Reader) next() (*Row, error) {
	cells, err := r.cr.Read()
	r.mark()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.Is(err, errRowTooLong):
		return nil, crossguard.Errorf(crossguard.EINVALID,
			"line %d: a row longer than %d MiB: a quote that is never closed makes the rest of the file one cell, or this is not a CSV file",
			r.last+1, MaxRowBytes>>20)
	case errors.As(err, &pe) && pe.Err == csv.ErrFieldCount:
		row := r.position(cells)
		row.Err = &RowError{Line: row.Line, Fields: []crossguard.FieldError{{Field: "row",
			Message: fmt.Sprintf("has %d cells, but the header has %d columns", len(cells), r.layout.Width())}}}
		return row, nil
	case pe != nil:
		line := int64(pe.StartLine)
		r.last = int64(pe.Line)
		return &Row{Line: line, EndLine: int64(pe.Line),
			Err: &RowError{Line: line, Fields: []crossguard.FieldError{{Field: "csv", Message: csvMessage(pe)}}}}, nil
	case err != nil:
		return nil, fmt.Errorf("read declarations: %w", err)
	}
	row := r.position(cells)
	if blank(cells) {
		return nil, nil
	}
	d, label, problems := r.layout.Row(cells)
	if problems != nil {
		row.Err = &RowError{Line: row.Line, Fields: problems}
		return row, nil
	}
	row.Declaration, row.Label = d, label
	return row, nil
}

// position returns a row of cells with the lines it spans.
func (r *Reader) position(cells []string) *Row {
	line, _ := r.cr.FieldPos(0)
	last, _ := r.cr.FieldPos(len(cells) - 1)
	end := int64(last + strings.Count(cells[len(cells)-1], "\n"))
	r.last = end
	return &Row{Line: int64(line), EndLine: end, Cells: cells}
}

// mark records that everything up to the end of the last record was read,
// for the bound on a record's length.
func (r *Reader) mark() { r.lim.mark = r.base + r.cr.InputOffset() }

// blank reports whether every cell of a row is empty or spaces.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// csvMessage explains a CSV syntax error in words a spreadsheet user can
// act on.
func csvMessage(pe *csv.ParseError) string {
	switch pe.Err {
	case csv.ErrBareQuote:
		return fmt.Sprintf("a quote (\") inside a cell that does not start with one (line %d, column %d): quote the whole cell and double the quotes inside it", pe.Line, pe.Column)
	case csv.ErrQuote:
		return fmt.Sprintf("a quoted cell is not closed properly (line %d, column %d): a quote inside a quoted cell must be doubled (\"\")", pe.Line, pe.Column)
	}
	return pe.Err.Error()
}

// errRowTooLong is returned by limitedReader past MaxRowBytes.
var errRowTooLong = errors.New("row too long")

// limitedReader fails once more than MaxRowBytes have been read past
// mark, the end of the last complete record.
type limitedReader struct {
	r    io.Reader
	read int64
	mark int64
}

// Read implements io.Reader.
func (l *limitedReader) Read(p []byte) (int, error) {
	if l.read-l.mark > MaxRowBytes {
		return 0, errRowTooLong
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
