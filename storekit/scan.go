package storekit

// Scan reads the columns of one row into dest, as the Scan method of a
// row of either store does: (*sql.Row).Scan and (*sql.Rows).Scan for
// sqlite, pgx.Row.Scan and pgx.Rows.Scan for postgres. The scanners of
// this package take one, so that each store keeps only its query.
type Scan = func(dest ...any) error

// Rows is what ScanAll needs of a result set; *sql.Rows and pgx.Rows both
// have it. The caller still closes the rows.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ScanAll reads every remaining row of rows with scan and returns the
// values in order, an empty (not nil) slice when there are none. It stops
// at the first error of scan or of the rows.
func ScanAll[T any](rows Rows, scan func(Scan) (T, error)) ([]T, error) {
	out := []T{}
	for rows.Next() {
		v, err := scan(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// All returns a reader of every remaining row with scan (see ScanAll),
// for a store's function that runs a query and reads its rows.
func All[T any](scan func(Scan) (T, error)) func(Rows) ([]T, error) {
	return func(rows Rows) ([]T, error) { return ScanAll(rows, scan) }
}

// ScanOne reads a row of a single column.
func ScanOne[T any](scan Scan) (T, error) {
	var v T
	err := scan(&v)
	return v, err
}
