package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"
)

// Migrate applies, in name order, the *.sql files at the root of fsys that
// are not yet recorded for namespace in schema_migrations. Each file runs in
// its own transaction with its record, so a failed file leaves no trace and
// concurrent callers apply each file once. Store packages each use their
// own namespace ("knowledge", "bot").
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS, namespace string) error {
	if namespace == "" {
		return errors.New("migrate: empty namespace")
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		namespace  TEXT NOT NULL,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL,
		PRIMARY KEY (namespace, name)
	)`); err != nil {
		return fmt.Errorf("migrate %s: %w", namespace, err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("migrate %s: %w", namespace, err)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := migrateFile(ctx, db, fsys, namespace, name); err != nil {
			return fmt.Errorf("migrate %s/%s: %w", namespace, name, err)
		}
	}
	return nil
}

func migrateFile(ctx context.Context, db *sql.DB, fsys fs.FS, namespace, name string) error {
	script, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	applied := false
	err = InTx(ctx, db, nil, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx,
			`SELECT COUNT(*) FROM schema_migrations WHERE namespace = ? AND name = ?`,
			namespace, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(script)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO schema_migrations (namespace, name, applied_at) VALUES (?, ?, ?)`,
			namespace, name, time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z07:00")); err != nil {
			return err
		}
		applied = true
		return nil
	})
	if err == nil && applied {

	}
	return err
}
