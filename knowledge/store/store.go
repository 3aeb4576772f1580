// Package store keeps the knowledge base in the gateway's database
// (knowledge/sqldb): every KB version in full (units, old→new mappings,
// older names, district aliases, procedures, land registration branches)
// with who saved it and why, the editors' shared draft and the audit log.
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

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
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

// New applies the knowledge base's migrations to db (opened by
// sqldb.Open) and returns a Store on it.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqldb.Migrate(ctx, db, migrationFiles(), "knowledge"); err != nil {
		return nil, fmt.Errorf("knowledge store: %w", err)
	}
	return &Store{db: db, Now: time.Now}, nil
}
