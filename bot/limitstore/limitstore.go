// Package limitstore keeps the rate limits' counters in the database, so
// that gateways sharing one (Postgres) count a sender or a client address
// together instead of each up to the limit. One statement per event, the
// same SQL on SQLite and Postgres, atomic under concurrency (an upsert
// whose new values are computed from the row it replaces). The rules stay
// in bot/flood and handlers/ratelimit; this is their shared memory.
package limitstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the counters' table pair.
type Store struct{ db *sql.DB }

// New applies the "limits" migrations on db and returns the store.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("limitstore: nil database")
	}
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations", "limits"); err != nil {
		return nil, fmt.Errorf("limitstore: %w", err)
	}
	return &Store{db: db}, nil
}

// Hit counts one event of key in a fixed window of length window that
// starts at the key's first event after the previous window ended, and
// returns the events counted in the current window (this one included)
// and when it started.
func (s *Store) Hit(ctx context.Context, key string, now time.Time, window time.Duration) (n int, start time.Time, err error) {
	nowMS := now.UnixMilli()
	expired := nowMS - window.Milliseconds() // a window that started by then has ended
	var startMS int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO rate_windows (key, start_ms, n) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			n = CASE WHEN rate_windows.start_ms <= ? THEN 1 ELSE rate_windows.n + 1 END,
			start_ms = CASE WHEN rate_windows.start_ms <= ? THEN excluded.start_ms ELSE rate_windows.start_ms END
		RETURNING n, start_ms`, key, nowMS, expired, expired).Scan(&n, &startMS)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("limitstore: hit %q: %w", key, err)
	}
	return n, time.UnixMilli(startMS), nil
}

// Take takes a token from key's bucket of burst tokens refilled one per
// every (GCRA: the bucket is the time at which it would be full again).
// When none is left nothing is taken, and retryAfter is how long until
// one is.
func (s *Store) Take(ctx context.Context, key string, now time.Time, burst int, every time.Duration) (ok bool, retryAfter time.Duration, err error) {
	nowMS, everyMS := now.UnixMilli(), every.Milliseconds()
	limit := int64(burst) * everyMS // the most a bucket may owe
	// The new arrival time is max(tat, now) + every; taken only while it is
	// within limit of now. No row back: refused.
	var tat int64
	err = s.db.QueryRowContext(ctx, `INSERT INTO rate_buckets (key, tat_ms) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET
			tat_ms = CASE WHEN rate_buckets.tat_ms > ? THEN rate_buckets.tat_ms ELSE ? END + ?
		WHERE CASE WHEN rate_buckets.tat_ms > ? THEN rate_buckets.tat_ms ELSE ? END + ? - ? <= ?
		RETURNING tat_ms`,
		key, nowMS+everyMS, nowMS, nowMS, everyMS, nowMS, nowMS, everyMS, nowMS, limit).Scan(&tat)
	if err == nil {
		return true, 0, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, 0, fmt.Errorf("limitstore: take %q: %w", key, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT tat_ms FROM rate_buckets WHERE key = ?`, key).Scan(&tat); err != nil {
		return false, 0, fmt.Errorf("limitstore: take %q: %w", key, err)
	}
	wait := max(tat, nowMS) + everyMS - nowMS - limit
	return false, time.Duration(max(wait, 1)) * time.Millisecond, nil
}

// Prune forgets the windows that started before before and the buckets
// full again by then: before must be at least the longest window ago (a
// window forgotten early would start again from zero).
func (s *Store) Prune(ctx context.Context, before time.Time) error {
	ms := before.UnixMilli()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM rate_windows WHERE start_ms < ?`, ms); err != nil {
		return fmt.Errorf("limitstore: prune windows: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM rate_buckets WHERE tat_ms < ?`, ms); err != nil {
		return fmt.Errorf("limitstore: prune buckets: %w", err)
	}
	return nil
}
