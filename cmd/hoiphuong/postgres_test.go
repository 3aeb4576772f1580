package main

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
)

// TestServePostgres: with DATABASE_URL the whole gateway keeps its KB,
// conversations and staff in Postgres (nothing in DATA_DIR's SQLite), and
// a second gateway on the same database works beside it.
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

	// A second gateway on the same database (another data folder) serves
	// too: what happens on it shows live on the first one's console, and a
	// KB version the first one publishes is what the second answers from.
	e2 := remoteEnv(t)
	e2["DATABASE_URL"] = e["DATABASE_URL"]
	g2 := startGateway(t, e2)
	events, stop := g.app.hub.Subscribe(nil)
	defer stop()
	id2 := g2.startConversation(t)
	if a := g2.say(t, id2, "p da kao q1 lam khai sinh o dau"); a.Kind == "" {
		t.Errorf("no answer on the second gateway: %+v", a)
	}
	g2.say(t, id2, "cho em gặp cán bộ phường") // queued for staff: the consoles hear of it
	seen := false
	for deadline := time.After(10 * time.Second); !seen; {
		select {
		case ev := <-events:
			seen = ev.ConversationID == id2 && ev.Kind == live.Queued
		case <-deadline:
			t.Fatal("the first gateway's live view never saw the chat queued on the second one")
		}
	}
	info, err := g.app.publisher.Rollback(t.Context(), "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the second gateway to answer from the published version", func() bool {
		return g2.app.engine.KB().Version == info.Version
	})
}

// TestGatewaysShareRateLimits: two gateways on one database count a client
// address together — with CHAT_OPEN_LIMIT 3/1m, three conversations in
// all, whichever gateway the proxy sent each to, then 429 on both (each
// counting alone would have allowed six).
func TestGatewaysShareRateLimits(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	var gws []*gateway
	for range 2 {
		e := remoteEnv(t)
		e["DATABASE_URL"] = url
		e["CHAT_OPEN_LIMIT"] = "3/1m"
		gws = append(gws, startGateway(t, e))
	}
	var codes []int
	for i := range 6 {
		status, _ := gws[i%2].post(t, "/api/v1/conversations", "application/json", `{}`)
		codes = append(codes, status)
	}
	want := []int{201, 201, 201, 429, 429, 429}
	if !slices.Equal(codes, want) {
		t.Errorf("conversations opened alternately on two gateways: %v, want %v", codes, want)
	}
}
