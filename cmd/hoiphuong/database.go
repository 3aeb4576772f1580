package main

import (
	"context"
	"database/sql"
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
