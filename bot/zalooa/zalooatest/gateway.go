package zalooatest

import (
	"context"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
)

// Gateway is the real inbound → engine → outbox → Zalo OA pipeline on a
// SQLite file, talking to a fake OA API.
type Gateway struct {
	*channeltest.Rig
	Channel *zalooa.Channel
}

// Options adjust a test gateway.
type Options struct {
	Path   string // database file; "": a new one
	Engine *bot.Engine
	Now    func() time.Time
	Holder string // one of several gateways on the database (channeltest.RigOptions)
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	g := &Gateway{Rig: channeltest.NewRig(t, channeltest.RigOptions{Path: o.Path, Engine: o.Engine, Holder: o.Holder})}
	ctx := context.Background()
	st, err := chanstore.NewZaloOA(ctx, g.DB)
	if err != nil {
		t.Fatal(err)
	}
	cfg := zalooa.Config{
		AppID: AppID, SecretKey: SecretKey, AccessToken: AccessToken, RefreshToken: RefreshToken,
		APIURL: fake.URL, OAuthURL: fake.URL, Store: st, Inbox: g.Inbox, Now: o.Now,
		Timeout: 2 * time.Second, RateWait: 50 * time.Millisecond,
	}
	if g.Leases != nil { // never a typed nil in the interface
		cfg.Leases = g.Leases
	}
	g.Channel, err = zalooa.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	g.Attach(zalooa.Name, g.Channel, channeltest.FastLimits)
	return g
}

// Start runs the channel, the inbox and the outbox until Stop or the end
// of the test.
func (g *Gateway) Start(t testing.TB) *Gateway {
	g.Run(t)
	return g
}
