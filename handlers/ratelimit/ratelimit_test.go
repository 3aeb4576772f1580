package ratelimit

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAllow(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(Rule{Burst: 3, Every: 10 * time.Second}, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := allow(l, "a"); !ok {
			t.Fatalf("request %d refused within the burst", i+1)
		}
	}
	ok, wait := allow(l, "a")
	if ok || wait != 10*time.Second {
		t.Fatalf("4th request: ok=%v wait=%s, want refused for 10s", ok, wait)
	}
	if ok, _ := allow(l, "b"); !ok {
		t.Fatal("another client is refused")
	}
	now = now.Add(4 * time.Second)
	if ok, wait := allow(l, "a"); ok || wait != 6*time.Second {
		t.Fatalf("after 4s: ok=%v wait=%s, want refused for 6s", ok, wait)
	}
	now = now.Add(6 * time.Second)
	if ok, _ := allow(l, "a"); !ok {
		t.Fatal("after the refill the request is refused")
	}
	if ok, _ := allow(l, "a"); ok {
		t.Fatal("one token refilled, two requests allowed")
	}
}

func TestSweepForgetsFullBuckets(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(Rule{Burst: 1, Every: time.Second}, func() time.Time { return now })
	for i := range sweepAbove {
		allow(l, string(rune(i)))
	}
	now = now.Add(time.Minute)
	allow(l, "new")
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets kept after the sweep, want 1", len(l.buckets))
	}
}

func TestZeroRuleAllows(t *testing.T) {
	l := New(Rule{}, nil)
	for range 100 {
		if ok, _ := allow(l, "a"); !ok {
			t.Fatal("a zero rule refused a request")
		}
	}
}

func TestClientsKey(t *testing.T) {
	trusted, err := ParsePrefixes("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	behind := Clients{Trusted: trusted}
	for _, tc := range []struct {
		name    string
		c       Clients
		remote  string
		forward []string
		want    string
	}{
		{"ipv4", Clients{}, "203.0.113.7:5123", nil, "203.0.113.7"},
		{"ipv6 by /64", Clients{}, "[2001:db8:1:2:aaaa::1]:443", nil, "2001:db8:1:2::/64"},
		{"same /64", Clients{}, "[2001:db8:1:2:bbbb::9]:80", nil, "2001:db8:1:2::/64"},
		{"mapped ipv4", Clients{}, "[::ffff:198.51.100.4]:80", nil, "198.51.100.4"},
		{"garbage", Clients{}, "garbage", nil, "garbage"},
		{"untrusted proxy's header ignored", Clients{}, "127.0.0.1:80", []string{"198.51.100.4"}, "127.0.0.1"},
		{"trusted proxy", behind, "127.0.0.1:80", []string{"198.51.100.4"}, "198.51.100.4"},
		{"spoofed left entries ignored", behind, "127.0.0.1:80", []string{"1.2.3.4, 198.51.100.4, 10.1.1.1"}, "198.51.100.4"},
		{"several headers", behind, "10.0.0.2:80", []string{"1.2.3.4", "203.0.113.9"}, "203.0.113.9"},
		{"garbled header", behind, "127.0.0.1:80", []string{"not-an-ip"}, "127.0.0.1"},
		{"direct client not a proxy", behind, "203.0.113.7:1", []string{"1.2.3.4"}, "203.0.113.7"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, f := range tc.forward {
			r.Header.Add("X-Forwarded-For", f)
		}
		if got := tc.c.Key(r); got != tc.want {
			t.Errorf("%s: Key = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	if r, err := ParseRule("20/30s"); err != nil || r != (Rule{Burst: 20, Every: 30 * time.Second}) {
		t.Errorf("20/30s: %+v %v", r, err)
	}
	if r, err := ParseRule("off"); err != nil || r.Burst >= 0 {
		t.Errorf("off: %+v %v", r, err)
	}
	for _, bad := range []string{"20", "0/1s", "x/1s", "5/soon", "5/-1s"} {
		if _, err := ParseRule(bad); err == nil {
			t.Errorf("ParseRule(%q): no error", bad)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/8, nope"); err == nil {
		t.Error("ParsePrefixes accepted nope")
	}
}

func allow(l *Limiter, key string) (bool, time.Duration) {
	ok, wait, _ := l.Allow(context.Background(), key)
	return ok, wait
}

// fakeTaker refuses every key but the first one asked, or fails.
type fakeTaker struct {
	fail bool
	keys []string
}

func (f *fakeTaker) Take(_ context.Context, key string, _ time.Time, _ int, _ time.Duration) (bool, time.Duration, error) {
	if f.fail {
		return false, 0, errors.New("connection refused")
	}
	f.keys = append(f.keys, key)
	return len(f.keys) == 1, 7 * time.Second, nil
}

// With a shared store its answer decides, under the limit's scope; when
// the store fails this process's bucket decides and the error comes back.
func TestShared(t *testing.T) {
	shared := &fakeTaker{}
	l := New(Rule{Burst: 5, Every: time.Second}, nil).Shared(shared, "chat-open")
	if ok, _, err := l.Allow(t.Context(), "203.0.113.9"); !ok || err != nil {
		t.Errorf("first: %v %v", ok, err)
	}
	if ok, wait, err := l.Allow(t.Context(), "203.0.113.9"); ok || wait != 7*time.Second || err != nil {
		t.Errorf("second: ok=%v wait=%s err=%v, want the store's refusal (the local bucket has 4 left)", ok, wait, err)
	}
	if len(shared.keys) != 2 || shared.keys[0] != "chat-open:203.0.113.9" {
		t.Errorf("shared keys %q", shared.keys)
	}
	shared.fail = true
	if ok, _, err := l.Allow(t.Context(), "203.0.113.9"); !ok || err == nil {
		t.Errorf("store down: ok=%v err=%v, want allowed by the local bucket, and the error", ok, err)
	}
}
