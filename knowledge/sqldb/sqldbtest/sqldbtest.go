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
	"strings"
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
	return OpenAt(t, Location(t))
}

// Location returns where a new, empty database for t lives: a SQLite file
// path, or a Postgres URL. OpenAt opens it, as often as a test restarting
// its gateway needs.
func Location(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "hoiphuong.db")
}

// OpenAt opens the database at loc (from Location), closed when t ends.
func OpenAt(t testing.TB, loc string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	var db *sql.DB
	var err error
	if strings.HasPrefix(loc, "postgres://") {
		db, err = sqldb.OpenPostgres(ctx, loc)
	} else {
		db, err = sqldb.Open(ctx, loc)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
