package llm

import (
	"sync"
	"time"
)

// breaker is a circuit breaker: after max consecutive failures it opens
// for cooldown (calls fail at once); then one trial call is let through
// (half-open): its success closes the breaker, its failure opens it again.
type breaker struct {
	mu       sync.Mutex
	max      int
	cooldown time.Duration
	now      func() time.Time
	fails    int
	openedAt time.Time
	open     bool
	trial    bool // a half-open trial call is in flight
}

func newBreaker(max int, cooldown time.Duration, now func() time.Time) *breaker {
	return &breaker{max: max, cooldown: cooldown, now: now}
}

// allow reports whether a call may go out now.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return true
	}
	if b.trial || b.now().Sub(b.openedAt) < b.cooldown {
		return false
	}
	b.trial = true
	return true
}

func (b *breaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails, b.open, b.trial = 0, false, false
}

// failure records a failed call; it reports whether the breaker opened.
func (b *breaker) failure() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails++
	if b.trial || (!b.open && b.fails >= b.max) {
		b.open, b.trial, b.openedAt = true, false, b.now()
		return true
	}
	return false
}
