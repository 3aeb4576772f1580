package zalobottest

import (
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/zalobot"
)

// Gateway is the real inbound → engine → outbox → Zalo Bot pipeline on a
// SQLite file, talking to a fake Bot API.
type Gateway struct {
	*channeltest.Rig
	Channel *zalobot.Channel
}

// Options adjust a test gateway.
type Options struct {
	Mode   string // zalobot.ModeWebhook (default) or ModePoll
	Public string // PUBLIC_BASE_URL
}

// NewGateway wires the pipeline against the fake server; Start runs it.
func NewGateway(t testing.TB, fake *Server, o Options) *Gateway {
	t.Helper()
	g := &Gateway{Rig: channeltest.NewRig(t, channeltest.RigOptions{})}
	var err error
	g.Channel, err = zalobot.New(zalobot.Config{
		Token: Token, Secret: Secret, Mode: o.Mode, APIURL: fake.URL, PublicBaseURL: o.Public, Inbox: g.Inbox,
		Timeout: 2 * time.Second, PollTimeout: time.Second, RetryMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	g.Attach(zalobot.Name, g.Channel, channeltest.FastLimits)
	return g
}

// Start runs the channel, the inbox and the outbox until Stop or the end
// of the test.
func (g *Gateway) Start(t testing.TB) *Gateway {
	g.Run(t)
	return g
}
