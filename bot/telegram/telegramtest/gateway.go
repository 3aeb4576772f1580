package telegramtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Secret is the webhook secret of the test gateway.
const Secret = "s3cret_Token-for-tests"

// Gateway is the real inbound → engine → outbox → Telegram pipeline on a
// SQLite file, talking to a fake Bot API.
type Gateway struct {
	DB      *sql.DB
	Store   *botstore.Store
	Service *bot.Service
	Inbox   *inbox.Inbox
	Outbox  *outbox.Outbox
	Channel *telegram.Channel
	stop    func()
}

// Options adjust a test gateway.
type Options struct {
	Path   string // database file; "": a new one
	Mode   string // telegram.ModeWebhook (default) or ModePoll
	Public string // PUBLIC_BASE_URL
	Engine *bot.Engine
	Limits outbox.Limits // zero: no practical limit
	Flood  flood.Config  // zero: no flood limit (benchmarks reuse chats)
}

// NewEngine returns the engine on the seed knowledge base.
func NewEngine(t testing.TB) *bot.Engine {
	t.Helper()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := geo.New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewEngine(bot.Config{KB: kb, Synonyms: seed.Synonyms(), Locator: loc})
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	ctx := context.Background()
	if o.Path == "" {
		o.Path = filepath.Join(t.TempDir(), "hoiphuong.db")
	}
	if o.Engine == nil {
		o.Engine = NewEngine(t)
	}
	if o.Flood.Max == 0 {
		o.Flood.Max = -1
	}
	if o.Limits == (outbox.Limits{}) {
		o.Limits = outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000}
	}
	db, err := kbstore.Open(ctx, o.Path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := &Gateway{DB: db}
	if g.Store, err = botstore.New(ctx, db); err != nil {
		t.Fatal(err)
	}
	g.Service = bot.NewService(o.Engine, g.Store)
	if g.Outbox, err = outbox.New(ctx, db, outbox.Config{PollInterval: 10 * time.Millisecond, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if g.Inbox, err = inbox.New(inbox.Config{Store: g.Store, Answerer: g.Service, Outbox: g.Outbox, RetryIn: 50 * time.Millisecond, Flood: o.Flood}); err != nil {
		t.Fatal(err)
	}
	g.Channel, err = telegram.New(ctx, telegram.Config{
		Token: Token, Secret: Secret, Mode: o.Mode, APIURL: fake.URL, PublicBaseURL: o.Public,
		DB: db, Inbox: g.Inbox, Timeout: 2 * time.Second, PollTimeout: time.Second, RetryMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Inbox.Register(g.Channel)
	g.Outbox.Register(telegram.Name, g.Channel, o.Limits)
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
