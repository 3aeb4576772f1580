package store

import (
	"context"
	"database/sql"
	"fmt"
)

// insertRows runs the prepared insert once per row; args returns row i's
// arguments.
func insertRows(ctx context.Context, tx *sql.Tx, query string, n int, args func(i int) ([]any, error)) error {
	if n == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := range n {
		a, err := args(i)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		if _, err := stmt.ExecContext(ctx, a...); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return nil
}

// queryRows runs query (one ? for the version) and scans every row.
func queryRows[T any](ctx context.Context, tx *sql.Tx, query string, version int, scan func(*sql.Rows) (T, error)) ([]T, error) {
	rows, err := tx.QueryContext(ctx, query, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
