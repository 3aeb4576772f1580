package channeltest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

// Channel is what the rig needs of a channel adapter.
type Channel interface {
	inbox.Channel
	outbox.Sender
	Run(ctx context.Context)
	Ready() error
}

// Rig is the real inbound → engine → outbox pipeline on a SQLite file,
// without its channel: a channel package's test Gateway embeds it and
// attaches its adapter.
type Rig struct {
	DB      *sql.DB
	Store   *botstore.Store
	Service *bot.Service
	Inbox   *inbox.Inbox
	Outbox  *outbox.Outbox
	Leases  *lease.Keeper // RigOptions.Holder's leases (nil: the only gateway)
	channel Channel
	stop    func()
}

// RigOptions adjust a rig.
type RigOptions struct {
	Path   string // database (sqldbtest.Location); "": a new one
	Engine *bot.Engine
	Flood  flood.Config
	// Holder makes the rig one of several gateways on the database: its
	// outbox and inbox work under leases of this holder.
	Holder string
}

// FastLimits are outbox limits that do not slow a test down.
var FastLimits = outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000}

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
	return bot.NewEngine(bot.Config{KB: kb, Locator: loc})
}

// NewRig opens the database and wires the store, service, inbox and outbox
// with short test intervals; Attach adds the channel.
func NewRig(t testing.TB, o RigOptions) *Rig {
	t.Helper()
	ctx := context.Background()
	if o.Path == "" {
		o.Path = sqldbtest.Location(t)
	}
	if o.Engine == nil {
		o.Engine = NewEngine(t)
	}
	db := sqldbtest.OpenAt(t, o.Path)
	r := &Rig{DB: db}
	var err error
	if r.Store, err = botstore.New(ctx, db); err != nil {
		t.Fatal(err)
	}
	r.Service = bot.NewService(o.Engine, r.Store)
	if r.Outbox, err = outbox.New(ctx, db, outbox.Config{PollInterval: 10 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Holder: o.Holder}); err != nil {
		t.Fatal(err)
	}
	icfg := inbox.Config{Store: r.Store, Answerer: r.Service, Outbox: r.Outbox, RetryIn: 50 * time.Millisecond, Flood: o.Flood}
	if o.Holder != "" {
		r.Leases = &lease.Keeper{DB: db, Holder: o.Holder, TTL: 30 * time.Second}
		icfg.Claims = r.Leases
	}
	if r.Inbox, err = inbox.New(icfg); err != nil {
		t.Fatal(err)
	}
	return r
}

// Attach registers the channel with the inbox and, under name, with the
// outbox.
func (r *Rig) Attach(name string, ch Channel, l outbox.Limits) {
	r.channel = ch
	r.Inbox.Register(ch)
	r.Outbox.Register(name, ch, l)
}

// Run runs the channel, the inbox and the outbox until Stop or the end of
// the test.
func (r *Rig) Run(t testing.TB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 3)
	for _, run := range []func(context.Context){r.channel.Run, r.Inbox.Run, r.Outbox.Run} {
		go func() { run(ctx); done <- struct{}{} }()
	}
	r.stop = func() {
		cancel()
		for range 3 {
			<-done
		}
	}
	t.Cleanup(r.Stop)
}

// Stop stops the pipeline (idempotent).
func (r *Rig) Stop() {
	if r.stop != nil {
		r.stop()
		r.stop = nil
	}
}

// WaitReady waits until the channel is connected.
func (r *Rig) WaitReady(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.channel.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", r.channel.Ready())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
