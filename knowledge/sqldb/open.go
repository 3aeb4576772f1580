// Package sqldb opens the gateway's one SQLite database (WAL, foreign
// keys, a busy timeout, an integrity check at open) and holds the helpers
// every store package shares: Migrate (per-namespace migration files),
// InTx and the write probe behind /readyz. It knows no table of its own
// but the migration record and the probe row; the stores (knowledge/store,
// bot/store, bot/outbox, bot/chanstore, bot/staff/staffstore, …) apply
// their own migrations on it.
package sqldb

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
// path, with WAL, foreign keys and a busy timeout on every connection,
// after SQLite's quick integrity check. The directory must exist and be
// writable. The store packages share the returned *sql.DB.
func Open(ctx context.Context, path string, opts ...Option) (*sql.DB, error) {
	if err := checkPath(path); err != nil {
		return nil, fmt.Errorf("sqldb: open %q: %w", path, err)
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	db, err := sql.Open("sqlite", dsn(path, o))
	if err != nil {
		return nil, fmt.Errorf("sqldb: open %q: %w", path, err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxOpenConns)
	db.SetConnMaxIdleTime(10 * time.Minute)
	if err := setUp(ctx, db); err != nil {
		_ = db.Close() // the set-up error is the one to report
		return nil, fmt.Errorf("sqldb: open %q: %w", path, err)
	}
	return db, nil
}

// Option configures Open.
type Option func(*options)

type options struct{ manualCheckpoints bool }

// ManualCheckpoints turns SQLite's automatic checkpoint off on the pool:
// the commit that takes the WAL past 1,000 pages no longer copies them
// into the database file (and syncs it) while its caller waits — that
// was the webhook's p99. Run Checkpoints on the same file, or the WAL
// grows until the pool is closed.
func ManualCheckpoints() Option { return func(o *options) { o.manualCheckpoints = true } }

// dsn is the data source name of every connection to path.
func dsn(path string, o options) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A WAL that grew under a burst is cut back to this size when it
	// restarts from its beginning (after a complete checkpoint); above
	// Checkpoints' restart size, so that a restart in a burst does not
	// also truncate the file while the writers wait.
	q.Add("_pragma", fmt.Sprintf("journal_size_limit(%d)", walSizeLimit))
	if o.manualCheckpoints {
		q.Add("_pragma", "wal_autocheckpoint(0)")
	}
	q.Set("_txlock", "immediate")
	return path + "?" + q.Encode()
}

// walSizeLimit is the WAL file's size kept after a restart of the log:
// a little above what Checkpoints lets it grow to, so the file stays
// bounded (about 140 MB at most) and a restart never truncates it while
// the writers wait.
const walSizeLimit = 160 << 20

func setUp(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("first query: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	if err := quickCheck(ctx, db); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, probeTableSQL)
	return err
}

// probeTableSQL is the one row ProbeWrite rewrites (a KB migration created
// it in databases from before this package).
const probeTableSQL = `CREATE TABLE IF NOT EXISTS health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
)`

// ErrCorrupt is returned when the database file fails SQLite's integrity
// check: the gateway refuses to start on it rather than serve and fail
// most writes.
var ErrCorrupt = errors.New("the database file is damaged")

// quickCheck runs PRAGMA quick_check (pages, records and index order,
// linear in the file's size: milliseconds for this gateway's databases).
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w (%s): restore it from a backup, or move it away to start with a fresh one", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
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

// ProbeWrite rewrites one row: an error means the database cannot take
// writes now (a full disk, a read-only or damaged file).
func ProbeWrite(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `INSERT INTO health_probe (id, at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("sqldb: write probe: %w", err)
	}
	return nil
}
