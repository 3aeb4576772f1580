package main

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// TestReadyzFailsWhenWritesFail: when the database cannot take writes (a
// full disk, a damaged or read-only SQLite file; a Postgres that failed
// over to a read-only standby), /readyz says unavailable, naming the
// database and nothing more, and recovers with the database.
func TestReadyzFailsWhenWritesFail(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	if status, body := g.get(t, "/readyz"); status != http.StatusOK {
		t.Fatalf("readyz before = %d %s", status, body)
	}
	writable := setReadOnly(t, g)
	status, body := g.get(t, "/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), `"database"`) || strings.Contains(string(body), "read-only") || strings.Contains(string(body), "readonly") {
		t.Errorf("readyz with writes failing = %d %s, want 503 naming the database only", status, body)
	}
	writable()
	waitFor(t, 10*time.Second, "readyz to recover", func() bool {
		status, _ := g.get(t, "/readyz")
		return status == http.StatusOK
	})
}

// setReadOnly makes the gateway's database refuse writes and returns what
// makes it take them again: SQLite's query_only on the app's one
// connection; on Postgres the database's sessions become read-only (as on
// a standby) and the app's connections are ended, so that its pool
// reconnects into that mode.
func setReadOnly(t *testing.T, g *gateway) (writable func()) {
	t.Helper()
	ctx := t.Context()
	exec := func(db interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	}, stmt string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if !sqldb.IsPostgres(g.app.db) {
		exec(g.app.db, "PRAGMA query_only = ON")
		return func() { exec(g.app.db, "PRAGMA query_only = OFF") }
	}
	// One connection, opened while writes still work: it keeps its
	// session's mode when the database's default changes.
	admin, err := openReadDB(t, g.dbPath).Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var name string
	if err := admin.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	reconnect := func(stmt string) {
		exec(admin, stmt)
		exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
	}
	reconnect("ALTER DATABASE " + name + " SET default_transaction_read_only = on")
	return func() { reconnect("ALTER DATABASE " + name + " RESET default_transaction_read_only") }
}
