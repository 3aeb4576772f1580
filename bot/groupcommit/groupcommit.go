// Package groupcommit runs concurrent writes together, one transaction for
// many (group commit): the first caller to find no write running becomes
// the leader and writes what is queued; whoever arrives meanwhile waits for
// the next round, which the leader runs right after. There is no timer:
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
	in   In
	out  Out
	done chan struct{}
}

// New returns a group writing at most max items per call of write.
func New[In, Out any](max int, write func(ctx context.Context, batch []In) []Out) *Group[In, Out] {
	return &Group[In, Out]{write: write, max: max}
}

// Do writes in with whatever else is being written and returns its outcome
// once its round is written. It is not cut short by ctx (the caller must
// learn whether its item was written); the rounds run under ctx without
// its cancellation, bounded to 30 s each.
func (g *Group[In, Out]) Do(ctx context.Context, in In) Out {
	r := &req[In, Out]{in: in, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, r)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead {
		g.lead(ctx)
	}
	<-r.done
	return r.out
}

// lead writes rounds until the queue is empty.
func (g *Group[In, Out]) lead(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for {
		g.mu.Lock()
		n := min(len(g.queue), g.max)
		if n == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		reqs := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		batch := make([]In, n)
		for i, r := range reqs {
			batch[i] = r.in
		}
		outs := g.write(ctx, batch)
		for i, r := range reqs {
			r.out = outs[i]
			close(r.done)
		}
	}
}
