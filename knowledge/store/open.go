package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Pool settings. SQLite has one writer at a time. With one connection the
// waiting happens in database/sql's queue, in order, instead of in SQLite's
// busy handler, which sleeps in growing steps (up to 100 ms) and made the
// tail latency of the chat API several times worse under load. Statements
// are short, so readers lose little. _txlock=immediate and busyTimeout
// still guard against other processes opening the same file.
const (
	maxOpenConns = 1
	busyTimeout  = 10 * time.Second
)

// Open opens (creating if needed) the gateway's SQLite database file at
// path, with WAL, foreign keys and a busy timeout on every connection, and
// applies the knowledge base's migrations. The directory must exist and be
// writable. Other store packages reuse the returned *sql.DB.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxOpenConns)
	db.SetConnMaxIdleTime(10 * time.Minute)
	if err := setUp(ctx, db); err != nil {
		_ = db.Close() // the set-up error is the one to report
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	return db, nil
}

func setUp(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("first query: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	return Migrate(ctx, db, migrationFiles(), "knowledge")
}

// checkPath gives a clear error for what SQLite would report as "unable to
// open database file": a missing or read-only directory.
func checkPath(path string) error {
	if path == "" || strings.HasPrefix(path, ":") || strings.HasPrefix(path, "file:") {
		return errors.New("want the path of a database file")
	}
	if strings.ContainsAny(path, "?#") {
		return errors.New("the path must not contain '?' or '#'")
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("directory %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	// WAL needs to create the -wal and -shm files next to the database.
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("directory %s is not writable (SQLite keeps the database and its WAL there): %w", dir, err)
	}
	_ = f.Close()
	_ = os.Remove(f.Name()) // best effort: an empty probe file is harmless
	return nil
}
