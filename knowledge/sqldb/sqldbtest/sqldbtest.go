// Package sqldbtest opens the database a store's test runs on: a SQLite
// file under t.TempDir(), or, when HOIPHUONG_TEST_DB=postgres (make
// test-pg), a Postgres database of its own (pgtest). The same tests then
// run on both.
package sqldbtest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
)

// Env names the variable that picks the database ("postgres"; else SQLite).
const Env = "HOIPHUONG_TEST_DB"

// Postgres reports whether the tests run on Postgres.
func Postgres() bool { return os.Getenv(Env) == "postgres" }

// Open returns a new, empty database for t, closed when t ends.
func Open(t testing.TB) *sql.DB {
	t.Helper()
	ctx := context.Background()
	var db *sql.DB
	var err error
	if Postgres() {
		db, err = sqldb.OpenPostgres(ctx, pgtest.URL(t))
	} else {
		db, err = sqldb.Open(ctx, filepath.Join(t.TempDir(), "hoiphuong.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
