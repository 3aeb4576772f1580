package zalooatest

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
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Gateway is the real inbound → engine → outbox → Zalo OA pipeline on a
// SQLite file, talking to a fake OA API.
type Gateway struct {
	DB      *sql.DB
	Store   *botstore.Store
	Inbox   *inbox.Inbox
	Outbox  *outbox.Outbox
	Channel *zalooa.Channel
	stop    func()
}

// Options adjust a test gateway.
type Options struct {
	Path   string // database file; "": a new one
	Engine *bot.Engine
	Now    func() time.Time
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	ctx := context.Background()
	if o.Path == "" {
		o.Path = filepath.Join(t.TempDir(), "hoiphuong.db")
	}
	if o.Engine == nil {
		o.Engine = telegramtest.NewEngine(t)
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
	svc := bot.NewService(o.Engine, g.Store)
	if g.Outbox, err = outbox.New(ctx, db, outbox.Config{PollInterval: 10 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if g.Inbox, err = inbox.New(inbox.Config{Store: g.Store, Answerer: svc, Outbox: g.Outbox, RetryIn: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	g.Channel, err = zalooa.New(ctx, zalooa.Config{
		AppID: AppID, SecretKey: SecretKey, AccessToken: AccessToken, RefreshToken: RefreshToken,
		APIURL: fake.URL, OAuthURL: fake.URL, DB: db, Inbox: g.Inbox, Now: o.Now,
		Timeout: 2 * time.Second, RateWait: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Inbox.Register(g.Channel)
	g.Outbox.Register(zalooa.Name, g.Channel, outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000})
	return g
}

// Start runs the inbox and the outbox until Stop or the end of the test.
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
