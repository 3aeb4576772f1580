package sqldb

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
)

// A notification sent through one gateway's pool reaches a listener on
// its own connection; after the listener's connection is killed it
// listens again (and says so, to catch up), and what is sent then arrives.
func TestNotifyListen(t *testing.T) {
	url := pgtest.URL(t)
	db := openPG(t, url)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan string, 10)
	connected := make(chan struct{}, 10)
	go Listen(ctx, url, []string{"hp_test"}, slog.New(slog.DiscardHandler),
		func() { connected <- struct{}{} },
		func(ch, payload string) { got <- ch + ":" + payload })
	wait := func(what string, c <-chan struct{}) {
		t.Helper()
		select {
		case <-c:
		case <-time.After(10 * time.Second):
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	receive := func(want string) {
		t.Helper()
		select {
		case g := <-got:
			if g != want {
				t.Errorf("received %q, want %q", g, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%q never arrived", want)
		}
	}
	wait("the listener", connected)
	if err := Notify(ctx, db, "hp_test", `{"kind":"message"}`); err != nil {
		t.Fatal(err)
	}
	receive(`hp_test:{"kind":"message"}`)

	// The server drops the listener's connection.
	if _, err := db.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`); err != nil {
		t.Fatal(err)
	}
	wait("the listener to reconnect", connected)
	if err := Notify(ctx, db, "hp_test", "after"); err != nil {
		t.Fatal(err)
	}
	receive("hp_test:after")
}
