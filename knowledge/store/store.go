// Package store owns the SQLite database file of the gateway and, in it,
// the knowledge base: every KB version in full (units, old→new mappings,
// older names, district aliases, procedures, land registration branches)
// with who saved it and why. It also owns the migration helper that other
// store packages (bot/store) use for their own tables.
//
// The SQL is kept portable to Postgres: ? placeholders, TEXT/INTEGER/BOOLEAN
// columns, dates and instants as fixed-format UTC text, lists as JSON text.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNoVersion is returned when the KB version asked for does not exist
// (or, for Latest, when no version is published yet).
var ErrNoVersion = errors.New("no such knowledge base version")

// Version statuses. SaveVersion publishes; editors can archive a bad version
// to roll back to the previous published one.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusArchived  = "archived"
)

// Store reads and writes KB versions.
type Store struct {
	db *sql.DB
	// Now is the clock used for created_at; tests may replace it.
	Now func() time.Time
}

// New returns a Store on a database opened (and migrated) by Open.
func New(db *sql.DB) *Store {
	return &Store{db: db, Now: time.Now}
}

// InTx runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise. Every store of the gateway's database uses it.
func InTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
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
