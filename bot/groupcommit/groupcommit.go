// Package groupcommit runs concurrent writes together, one transaction for
// many (group commit): the first caller to find no write running becomes
// the leader and writes what is queued; whoever arrives meanwhile waits for
// the next round, which the oldest of them leads once the leader's round
// is written (the leader returns then, with its own outcome). No timer:
// under load a round is what arrived during the previous write (a
// millisecond or two), and alone a write runs at once. Nobody returns
// before the round holding its item is written.
package groupcommit

import (
	"context"
	"sync"
	"time"
)

// Group batches items of type In into calls of write, which returns one
// Out per item, in order.
type Group[In, Out any] struct {
	write func(ctx context.Context, batch []In) []Out
	max   int

	mu      sync.Mutex
	queue   []*req[In, Out]
	leading bool
}

type req[In, Out any] struct {
	in  In
	out Out
	// wake gets false once the item is written (out is set), or true when
	// its caller is to lead the next round (the item heads the queue).
	wake chan bool
}

// New returns a group writing at most max items per call of write.
func New[In, Out any](max int, write func(ctx context.Context, batch []In) []Out) *Group[In, Out] {
	return &Group[In, Out]{write: write, max: max}
}

// Do writes in with whatever else is being written and returns its outcome
// once its round is written. It is not cut short by ctx (the caller must
// learn whether its item was written); the rounds run under ctx without
// its cancellation, bounded to 30 s each.
//
// A leader writes one round, the one holding its own item, and hands the
// lead to the oldest waiter: under steady load the queue is seldom empty,
// and a leader that wrote until it was kept its own caller waiting for
// dozens of rounds (TestLeaderReturnsAfterItsOwnRound: 19.5 s).
func (g *Group[In, Out]) Do(ctx context.Context, in In) Out {
	r := &req[In, Out]{in: in, wake: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead && !<-r.wake {
		return r.out // written in another caller's round
	}
	g.round(ctx, r)
	return r.out
}

// round writes the first max items of the queue (the leader's among them:
// a leader's item heads the queue) and passes the lead on, or gives it up
// when nobody waits.
func (g *Group[In, Out]) round(ctx context.Context, leader *req[In, Out]) {
	g.mu.Lock()
	n := min(len(g.queue), g.max)
	reqs := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	batch := make([]In, n)
	for i, r := range reqs {
		batch[i] = r.in
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	outs := g.write(wctx, batch)
	cancel()
	for i, r := range reqs {
		r.out = outs[i]
		if r != leader {
			r.wake <- false
		}
	}
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.leading = false
	} else {
		g.queue[0].wake <- true
	}
	g.mu.Unlock()
}
