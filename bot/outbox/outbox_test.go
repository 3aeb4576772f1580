package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// fakeSender records sends; script[i] is the outcome of the i-th call
// (past its end: success).
type fakeSender struct {
	mu     sync.Mutex
	sent   []string // chat/text of successful sends, in order
	calls  int
	at     []time.Time
	script []result
	delay  time.Duration
	now    func() time.Time
}

type result struct {
	retryAfter time.Duration
	err        error
}

func (f *fakeSender) Send(ctx context.Context, chatID string, m outbox.OutMessage) (time.Duration, error) {
	var at time.Time
	if f.now != nil {
		at = f.now() // when the send starts, as the platform sees it
	}
	time.Sleep(f.delay)
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.calls
	f.calls++
	if i < len(f.script) && (f.script[i].err != nil || f.script[i].retryAfter > 0) {
		return f.script[i].retryAfter, f.script[i].err
	}
	f.sent = append(f.sent, chatID+"/"+m.Text)
	if f.now != nil {
		f.at = append(f.at, at)
	}
	return 0, nil
}

func (f *fakeSender) snapshot() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openDB returns where a new database for t lives (SQLite, or Postgres
// under make test-pg).
func openDB(t *testing.T) string {
	t.Helper()
	return sqldbtest.Location(t)
}

func newOutbox(t *testing.T, path string, cfg outbox.Config) *outbox.Outbox {
	t.Helper()
	o, _ := newOutboxDB(t, path, cfg)
	return o
}

// newOutboxDB opens the database at path and an Outbox on it.
func newOutboxDB(t *testing.T, path string, cfg outbox.Config) (*outbox.Outbox, *sql.DB) {
	t.Helper()
	db := sqldbtest.OpenAt(t, path)
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 5 * time.Millisecond
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 5 * time.Millisecond
	}
	o, err := outbox.New(t.Context(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o, db
}

var fast = outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000}

// start runs the worker until the test ends (or stop is called).
func start(t *testing.T, o *outbox.Outbox) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

func enqueue(t *testing.T, o *outbox.Outbox, chat, key string, texts ...string) bool {
	t.Helper()
	var msgs []outbox.OutMessage
	for _, s := range texts {
		msgs = append(msgs, outbox.OutMessage{Text: s})
	}
	added, err := o.Enqueue(t.Context(), "tg", chat, key, msgs)
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestEnqueueIsIdempotentAndOrdered(t *testing.T) {
	o := newOutbox(t, openDB(t), outbox.Config{})
	s := &fakeSender{}
	o.Register("tg", s, fast)
	if !enqueue(t, o, "1", "in:1", "a", "b", "c") {
		t.Fatal("first enqueue not added")
	}
	for range 2 {
		if enqueue(t, o, "1", "in:1", "a", "b", "c") {
			t.Fatal("repeated enqueue added rows")
		}
	}
	enqueue(t, o, "2", "in:2", "x")
	start(t, o)
	waitFor(t, "4 sends", func() bool { return len(s.snapshot()) == 4 })
	time.Sleep(30 * time.Millisecond)
	got := s.snapshot()
	var chat1 []string
	for _, g := range got {
		if g[0] == '1' {
			chat1 = append(chat1, g)
		}
	}
	if fmt.Sprint(chat1) != "[1/a 1/b 1/c]" || len(got) != 4 {
		t.Errorf("sent %v, want chat 1 in order a b c and one x", got)
	}
	if c := o.Counts()["tg"]; c.Sent != 4 || c.Retries != 0 || c.Failed != 0 {
		t.Errorf("counts = %+v", c)
	}
}

func TestRetries(t *testing.T) {
	down := errors.New("connection refused")
	tests := []struct {
		name       string
		script     []result
		wantSent   int
		wantStatus string
		wantCounts outbox.Counts
	}{
		{"down then up", []result{{err: down}, {err: down}, {err: down}}, 1, outbox.StatusSent,
			outbox.Counts{Sent: 1, Retries: 3}},
		{"permanent", []result{{err: fmt.Errorf("%w: chat not found", outbox.ErrPermanent)}}, 0, outbox.StatusFailed,
			outbox.Counts{Failed: 1}},
		{"gives up", []result{{err: down}, {err: down}, {err: down}, {err: down}, {err: down}}, 0, outbox.StatusFailed,
			outbox.Counts{Retries: 3, Failed: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOutbox(t, openDB(t), outbox.Config{MaxAttempts: 4})
			s := &fakeSender{script: tt.script}
			o.Register("tg", s, fast)
			enqueue(t, o, "7", "in:1", "hello")
			start(t, o)
			waitFor(t, "final status", func() bool {
				rows, err := o.Rows(t.Context(), "tg")
				return err == nil && rows[0].Status != outbox.StatusPending && rows[0].Status != outbox.StatusSending
			})
			rows, _ := o.Rows(t.Context(), "tg")
			if rows[0].Status != tt.wantStatus || len(s.snapshot()) != tt.wantSent {
				t.Errorf("status %s, sent %d; want %s, %d", rows[0].Status, len(s.snapshot()), tt.wantStatus, tt.wantSent)
			}
			if c := o.Counts()["tg"]; c != tt.wantCounts {
				t.Errorf("counts = %+v, want %+v", c, tt.wantCounts)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	clk := &clock{t: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)}
	o := newOutbox(t, openDB(t), outbox.Config{Now: clk.Now})
	s := &fakeSender{script: []result{{retryAfter: 30 * time.Second, err: errors.New("Too Many Requests: retry after 30")}}}
	o.Register("tg", s, fast)
	enqueue(t, o, "7", "in:1", "hello")
	start(t, o)
	waitFor(t, "the 429", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.calls == 1 })
	clk.Add(29 * time.Second)
	time.Sleep(50 * time.Millisecond)
	if n := len(s.snapshot()); n != 0 {
		t.Fatalf("sent %d before retry_after elapsed", n)
	}
	clk.Add(time.Second)
	waitFor(t, "delivery after the wait", func() bool { return len(s.snapshot()) == 1 })
	time.Sleep(30 * time.Millisecond)
	if n := len(s.snapshot()); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
	if c := o.Counts()["tg"]; c != (outbox.Counts{Sent: 1, Retries: 1}) {
		t.Errorf("counts = %+v", c)
	}
}

func TestRateLimits(t *testing.T) {
	// The worker's reads wait for the connection while webhook accepts
	// hold it (up to 10 ms here): the interval must hold between the sends
	// as they start, however late the read that admitted them was. It was
	// measured from the instant read before the due rows, and a send
	// admitted after a slow read started up to that read's wait early.
	t.Run("per chat", func(t *testing.T) {
		const interval = 50 * time.Millisecond
		gate := dbgate.New()
		o := newOutbox(t, openDB(t), outbox.Config{Gate: gate})
		s := &fakeSender{now: time.Now}
		o.Register("tg", s, outbox.Limits{ChatInterval: interval, PerSecond: 1000})
		enqueue(t, o, "1", "in:1", "a", "b", "c", "d", "e", "f")
		holdAccepts(t, gate)
		start(t, o)
		waitFor(t, "6 sends", func() bool { return len(s.snapshot()) == 6 })
		for i := 1; i < len(s.at); i++ {
			// 1 ms: the instants are read just before the send and as it begins.
			if gap := s.at[i].Sub(s.at[i-1]); gap < interval-time.Millisecond {
				t.Errorf("gap %d = %v, want ≥ %v", i, gap, interval)
			}
		}
	})
	t.Run("per bot", func(t *testing.T) {
		o := newOutbox(t, openDB(t), outbox.Config{})
		s := &fakeSender{}
		o.Register("tg", s, outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 20})
		for i := range 30 {
			enqueue(t, o, fmt.Sprint(i), fmt.Sprint("in:", i), "x")
		}
		begin := time.Now()
		start(t, o)
		waitFor(t, "30 sends", func() bool { return len(s.snapshot()) == 30 })
		// 20 in the first burst, then 10 more at 20/s.
		if took := time.Since(begin); took < 400*time.Millisecond {
			t.Errorf("30 sends at 20/s took %v, want ≥ 0.5 s", took)
		}
	})
}

// holdAccepts takes the gate's urgent turns, as webhook accepts do, for
// 0–10 ms at a time until the test ends.
func holdAccepts(t *testing.T, gate *dbgate.Gate) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			leave, err := gate.Enter(ctx, dbgate.Urgent)
			if err != nil {
				return
			}
			time.Sleep(time.Duration(i%11) * time.Millisecond)
			leave()
			time.Sleep(time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

func TestRestartResumesPendingExactlyOnce(t *testing.T) {
	path := openDB(t)
	o1 := newOutbox(t, path, outbox.Config{})
	s1 := &fakeSender{delay: 20 * time.Millisecond}
	o1.Register("tg", s1, outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 1000})
	const n = 20
	for i := range n {
		enqueue(t, o1, fmt.Sprint(i%3), fmt.Sprint("in:", i), fmt.Sprint("m", i, "a"), fmt.Sprint("m", i, "b"))
	}
	stop := start(t, o1)
	waitFor(t, "some sends", func() bool { return len(s1.snapshot()) >= 5 })
	stop()
	first := s1.snapshot()
	if len(first) >= 2*n {
		t.Fatalf("worker finished before it was stopped (%d sends)", len(first))
	}

	o2 := newOutbox(t, path, outbox.Config{})
	s2 := &fakeSender{}
	o2.Register("tg", s2, fast)
	start(t, o2)
	waitFor(t, "the rest", func() bool { return len(first)+len(s2.snapshot()) >= 2*n })
	time.Sleep(50 * time.Millisecond)
	seen := map[string]int{}
	for _, m := range append(first, s2.snapshot()...) {
		seen[m]++
	}
	if len(seen) != 2*n {
		t.Errorf("%d distinct messages delivered, want %d", len(seen), 2*n)
	}
	for m, c := range seen {
		if c != 1 {
			t.Errorf("%s delivered %d times", m, c)
		}
	}
	d, err := o2.Depths(t.Context())
	if err != nil || d["tg"].Pending != 0 {
		t.Errorf("depths = %v, %v; want nothing pending", d, err)
	}
}
