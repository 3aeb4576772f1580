package pgtest

import (
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestDatabasesApart: each test gets a real, empty database of its own.
func TestDatabasesApart(t *testing.T) {
	ctx := t.Context()
	a, b := URL(t), URL(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	for i, url := range []string{a, b} {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, `CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT)`); err != nil {
			t.Fatalf("database %d: %v", i, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, "phường"); err != nil {
			t.Fatal(err)
		}
		var v string
		var n int
		if err := db.QueryRowContext(ctx, `SELECT v, (SELECT COUNT(*) FROM t) FROM t`).Scan(&v, &n); err != nil || v != "phường" || n != 1 {
			t.Errorf("database %d: read %q, %d rows, %v; want the one row written", i, v, n, err)
		}
	}
}
