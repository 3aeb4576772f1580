package zalooa_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
)

// A signed event is accepted only within its time window: an old one
// (a captured delivery replayed) or one from the future is refused with
// 400 and leaves nothing behind; one at the edges of the window is taken.
func TestEventOutsideTimeWindowRefused(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	now := time.Now()
	for _, tc := range []struct {
		name string
		body string
	}{
		{"400 days old", zalooatest.TextEventAt("2512523625412515", "old-1", "phường 5 quận 3", now.Add(-400*24*time.Hour))},
		{"older than the window", zalooatest.TextEventAt("2512523625412515", "old-2", "phường 5 quận 3", now.Add(-zalooa.MaxEventAge-time.Minute))},
		{"from the future", zalooatest.TextEventAt("2512523625412515", "future-1", "phường 5 quận 3", now.Add(zalooa.MaxEventSkew+time.Minute))},
		{"follow, 400 days old", zalooatest.FollowEventAt("9001", now.Add(-400*24*time.Hour))},
		{"without a timestamp", strings.Replace(zalooatest.TextEvent("2512523625412515", "no-ts", "xin chào"), `"timestamp":"`, `"time":"`, 1)},
	} {
		if err := deliver(t, g, tc.body, zalooatest.Signed(t, tc.body)); !errors.Is(err, inbox.ErrStale) && !errors.Is(err, inbox.ErrMalformed) { // both a 400
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
	for _, table := range []string{"messages", "conversations", "zalooa_users"} {
		if n := count(t, g, table); n != 0 {
			t.Errorf("%d rows in %s from refused events", n, table)
		}
	}
	quiet(t, fake, 0)

	for i, at := range []time.Time{now.Add(-zalooa.MaxEventAge + time.Minute), now.Add(zalooa.MaxEventSkew - time.Minute), now} {
		body := zalooatest.TextEventAt("2512523625412515", "fresh-"+string(rune('a'+i)), "phường 5 quận 3", at)
		if err := deliver(t, g, body, zalooatest.Signed(t, body)); err != nil {
			t.Errorf("event at now%+v: err %v", at.Sub(now).Round(time.Minute), err)
		}
	}
	if n := count(t, g, "messages WHERE direction = 'in'"); n != 3 {
		t.Errorf("%d inbound messages stored, want 3", n)
	}
}

// A replayed follow (no message id: its key is the follower and the
// timestamp) is greeted once, like a replayed message is answered once.
func TestReplayedFollowGreetedOnce(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	follow := zalooatest.FollowEventAt("9002", time.Now().Add(-time.Minute))
	for range 3 {
		if err := deliver(t, g, follow, zalooatest.Signed(t, follow)); err != nil {
			t.Fatalf("follow: err %v", err)
		}
	}
	fake.WaitFor(t, zalooatest.SendPath, 1, 5*time.Second)
	quiet(t, fake, 1)
	if c := g.Inbox.Counts()[zalooa.Name]; c.Received != 1 || c.Duplicates != 2 {
		t.Errorf("inbox counts = %+v, want 1 received and 2 duplicates", c)
	}
}
