package refdata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
)

// readCSV parses an embedded CSV file whose first row must be header, and
// returns the data rows. A leading UTF-8 byte order mark is ignored. Any
// defect panics, naming the file and line: embedded data is part of the
// build, so a bad file is a programming error, not a run-time condition.
func readCSV(name string, data []byte, header ...string) [][]string {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(header)
	first, err := r.Read()
	if err != nil {
		panic(fmt.Sprintf("refdata: embedded %s: reading header: %v", name, err))
	}
	if !slices.Equal(first, header) {
		panic(fmt.Sprintf("refdata: embedded %s: header is %q, expected %q", name, first, header))
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			panic(fmt.Sprintf("refdata: embedded %s: %v", name, err))
		}
		rows = append(rows, rec)
	}
}

// csvPanic panics with a message about one data row of an embedded file.
// Row numbers count the header as row 1.
func csvPanic(name string, row int, format string, args ...any) {
	panic(fmt.Sprintf("refdata: embedded %s, row %d: %s", name, row, fmt.Sprintf(format, args...)))
}
