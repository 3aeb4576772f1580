package inbox

import (
	"context"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/store"
)

// maxBatch bounds how many accepts share one transaction.
const maxBatch = 256

// committer is group commit for Accept: concurrent accepts are persisted
// together in one transaction. There is no timer: the first caller to find
// no commit running becomes the leader and commits what is queued; whoever
// arrives meanwhile waits for the next round, which the leader runs right
// after. Under load a batch is what arrived during the previous commit
// (about 1–2 ms); alone, an accept commits immediately. Nobody returns
// before the transaction holding its update has committed.
type committer struct {
	accept func(ctx context.Context, batch []store.Inbound) []store.Accepted

	mu      sync.Mutex
	queue   []*acceptReq
	leading bool
}

type acceptReq struct {
	in   store.Inbound
	out  store.Accepted
	done chan struct{}
}

// do persists in with whatever else is being accepted and returns its
// outcome once it is durable.
func (c *committer) do(ctx context.Context, in store.Inbound) store.Accepted {
	r := &acceptReq{in: in, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, r)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if lead {
		c.lead(ctx)
	}
	<-r.done // not cut short by ctx: the answer must say whether it is durable
	return r.out
}

// lead commits batches until the queue is empty.
func (c *committer) lead(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for {
		c.mu.Lock()
		n := min(len(c.queue), maxBatch)
		if n == 0 {
			c.leading = false
			c.mu.Unlock()
			return
		}
		reqs := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		batch := make([]store.Inbound, n)
		for i, r := range reqs {
			batch[i] = r.in
		}
		outs := c.accept(ctx, batch)
		for i, r := range reqs {
			r.out = outs[i]
			close(r.done)
		}
	}
}
