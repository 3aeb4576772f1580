package staffstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Attempt returns the key's failures and the end of its lock (zero: not
// locked); a key without a row counts zero.
func (s *Store) Attempt(ctx context.Context, key string) (int, time.Time, error) {
	var (
		failures int
		locked   sql.NullString
	)
	err := s.q.QueryRowContext(ctx, `SELECT failures, locked_until FROM staff_login_attempts WHERE key = ?`, key).
		Scan(&failures, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("staffstore: attempt: %w", err)
	}
	if !locked.Valid {
		return failures, time.Time{}, nil
	}
	until, err := sqldb.ParseInstant(locked.String)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("staffstore: attempt: %w", err)
	}
	return failures, until, nil
}

// SetFailures sets the key's failures and lifts its lock.
func (s *Store) SetFailures(ctx context.Context, key string, failures int) error {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO staff_login_attempts (key, failures, locked_until) VALUES (?, ?, NULL)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = NULL`, key, failures); err != nil {
		return fmt.Errorf("staffstore: set failures: %w", err)
	}
	return nil
}

// AddLock zeroes the key's failures and returns its locks in a row, this
// one included. A key without a row is an error.
func (s *Store) AddLock(ctx context.Context, key string) (int, error) {
	var locks int
	if err := s.q.QueryRowContext(ctx, `UPDATE staff_login_attempts SET failures = 0, locks = locks + 1
		WHERE key = ? RETURNING locks`, key).Scan(&locks); err != nil {
		return 0, fmt.Errorf("staffstore: add lock: %w", err)
	}
	return locks, nil
}

// LockUntil locks the key until the instant.
func (s *Store) LockUntil(ctx context.Context, key string, until time.Time) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE staff_login_attempts SET locked_until = ? WHERE key = ?`,
		sqldb.FormatInstant(until), key); err != nil {
		return fmt.Errorf("staffstore: lock: %w", err)
	}
	return nil
}

// ForgiveFailure takes one failure off the key's count, not below 0.
func (s *Store) ForgiveFailure(ctx context.Context, key string) error {
	// CASE rather than SQLite's two-argument MAX: portable to Postgres.
	if _, err := s.q.ExecContext(ctx, `UPDATE staff_login_attempts
		SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = ?`, key); err != nil {
		return fmt.Errorf("staffstore: forgive failure: %w", err)
	}
	return nil
}

// ClearAttempt forgets the key.
func (s *Store) ClearAttempt(ctx context.Context, key string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM staff_login_attempts WHERE key = ?`, key); err != nil {
		return fmt.Errorf("staffstore: clear attempt: %w", err)
	}
	return nil
}

// ClearAttempts forgets every key that starts with prefix.
func (s *Store) ClearAttempts(ctx context.Context, prefix string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM staff_login_attempts WHERE key LIKE ? ESCAPE '\'`,
		escapeLike(prefix)+"%"); err != nil {
		return fmt.Errorf("staffstore: clear attempts: %w", err)
	}
	return nil
}
