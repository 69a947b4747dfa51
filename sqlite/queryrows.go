package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"crossguard/storekit"
)

// rowsQuerier runs a query: the read pool, or a transaction.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryRows runs q with args on db and returns what read makes of its
// rows (a storekit reader, such as storekit.All of a scanner); what names
// the query in its errors.
func queryRows[T any](ctx context.Context, db rowsQuerier, what string, read func(storekit.Rows) (T, error), q string, args ...any) (T, error) {
	var zero T
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	v, err := read(rows)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", what, err)
	}
	return v, nil
}
