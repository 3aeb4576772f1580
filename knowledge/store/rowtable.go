package store

import (
	"context"
	"database/sql"

	"fmt"
	"strings"
)

// rowTable is one per-version table of editable records, keyed within a
// version by one column: the SQL to save, load, read, upsert and delete
// its rows, built from its column list.
type rowTable[E any] struct {
	name   string
	cols   []string // after version and seq; the key among them
	key    string
	values func(E) ([]any, error) // in cols order
	scan   func(*sql.Rows) (E, error)
}

func (t rowTable[E]) colList() string { return strings.Join(t.cols, ", ") }

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func (t rowTable[E]) save(ctx context.Context, tx *sql.Tx, version int, rows []E) error {
	return insertRows(ctx, tx, fmt.Sprintf(`INSERT INTO %s (version, seq, %s) VALUES (?, ?, %s)`,
		t.name, t.colList(), placeholders(len(t.cols))),
		len(rows), func(i int) ([]any, error) {
			v, err := t.values(rows[i])
			if err != nil {
				return nil, err
			}
			return append([]any{version, i}, v...), nil
		})
}

func (t rowTable[E]) load(ctx context.Context, tx *sql.Tx, version int) ([]E, error) {
	return queryRows(ctx, tx, fmt.Sprintf(`SELECT %s FROM %s WHERE version = ? ORDER BY seq`,
		t.colList(), t.name), version, t.scan)
}

// get returns the row with this key; found is false when there is none.
func (t rowTable[E]) get(ctx context.Context, tx *sql.Tx, version int, key string) (e E, found bool, err error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE version = ? AND %s = ?`,
		t.colList(), t.name, t.key), version, key)
	if err != nil {
		return e, false, err
	}
	defer rows.Close()
	if rows.Next() {
		e, err = t.scan(rows)
		return e, err == nil, err
	}
	return e, false, rows.Err()
}

// upsert updates the row with e's key in place (keeping its position), or
// appends it after the version's last row.
func (t rowTable[E]) upsert(ctx context.Context, tx *sql.Tx, version int, key string, e E) error {
	vals, err := t.values(e)
	if err != nil {
		return err
	}
	sets := make([]string, len(t.cols))
	for i, c := range t.cols {
		sets[i] = c + " = ?"
	}
	res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s WHERE version = ? AND %s = ?`,
		t.name, strings.Join(sets, ", "), t.key), append(vals, version, key)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s (version, seq, %s)
		SELECT ?, COALESCE(MAX(seq), -1) + 1, %s FROM %s WHERE version = ?`,
		t.name, t.colList(), placeholders(len(t.cols)), t.name), append(append([]any{version}, vals...), version)...)
	return err
}

// delete removes the row with this key; ErrNotFound when there is none.
func (t rowTable[E]) delete(ctx context.Context, tx *sql.Tx, version int, key string) error {
	res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE version = ? AND %s = ?`, t.name, t.key), version, key)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// replace rewrites every row of a version.
func (t rowTable[E]) replace(ctx context.Context, tx *sql.Tx, version int, rows []E) error {
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE version = ?`, t.name), version); err != nil {
		return err
	}
	return t.save(ctx, tx, version, rows)
}

// scanLists decodes JSON list columns scanned as text.
func scanLists(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		text, dst := pairs[i].(string), pairs[i+1].(*[]string)
		v, err := decodeList(text)
		if err != nil {
			return err
		}
		*dst = v
	}
	return nil
}
