package flood

import (
	"context"
	"errors"
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
	var last Decision
	for i, s := range steps {
		now = t0.Add(s.at)
		d, err := l.Decide(t.Context(), s.sender)
		if err != nil || d.Verdict != s.want {
			t.Errorf("step %d (%s at +%s): %s (%v), want %s", i, s.sender, s.at, d.Verdict, err, s.want)
		}
		if s.sender == "telegram:1" {
			last = d
		}
	}
	if !last.Start.Equal(t0.Add(60*time.Second)) || last.Wait != 55*time.Second {
		t.Errorf("window start = %s, wait %s; want +60s and 55s", last.Start.Sub(t0), last.Wait)
	}
}

func TestLimiterOffAndDefaults(t *testing.T) {
	off := New(Config{Max: -1})
	for range 100 {
		if check(off, "a") != Allow {
			t.Fatal("a negative Max must not limit")
		}
	}
	var nilLimiter *Limiter
	if check(nilLimiter, "a") != Allow {
		t.Fatal("a nil limiter must not limit")
	}
	def := New(Config{})
	for i := range 20 {
		if v := check(def, "a"); v != Allow {
			t.Fatalf("message %d: %s, want allow (default 20 per minute)", i+1, v)
		}
	}
	if v := check(def, "a"); v != Notify {
		t.Fatalf("21st message: %s, want notify", v)
	}
}

func TestSweepForgetsExpiredSenders(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(Config{Max: 1, Window: time.Second, Now: func() time.Time { return now }})
	for i := range forgetAbove {
		check(l, string(rune(i)))
	}
	now = now.Add(2 * time.Second)
	check(l, "new")
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
		check(l, fmt.Sprint("telegram:", i))
	}
	// Sweeps at 10,000 and 20,000 kept senders; the next at 40,000.
	if l.sweeps != 2 || len(l.senders) != senders {
		t.Errorf("%d sweeps, %d senders kept; want 2 sweeps and all %d kept", l.sweeps, len(l.senders), senders)
	}
	now = now.Add(2 * time.Hour) // every window expired
	check(l, "new")
	if len(l.senders) != 1 || l.nextSweep != forgetAbove {
		t.Errorf("after expiry: %d senders kept, next sweep at %d; want 1 and %d", len(l.senders), l.nextSweep, forgetAbove)
	}
}

func check(l *Limiter, sender string) Verdict {
	d, _ := l.Decide(context.Background(), sender)
	return d.Verdict
}

// sharedCounter is a Counter: a map, or failing.
type sharedCounter struct {
	fail bool
	n    map[string]int
	keys []string
}

func (c *sharedCounter) Hit(_ context.Context, key string, now time.Time, _ time.Duration) (int, time.Time, error) {
	if c.fail {
		return 0, time.Time{}, errors.New("database is locked")
	}
	c.keys = append(c.keys, key)
	c.n[key]++
	return c.n[key], now, nil
}

// With a shared counter the verdict follows its count (what the other
// gateways counted too); when it fails, this process's own count decides
// and the error is returned for the log.
func TestLimiterShared(t *testing.T) {
	shared := &sharedCounter{n: map[string]int{"flood:zalo:9": 3}} // three from other gateways
	l := New(Config{Max: 3, Shared: shared})
	if d, err := l.Decide(t.Context(), "zalo:9"); err != nil || d.Verdict != Notify {
		t.Errorf("4th message in all: %s (%v), want notify", d.Verdict, err)
	}
	if len(shared.keys) != 1 || shared.keys[0] != "flood:zalo:9" {
		t.Errorf("shared keys %q", shared.keys)
	}
	shared.fail = true
	d, err := l.Decide(t.Context(), "zalo:9")
	if err == nil || d.Verdict != Allow {
		t.Errorf("store down: %s (%v), want allow on the local count and the error", d.Verdict, err)
	}
}
