// Package flood is the channel-neutral per-sender flood limit: a sender may
// send Max messages per Window; the first message over the limit gets one
// polite notice, and the rest of that window is dropped (counted, not
// persisted, not answered).
package flood

import (
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

// Check counts one message of sender (channel-qualified, e.g.
// "telegram:42") and says what to do with it.
func (l *Limiter) Check(sender string) Verdict {
	if l == nil || l.cfg.Max < 0 {
		return Allow
	}
	now := l.cfg.Now()
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
	switch {
	case w.n <= l.cfg.Max:
		return Allow
	case w.n == l.cfg.Max+1:
		return Notify
	}
	return Drop
}

// WindowStart is when the sender's current window began (zero: none); a
// notice keyed by it is sent at most once per window.
func (l *Limiter) WindowStart(sender string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.senders[sender]; w != nil {
		return w.start
	}
	return time.Time{}
}

// Wait is how long until the sender's current window ends (0: none).
func (l *Limiter) Wait(sender string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.senders[sender]
	if w == nil {
		return 0
	}
	return max(0, l.cfg.Window-l.cfg.Now().Sub(w.start))
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
