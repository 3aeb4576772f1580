package zalobottest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Gateway is the real inbound → engine → outbox → Zalo Bot pipeline on a
// SQLite file, talking to a fake Bot API.
type Gateway struct {
	DB      *sql.DB
	Store   *botstore.Store
	Inbox   *inbox.Inbox
	Outbox  *outbox.Outbox
	Channel *zalobot.Channel
	stop    func()
}

// Options adjust a test gateway.
type Options struct {
	Mode   string // zalobot.ModeWebhook (default) or ModePoll
	Public string // PUBLIC_BASE_URL
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	ctx := context.Background()
	db, err := kbstore.Open(ctx, filepath.Join(t.TempDir(), "hoiphuong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := &Gateway{DB: db}
	if g.Store, err = botstore.New(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := bot.NewService(telegramtest.NewEngine(t), g.Store)
	if g.Outbox, err = outbox.New(ctx, db, outbox.Config{PollInterval: 10 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if g.Inbox, err = inbox.New(inbox.Config{Store: g.Store, Answerer: svc, Outbox: g.Outbox, RetryIn: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	g.Channel, err = zalobot.New(zalobot.Config{
		Token: Token, Secret: Secret, Mode: o.Mode, APIURL: fake.URL, PublicBaseURL: o.Public, Inbox: g.Inbox,
		Timeout: 2 * time.Second, PollTimeout: time.Second, RetryMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Inbox.Register(g.Channel)
	g.Outbox.Register(zalobot.Name, g.Channel, outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000})
	return g
}

// Start runs the channel, the inbox and the outbox until Stop or the end
// of the test.
func (g *Gateway) Start(t testing.TB) *Gateway {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 3)
	for _, run := range []func(context.Context){g.Channel.Run, g.Inbox.Run, g.Outbox.Run} {
		go func() { run(ctx); done <- struct{}{} }()
	}
	g.stop = func() {
		cancel()
		for range 3 {
			<-done
		}
	}
	t.Cleanup(g.Stop)
	return g
}

// Stop stops the pipeline (idempotent).
func (g *Gateway) Stop() {
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
}

// WaitReady waits until the channel is connected.
func (g *Gateway) WaitReady(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for g.Channel.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", g.Channel.Ready())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
