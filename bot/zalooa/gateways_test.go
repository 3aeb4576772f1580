package zalooa_test

import (
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

// Two gateways on one database meet an expired token at once: one of them
// refreshes (the refresh token works once: a second refresh with it would
// be refused, and Zalo revokes the OA's authorisation), the other takes
// the pair it stored; every message is delivered.
func TestTwoGatewaysOneRefresh(t *testing.T) {
	fake := zalooatest.New(t)
	fake.RefreshDelay.Store(int64(200 * time.Millisecond))
	path := sqldbtest.Location(t)
	gws := []*zalooatest.Gateway{
		zalooatest.NewGateway(t, fake, zalooatest.Options{Path: path, Holder: "gw1"}),
		zalooatest.NewGateway(t, fake, zalooatest.Options{Path: path, Holder: "gw2"}),
	}
	users := []string{"u1", "u2", "u3", "u4", "u5", "u6"}
	for _, u := range users {
		receive(t, gws[0], zalooatest.TextEvent(u, "m-"+u, "xin chào"))
	}
	fake.Expire()
	sendAtOnce(t, users, func(i int) *zalooa.Channel { return gws[i%2].Channel })
	if n := len(fake.Requests(zalooatest.RefreshPath)); n != 1 {
		t.Errorf("%d refreshes (gateway 1 counted %d, gateway 2 %d), want exactly 1",
			n, gws[0].Channel.Refreshes(), gws[1].Channel.Refreshes())
	}
	if n := len(fake.Delivered()); n != len(users) {
		t.Errorf("%d delivered, want %d", n, len(users))
	}
}
