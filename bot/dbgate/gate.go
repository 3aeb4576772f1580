// Package dbgate orders the bot's turns on the gateway's one SQLite
// connection. The database/sql pool hands a freed connection to a random
// waiter, so a webhook's accept (which holds a citizen's HTTP request open
// until its update is durable) used to queue behind the answering side's
// reads and writes. A Gate lets urgent work (accepts) go before background
// work (answering, the outbox, the chat API's bookkeeping) and keeps each
// class in arrival order. Every statement of the conversation store
// (bot/store) and the outbox holds a turn, so at most one background
// statement or transaction of theirs stands between an accept and the
// connection (the channel adapters' few own statements are not gated).
package dbgate

import (
	"context"
	"sync"
	"time"
)

// Priority is a turn's class.
type Priority int

const (
	// Background work waits while urgent work is queued.
	Background Priority = iota
	// Urgent work goes first (webhook accepts).
	Urgent
)

// Gate grants one turn at a time. A nil *Gate grants every turn at once
// (no ordering), for tests and tools that do not share a connection.
type Gate struct {
	mu      sync.Mutex
	busy    bool
	waiting [2][]chan struct{} // by Priority, oldest first
	observe func(p Priority, wait, hold time.Duration)
}

// New returns an open gate.
func New() *Gate { return &Gate{} }

// Observe sets a function told, at the end of every turn, how long it
// waited for the connection and how long it held it (metrics: an accept's
// latency is mostly its wait behind the longest background turn). Call it
// before the gate is used; it must be quick.
func (g *Gate) Observe(fn func(p Priority, wait, hold time.Duration)) { g.observe = fn }

// String names a priority (metric labels).
func (p Priority) String() string {
	if p == Urgent {
		return "urgent"
	}
	return "background"
}

// Enter waits for a turn of priority p and returns the function that ends
// it (call it exactly once). It fails only when ctx ends first.
func (g *Gate) Enter(ctx context.Context, p Priority) (leave func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	asked := time.Now()
	g.mu.Lock()
	if !g.busy {
		g.busy = true
		g.mu.Unlock()
		return g.granted(p, asked), nil
	}
	ch := make(chan struct{})
	g.waiting[p] = append(g.waiting[p], ch)
	g.mu.Unlock()
	select {
	case <-ch:
		return g.granted(p, asked), nil
	case <-ctx.Done():
	}
	g.mu.Lock()
	q := g.waiting[p]
	for i, c := range q {
		if c == ch { // not granted: withdraw
			g.waiting[p] = append(q[:i:i], q[i+1:]...)
			g.mu.Unlock()
			return nil, ctx.Err()
		}
	}
	g.mu.Unlock()
	g.leave() // granted while ctx ended: pass the turn on
	return nil, ctx.Err()
}

// granted returns the function that ends a turn asked for at asked, and
// reports its wait and hold when observed.
func (g *Gate) granted(p Priority, asked time.Time) func() {
	if g.observe == nil {
		return g.leave
	}
	start := time.Now()
	return func() {
		end := time.Now()
		g.leave()
		g.observe(p, start.Sub(asked), end.Sub(start))
	}
}

// leave hands the turn to the oldest urgent waiter, else the oldest
// background waiter, else frees the gate.
func (g *Gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for p := Urgent; p >= Background; p-- {
		if q := g.waiting[p]; len(q) > 0 {
			g.waiting[p] = q[1:]
			close(q[0])
			return
		}
	}
	g.busy = false
}

// Do runs fn in a turn of priority p.
func (g *Gate) Do(ctx context.Context, p Priority, fn func() error) error {
	leave, err := g.Enter(ctx, p)
	if err != nil {
		return err
	}
	defer leave()
	return fn()
}
