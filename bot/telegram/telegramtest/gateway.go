package telegramtest

import (
	"context"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
)

// Secret is the webhook secret of the test gateway.
const Secret = "s3cret_Token-for-tests"

// Gateway is the real inbound → engine → outbox → Telegram pipeline on a
// SQLite file, talking to a fake Bot API.
type Gateway struct {
	*channeltest.Rig
	Channel *telegram.Channel
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
	return channeltest.NewEngine(t)
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	if o.Flood.Max == 0 {
		o.Flood.Max = -1
	}
	if o.Limits == (outbox.Limits{}) {
		o.Limits = channeltest.FastLimits
	}
	g := &Gateway{Rig: channeltest.NewRig(t, channeltest.RigOptions{Path: o.Path, Engine: o.Engine, Flood: o.Flood})}
	st, err := chanstore.NewTelegram(context.Background(), g.DB)
	if err != nil {
		t.Fatal(err)
	}
	g.Channel, err = telegram.New(telegram.Config{
		Token: Token, Secret: Secret, Mode: o.Mode, APIURL: fake.URL, PublicBaseURL: o.Public,
		Store: st, Inbox: g.Inbox, Timeout: 10 * time.Second, PollTimeout: time.Second, RetryMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Attach(telegram.Name, g.Channel, o.Limits)
	return g
}

// Start runs the channel, the inbox and the outbox until Stop or the end
// of the test.
func (g *Gateway) Start(t testing.TB) *Gateway {
	g.Run(t)
	return g
}
