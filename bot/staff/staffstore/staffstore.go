// Package staffstore keeps the staff directory's data — users and their
// units, login sessions and login attempt counters — in the gateway's one
// database. It is bot/staff's Store: the rules (roles, password checks,
// lockout, sessions' lifetimes) stay in bot/staff, only the SQL is here.
// Its migrations keep the namespace "staff" they had in bot/staff, so
// existing databases apply nothing again.
package staffstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is the staff directory's data on a database, or in one of its
// transactions (InTx).
type Store struct {
	db *sql.DB // nil when bound to a transaction
	q  querier
}

var _ staff.Store = (*Store)(nil)

// New applies the staff migrations to db and returns the store on it.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if db == nil {
		return nil, errors.New("staffstore: nil database")
	}
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations", "staff"); err != nil {
		return nil, fmt.Errorf("staffstore: %w", err)
	}
	return &Store{db: db, q: db}, nil
}

// InTx runs fn in one transaction on a Store bound to it (staff.Store).
func (s *Store) InTx(ctx context.Context, fn func(staff.Store) error) error {
	return s.inTx(ctx, func(t *Store) error { return fn(t) })
}

// inTx runs fn in a new transaction, or in the current one when s is
// bound to a transaction already.
func (s *Store) inTx(ctx context.Context, fn func(*Store) error) error {
	if s.db == nil {
		return fn(s)
	}
	return sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error { return fn(&Store{q: tx}) })
}

// isUniqueViolation recognises a unique-constraint error of SQLite or
// Postgres (a concurrent Create from another process).
func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "duplicate key value")
}

// escapeLike escapes LIKE's wildcards in s.
func escapeLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}
