package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// openDatabase opens the gateway's database: Postgres at DATABASE_URL, or
// else the SQLite file under DATA_DIR (created when missing; opts apply
// to it).
func openDatabase(ctx context.Context, cfg Config, opts ...sqldb.Option) (*sql.DB, error) {
	if cfg.DatabaseURL != "" {
		return sqldb.OpenPostgres(ctx, cfg.DatabaseURL)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqldb.Open(ctx, filepath.Join(cfg.DataDir, dbFile), opts...)
}

// openExistingDatabase is openDatabase for the commands that read what a
// gateway wrote (outbox, channels check): a SQLite file that is not there
// yet is an error wrapping fs.ErrNotExist, not a new empty database.
func openExistingDatabase(ctx context.Context, cfg Config) (*sql.DB, error) {
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, dbFile)); err != nil {
			return nil, fmt.Errorf("no gateway database: %w", err)
		}
	}
	return openDatabase(ctx, cfg)
}

// databaseName names the gateway's database for messages: the SQLite
// file's path, or DATABASE_URL without its password.
func (c Config) databaseName() string {
	if c.DatabaseURL != "" {
		return maskURL(c.DatabaseURL)
	}
	return filepath.Join(c.DataDir, dbFile)
}

// servingLock is the Postgres advisory lock a serving gateway holds.
const servingLock = 7243116

// holdDatabase keeps a second `serve` off the same Postgres database while
// this one runs: until work is shared between gateways (leases), two would
// answer the same inbox and send the same outbox.
func holdDatabase(ctx context.Context, db *sql.DB) (release func(), err error) {
	release, err = sqldb.HoldLock(ctx, db, servingLock)
	if errors.Is(err, sqldb.ErrHeld) {
		return nil, errors.New("another gateway is already serving this database (DATABASE_URL): several gateways on one database are not supported yet")
	}
	if err != nil {
		return nil, fmt.Errorf("hold the database: %w", err)
	}
	return release, nil
}
