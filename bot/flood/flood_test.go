package flood

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	now := t0
	l := New(Config{Max: 3, Window: time.Minute, Now: func() time.Time { return now }})
	steps := []struct {
		at     time.Duration // since t0
		sender string
		want   Verdict
	}{
		{0, "telegram:1", Allow},
		{time.Second, "telegram:1", Allow},
		{2 * time.Second, "telegram:1", Allow},
		{3 * time.Second, "telegram:1", Notify}, // 4th in the window: one notice
		{4 * time.Second, "telegram:2", Allow},  // another sender is not affected
		{5 * time.Second, "telegram:1", Drop},
		{59 * time.Second, "telegram:1", Drop},
		{60 * time.Second, "telegram:1", Allow}, // a new window
		{61 * time.Second, "zalo-oa:1", Allow},  // same id, other channel
		{62 * time.Second, "telegram:1", Allow},
		{63 * time.Second, "telegram:1", Allow},
		{64 * time.Second, "telegram:1", Notify}, // told again in the new window
		{65 * time.Second, "telegram:1", Drop},
	}
	for i, s := range steps {
		now = t0.Add(s.at)
		if got := l.Check(s.sender); got != s.want {
			t.Errorf("step %d (%s at +%s): %s, want %s", i, s.sender, s.at, got, s.want)
		}
	}
	if got := l.WindowStart("telegram:1"); !got.Equal(t0.Add(60 * time.Second)) {
		t.Errorf("window start = %s", got)
	}
}

func TestLimiterOffAndDefaults(t *testing.T) {
	off := New(Config{Max: -1})
	for range 100 {
		if off.Check("a") != Allow {
			t.Fatal("a negative Max must not limit")
		}
	}
	var nilLimiter *Limiter
	if nilLimiter.Check("a") != Allow {
		t.Fatal("a nil limiter must not limit")
	}
	def := New(Config{})
	for i := range 20 {
		if v := def.Check("a"); v != Allow {
			t.Fatalf("message %d: %s, want allow (default 20 per minute)", i+1, v)
		}
	}
	if v := def.Check("a"); v != Notify {
		t.Fatalf("21st message: %s, want notify", v)
	}
}

func TestSweepForgetsExpiredSenders(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(Config{Max: 1, Window: time.Second, Now: func() time.Time { return now }})
	for i := range forgetAbove {
		l.Check(string(rune(i)))
	}
	now = now.Add(2 * time.Second)
	l.Check("new")
	if n := len(l.senders); n != 1 {
		t.Errorf("%d senders kept, want 1", n)
	}
}

// Many senders all within their window: a sweep frees nothing, so it must
// not run again for every new sender (it did: a full scan under the lock on
// the webhook path for each new chat once 10,000 were kept).
func TestSweepAmortizedWhileSendersAreLive(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(Config{Max: 1, Window: time.Hour, Now: func() time.Time { return now }})
	const senders = 4 * forgetAbove
	for i := range senders {
		l.Check(fmt.Sprint("telegram:", i))
	}
	// Sweeps at 10,000 and 20,000 kept senders; the next at 40,000.
	if l.sweeps != 2 || len(l.senders) != senders {
		t.Errorf("%d sweeps, %d senders kept; want 2 sweeps and all %d kept", l.sweeps, len(l.senders), senders)
	}
	now = now.Add(2 * time.Hour) // every window expired
	l.Check("new")
	if len(l.senders) != 1 || l.nextSweep != forgetAbove {
		t.Errorf("after expiry: %d senders kept, next sweep at %d; want 1 and %d", len(l.senders), l.nextSweep, forgetAbove)
	}
}
