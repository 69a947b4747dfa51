package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"crossguard"
)

// maxRecordBytes bounds one CSV record. No valid row comes near it (a
// narrative is at most 10,000 bytes); a record this long means a quote
// that never closes or a file that is not CSV, and reading on would hold
// the rest of the file in memory.
const maxRecordBytes = 1 << 20

// errRecordTooLong is returned by the source for a record longer than
// maxRecordBytes.
var errRecordTooLong = errors.New("record too long")

// source reads the records of a CSV file with encoding/csv, keeping track
// of where each record is in the file so that messages can name its lines
// and the rejects file can hold its text.
type source struct {
	f      *os.File
	base   int64 // bytes skipped before the CSV text (a UTF-8 BOM)
	lim    *limitedReader
	cr     *csv.Reader
	offset int64 // end of the last record, relative to base
}

// record is one record read from the source. Cells is nil for a record
// that encoding/csv could not parse: err is then the *csv.ParseError and
// raw the record's text. For a record with the wrong number of cells err
// is the ParseError and cells holds the cells. The cells slice is reused
// by the next call to next; the strings in it are not.
type record struct {
	cells     []string
	raw       string
	line, end int64 // first and last physical line, counting from 1
	err       error
}

// sniff checks the start of a file for encodings and formats that are not
// CSV in UTF-8 and returns how many bytes of byte-order mark to skip.
func sniff(f *os.File, name string) (int64, error) {
	head := make([]byte, 1024)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	head = head[:n]
	refuse := func(why string) error {
		return crossguard.Errorf(crossguard.EINVALID, "%s %s; nothing was imported", name, why)
	}
	switch {
	case n == 0:
		return 0, refuse("is empty: expected a header row and rows of seizures")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return 0, refuse("is in UTF-16: save it as UTF-8 (in Excel: Save As, \"CSV UTF-8\")")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return 0, refuse("is a zip file, probably an Excel workbook (.xlsx): save it as CSV UTF-8")
	case bytes.IndexByte(head, 0) >= 0:
		return 0, refuse("contains NUL bytes: it is in UTF-16 or UTF-32 without a byte-order mark, or not a text file; save it as CSV UTF-8")
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return 3, nil
	}
	return 0, nil
}

// newSource returns a source reading f from base, a byte offset after any
// byte-order mark.
func newSource(f *os.File, base int64) (*source, error) {
	if _, err := f.Seek(base, io.SeekStart); err != nil {
		return nil, fmt.Errorf("seek: %w", err)
	}
	lim := &limitedReader{r: f}
	cr := csv.NewReader(bufio.NewReaderSize(lim, 64<<10))
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	return &source{f: f, base: base, lim: lim, cr: cr}, nil
}

// next returns the next record, or io.EOF after the last. Any other error
// means the file cannot be read further.
func (s *source) next() (record, error) {
	start := s.offset
	cells, err := s.cr.Read()
	s.offset = s.cr.InputOffset()
	s.lim.mark = s.offset
	if err == io.EOF {
		return record{}, io.EOF
	}
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errRecordTooLong):
		line, _ := s.lineAt(start)
		return record{}, crossguard.Errorf(crossguard.EINVALID,
			"line %d: a row of more than %d MiB: a quote that is never closed makes the rest of the file one cell, or this is not a CSV file; the rows before it were imported",
			line, maxRecordBytes>>20)
	case err == nil, errors.As(err, &pe) && pe.Err == csv.ErrFieldCount:
		line, _ := s.cr.FieldPos(0)
		lastLine, _ := s.cr.FieldPos(len(cells) - 1)
		end := int64(lastLine + strings.Count(cells[len(cells)-1], "\n"))
		return record{cells: cells, line: int64(line), end: end, err: err}, nil
	case pe != nil:
		raw, rerr := s.raw(start)
		if rerr != nil {
			return record{}, rerr
		}
		return record{raw: raw, line: int64(pe.StartLine), end: int64(pe.Line), err: pe}, nil
	default:
		return record{}, fmt.Errorf("read csv: %w", err)
	}
}

// lineAt returns the line number of the first line after the offset
// (relative to base), counting the lines from the start. It reads the file
// again and is meant only for rare messages.
func (s *source) lineAt(offset int64) (int, error) {
	r := io.NewSectionReader(s.f, s.base, offset)
	buf := make([]byte, 64<<10)
	lines := 1
	for {
		n, err := r.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		if err == io.EOF {
			return lines, nil
		} else if err != nil {
			return lines, err
		}
	}
}

// raw returns the text of the record that ended at the current offset and
// started at start, without the line break that ends it or the empty
// lines before it. It is used only for records that could not be parsed.
func (s *source) raw(start int64) (string, error) {
	b := make([]byte, s.offset-start)
	if _, err := s.f.ReadAt(b, s.base+start); err != nil && err != io.EOF {
		return "", fmt.Errorf("read row text: %w", err)
	}
	return strings.Trim(string(b), "\r\n"), nil
}

// done returns how many bytes of the file have been read, the byte-order
// mark included.
func (s *source) done() int64 { return s.base + s.offset }

// limitedReader fails once more than maxRecordBytes have been read past
// mark, the end of the last complete record.
type limitedReader struct {
	r    io.Reader
	read int64
	mark int64
}

// Read implements io.Reader.
func (l *limitedReader) Read(p []byte) (int, error) {
	if l.read-l.mark > maxRecordBytes {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
