package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"modernc.org/sqlite"

	"github.com/jackc/pgx/v5/pgconn"
)

// InTx runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise. Every store of the gateway's database uses it.
//
// The stores' read-then-write transactions were written for SQLite, where
// they run one at a time. On Postgres a transaction without options runs
// SERIALIZABLE, which keeps that meaning, and one that Postgres aborts as
// a serialization failure or a deadlock is run again (at most
// maxAttempts times): fn must not keep state from a failed attempt.
func InTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	if !IsPostgres(db) {
		return inTx(ctx, db, opts, fn)
	}
	if opts == nil {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	var err error
	for attempt := range maxAttempts {
		if err = inTx(ctx, db, opts, fn); !retryable(err) {
			return err
		}
		// A short random wait, longer each time, so that the transactions
		// that collided do not collide again.
		wait := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 6)))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
	return err
}

// maxAttempts bounds the runs of a Postgres transaction that keeps
// meeting concurrent ones.
const maxAttempts = 20

func inTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the error from fn is the one that matters
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// retryable reports a Postgres serialization failure or deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// IsUniqueViolation reports an insert or update refused by a unique index
// or constraint, on SQLite or Postgres.
func IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && (se.Code() == sqliteConstraintUnique || se.Code() == sqliteConstraintPrimaryKey)
}

// SQLite's extended result codes for a unique violation.
const (
	sqliteConstraintUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE
	sqliteConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
)
