// Package flood is the channel-neutral per-sender flood limit: a sender may
// send Max messages per Window; the first message over the limit gets one
// polite notice, and the rest of that window is dropped (counted, not
// persisted, not answered).
package flood

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Notice is what a flooding sender is told, once per window.
const Notice = "Bạn gửi quá nhanh, vui lòng chờ một chút rồi gửi lại nhé."

// Verdict is what to do with one message.
type Verdict int

// Verdicts.
const (
	Allow  Verdict = iota // answer it
	Notify                // the first message over the limit: send Notice instead of an answer
	Drop                  // over the limit, already told: drop it
)

func (v Verdict) String() string {
	return [...]string{"allow", "notify", "drop"}[v]
}

// Config sets the limit; zero values take the defaults.
type Config struct {
	Max    int              // messages per window (20); negative: no limit
	Window time.Duration    // (1 min)
	Now    func() time.Time // clock (time.Now)
	// Shared, when several gateways share the database, keeps the counts
	// there (bot/limitstore), so a sender gets Max messages a window in
	// all, not Max from each gateway; nil: counted in this process.
	Shared Counter
}

// Limiter counts each sender's messages in fixed windows that start at the
// sender's first message. It is safe for concurrent use.
type Limiter struct {
	cfg Config

	mu        sync.Mutex
	senders   map[string]*window
	nextSweep int // sweep when this many senders are kept
	sweeps    int // sweeps so far (tests)
}

type window struct {
	start time.Time
	n     int
}

// forgetAbove is how many senders are kept before expired windows are
// swept. After a sweep the next one waits until the map has doubled, so
// many senders within one window (a busy hour, a bench) cost amortized O(1)
// per message instead of a full scan under the lock for every new sender.
const forgetAbove = 10000

// New returns a limiter.
func New(cfg Config) *Limiter {
	if cfg.Max == 0 {
		cfg.Max = 20
	}
	if cfg.Window <= 0 {
		cfg.Window = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{cfg: cfg, senders: map[string]*window{}, nextSweep: forgetAbove}
}

// Counter is a store of fixed-window counts that several gateways share
// (bot/limitstore): Hit counts one event of key and returns the count of
// its current window and when that began.
type Counter interface {
	Hit(ctx context.Context, key string, now time.Time, window time.Duration) (n int, start time.Time, err error)
}

// Decision is what Decide says about one message.
type Decision struct {
	Verdict Verdict
	// Start is when the sender's current window began: a notice keyed by
	// it is sent at most once per window.
	Start time.Time
	Wait  time.Duration // until the window ends
}

// Decide counts one message of sender (channel-qualified, e.g.
// "telegram:42") and says what to do with it. With Config.Shared the count
// is the one every gateway shares; when that store fails, the decision is
// made on this process's own count and the store's error is returned too,
// for the caller to log.
func (l *Limiter) Decide(ctx context.Context, sender string) (Decision, error) {
	if l == nil || l.cfg.Max < 0 {
		return Decision{Verdict: Allow}, nil
	}
	now := l.cfg.Now()
	var err error
	if l.cfg.Shared != nil {
		n, start, herr := l.cfg.Shared.Hit(ctx, "flood:"+sender, now, l.cfg.Window)
		if herr == nil {
			return l.decision(n, start, now), nil
		}
		err = fmt.Errorf("flood: shared count: %w", herr)
	}
	n, start := l.count(sender, now)
	return l.decision(n, start, now), err
}

func (l *Limiter) decision(n int, start, now time.Time) Decision {
	d := Decision{Verdict: Drop, Start: start, Wait: max(0, l.cfg.Window-now.Sub(start))}
	switch {
	case n <= l.cfg.Max:
		d.Verdict = Allow
	case n == l.cfg.Max+1:
		d.Verdict = Notify
	}
	return d
}

// count counts one message of sender in this process's windows.
func (l *Limiter) count(sender string, now time.Time) (n int, start time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.senders[sender]
	if w == nil || now.Sub(w.start) >= l.cfg.Window {
		if w == nil && len(l.senders) >= l.nextSweep {
			l.sweep(now)
		}
		w = &window{start: now}
		l.senders[sender] = w
	}
	w.n++
	return w.n, w.start
}

func (l *Limiter) sweep(now time.Time) {
	l.sweeps++
	for k, w := range l.senders {
		if now.Sub(w.start) >= l.cfg.Window {
			delete(l.senders, k)
		}
	}
	l.nextSweep = max(forgetAbove, 2*len(l.senders))
}
