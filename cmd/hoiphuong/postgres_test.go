package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
)

// TestServePostgres: with DATABASE_URL the whole gateway keeps its KB,
// conversations and staff in Postgres (nothing in DATA_DIR's SQLite), and
// a second gateway on the same database is refused while the first runs.
func TestServePostgres(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	e["DATABASE_URL"] = pgtest.URL(t)
	g := startGateway(t, e)
	id := g.startConversation(t)
	if a := g.say(t, id, "lam giay khai sinh o p5 q3"); a.Kind != "answer" || unitCode(a) != "27154" {
		t.Errorf("answer on Postgres: kind %s, unit %s", a.Kind, unitCode(a))
	}

	db, err := sqldb.OpenPostgres(t.Context(), e["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var msgs, versions int
	if err := db.QueryRowContext(t.Context(), `SELECT (SELECT COUNT(*) FROM messages WHERE conversation_id = ?),
		(SELECT COUNT(*) FROM kb_versions)`, id).Scan(&msgs, &versions); err != nil || msgs != 2 || versions < 1 {
		t.Errorf("Postgres holds %d messages of the conversation and %d KB versions (%v); want 2 and the seed", msgs, versions, err)
	}
	if _, err := os.Stat(g.dbPath); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DATA_DIR has a SQLite database (%v), want none", err)
	}

	var stderr strings.Builder
	e2 := remoteEnv(t) // another data folder, the same database
	e2["DATABASE_URL"] = e["DATABASE_URL"]
	a, err := openApp(context.Background(), &env{getenv: e2.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr}, appOptions{exclusive: true})
	if err == nil {
		a.close()
		t.Fatal("a second gateway opened the database the first one serves")
	}
	if !strings.Contains(err.Error(), "another gateway is already serving this database") {
		t.Errorf("second gateway: %v", err)
	}
}
