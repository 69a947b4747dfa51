package importer

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
)

// rejectsFile is the CSV file of rejected rows: the input's header with an
// error column, then each rejected row with its cells as they were read
// and the reason. It is created when the first row is rejected. Rows that
// encoding/csv could not split into cells are written with their whole
// text in the first cell, so that the rejects file is always valid CSV and
// can be read back to resume an interrupted import.
type rejectsFile struct {
	path   string
	header []string // the rejects file's header
	errIdx int      // index of the error cell in header
	bom    bool     // write a UTF-8 byte-order mark, as the input had one
	f      *os.File
	bw     *bufio.Writer
	cw     *csv.Writer
	count  int64 // rows in the file
	row    []string
}

// newRejectsFile describes the rejects file at path for an input with
// layout l. A header that already has an error column (a rejects file
// being imported again) keeps it in place; otherwise one is added at the
// end.
func newRejectsFile(path string, l *layout, bom bool) *rejectsFile {
	r := &rejectsFile{path: path, header: slices.Clone(l.header), errIdx: l.errorIdx, bom: bom}
	if r.errIdx < 0 {
		r.errIdx = len(r.header)
		r.header = append(r.header, errorColumn)
	}
	return r
}

// create starts an empty rejects file, replacing any file at its path.
func (r *rejectsFile) create() error {
	f, err := os.Create(r.path)
	if err != nil {
		return fmt.Errorf("create rejects file: %w", err)
	}
	r.attach(f)
	if r.bom {
		r.bw.WriteString("\ufeff")
	}
	if err := r.cw.Write(r.header); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	return nil
}

// attach sets up buffered CSV writing to f.
func (r *rejectsFile) attach(f *os.File) {
	r.f = f
	r.bw = bufio.NewWriterSize(f, 64<<10)
	r.cw = csv.NewWriter(r.bw) // writes straight into bw, which is big enough
}

// writeRow writes a rejected row: its cells and the error text.
func (r *rejectsFile) writeRow(cells []string, msg string) error {
	r.row = append(r.row[:0], cells...)
	if len(cells) == len(r.header) && r.errIdx < len(cells) {
		r.row[r.errIdx] = msg
	} else {
		r.row = append(r.row, msg)
	}
	return r.write(r.row)
}

// writeText writes a row that could not be split into cells: its text in
// the first cell (the second if the first is the error column), the other
// cells empty and the error text.
func (r *rejectsFile) writeText(text, msg string) error {
	r.row = append(r.row[:0], make([]string, len(r.header))...)
	at := 0
	if r.errIdx == 0 {
		at = 1
	}
	r.row[at] = text
	r.row[r.errIdx] = msg
	return r.write(r.row)
}

// write writes one row, creating the file first if needed.
func (r *rejectsFile) write(row []string) error {
	if r.f == nil {
		if err := r.create(); err != nil {
			return err
		}
	}
	if err := r.cw.Write(row); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	r.count++
	return nil
}

// flush hands what is buffered to the operating system, so that it
// survives the process being killed.
func (r *rejectsFile) flush() error {
	if r.f == nil {
		return nil
	}
	r.cw.Flush()
	if err := r.cw.Error(); err != nil {
		return fmt.Errorf("write rejects file: %w", err)
	}
	return nil
}

// close flushes the file, syncs it to disk if sync is set, and closes it.
func (r *rejectsFile) close(sync bool) error {
	if r.f == nil {
		return nil
	}
	err := r.flush()
	if sync && err == nil {
		err = r.f.Sync()
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f = nil
	if err != nil {
		return fmt.Errorf("close rejects file: %w", err)
	}
	return nil
}

// remove deletes the file at the rejects path, if there is one.
func (r *rejectsFile) remove() error {
	if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove old rejects file: %w", err)
	}
	return nil
}

// restore prepares the rejects file to resume an import whose committed
// progress counted keep rejected rows, all on lines up to lastLine: it
// keeps the first keep rows of the existing file, which an earlier run
// wrote before committing that progress, and cuts off the rows after
// them, which were written for lines that will be read again. It reports
// false, leaving the file alone, if the file does not hold those rows (it
// was removed, edited or belongs to another import).
func (r *rejectsFile) restore(keep, lastLine int64) (bool, error) {
	if keep == 0 {
		return true, r.remove()
	}
	f, err := os.OpenFile(r.path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("open rejects file: %w", err)
	}
	end, ok := r.scan(f, keep, lastLine)
	if !ok {
		f.Close()
		return false, nil
	}
	if err := f.Truncate(end); err != nil {
		f.Close()
		return false, fmt.Errorf("truncate rejects file: %w", err)
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		f.Close()
		return false, fmt.Errorf("seek rejects file: %w", err)
	}
	r.attach(f)
	r.count = keep
	return true, nil
}

// scan reads the header and the first keep rows of an existing rejects
// file, checking that the header is this import's and that every row's
// error names a line up to lastLine, and returns the byte offset after
// the last of them.
func (r *rejectsFile) scan(f *os.File, keep, lastLine int64) (int64, bool) {
	base := int64(0)
	if r.bom {
		base = 3
		bom := make([]byte, 3)
		if _, err := io.ReadFull(f, bom); err != nil || string(bom) != "\ufeff" {
			return 0, false
		}
	}
	cr := csv.NewReader(bufio.NewReader(f))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil || !slices.Equal(header, r.header) {
		return 0, false
	}
	for range keep {
		row, err := cr.Read()
		if err != nil {
			return 0, false
		}
		if line, ok := r.rowLine(row); !ok || line > lastLine {
			return 0, false
		}
	}
	return base + cr.InputOffset(), true
}

// rowLine returns the input line number a rejects row's error text starts
// with ("line 12: ...").
// The error is in the error column, or last in a row of another width.
func (r *rejectsFile) rowLine(row []string) (int64, bool) {
	for _, msg := range []string{cellAt(row, r.errIdx), row[len(row)-1]} {
		rest, ok := strings.CutPrefix(msg, "line ")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ":")
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			return n, true
		}
	}
	return 0, false
}

// cellAt returns row[i], or "" if row is shorter.
func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
