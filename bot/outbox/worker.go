package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// batch is how many chat heads one dispatch round reads.
const batch = 100

// Run sends due rows until ctx is done, then waits for the sends in flight:
// they are not cut off, so a message the platform accepted is recorded as
// sent and not sent again by the next worker.
func (o *Outbox) Run(ctx context.Context) {
	sem := make(chan struct{}, o.cfg.Concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	var pruned time.Time
	for {
		wait := o.dispatch(ctx, sem, &wg)
		if now := o.cfg.Now(); now.Sub(pruned) >= time.Hour {
			pruned = now
			if n, err := o.prune(ctx, now.Add(-o.cfg.Retention)); err != nil && ctx.Err() == nil {
				o.cfg.Logger.Warn("outbox prune", "err", err)
			} else if n > 0 {
				o.cfg.Logger.Debug("outbox pruned", "rows", n)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-o.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// dispatch starts the sends that are due and allowed by the rate limits,
// and returns how long to wait before looking again.
func (o *Outbox) dispatch(ctx context.Context, sem chan struct{}, wg *sync.WaitGroup) time.Duration {
	wait := o.cfg.PollInterval
	if len(sem) == cap(sem) {
		return wait // no free slot: a finishing send wakes the worker
	}
	now := o.cfg.Now()
	o.forgetSettled()
	rows, err := o.due(ctx, o.channelNames(), now, batch)
	if err != nil {
		if ctx.Err() == nil {
			o.cfg.Logger.Error("outbox: read due rows", "err", err)
		}
		return wait
	}
	for _, r := range rows {
		select {
		case sem <- struct{}{}:
		default:
			return wait // a finishing send wakes the worker
		}
		ch := o.channel(r.channel)
		if ok, retryIn := o.admit(ch, r, now); !ok {
			<-sem
			wait = min(wait, retryIn)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o.send(ctx, ch, r)
		}()
	}
	if len(rows) == batch {
		return 0
	}
	if next, err := o.nextDue(ctx, now); err == nil && !next.IsZero() {
		wait = min(wait, max(next.Sub(now), 0))
	}
	return wait
}

// send delivers one row and records the outcome.
func (o *Outbox) send(ctx context.Context, ch *channel, r row) {
	var retryAfter time.Duration
	var msg OutMessage
	err := json.Unmarshal([]byte(r.body), &msg)
	if err != nil {
		err = fmt.Errorf("%w: row %d: decode: %w", ErrPermanent, r.id, err)
	} else {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.cfg.SendTimeout)
		retryAfter, err = ch.sender.Send(sctx, r.chatID, msg)
		cancel()
	}
	defer o.kick()
	defer o.release(ch, r)

	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := o.cfg.Now()
	log := o.cfg.Logger.With("channel", r.channel, "chat_id", r.chatID, "key", r.key, "chunk", r.chunk)
	var dbErr error
	switch attempts := r.attempts + 1; {
	case err == nil:
		dbErr = o.markSent(dctx, r.id, now)
		ch.counts.sent.Add(1)
	case errors.Is(err, ErrPermanent), now.Sub(r.createdAt) >= o.cfg.MaxAge,
		retryAfter <= 0 && attempts >= o.cfg.MaxAttempts:
		dbErr = o.markFailed(dctx, r.id, attempts, err.Error())
		ch.counts.failed.Add(1)
		log.Warn("outbox: delivery failed, giving up", "attempts", attempts, "err", err)
	case retryAfter > 0: // flood control: wait as told, not counted as a failure
		dbErr = o.markRetry(dctx, r.id, r.attempts, now.Add(retryAfter), err.Error())
		ch.counts.retries.Add(1)
		log.Info("outbox: rate limited by the platform", "retry_after", retryAfter)
	default:
		next := now.Add(o.backoff(attempts))
		dbErr = o.markRetry(dctx, r.id, attempts, next, err.Error())
		ch.counts.retries.Add(1)
		log.Info("outbox: delivery failed, will retry", "attempts", attempts, "next_at", next, "err", err)
	}
	if dbErr != nil {
		log.Error("outbox: record delivery outcome", "err", dbErr)
	}
}

// backoff is the delay before retry number attempts: exponential, capped,
// with jitter over its upper half.
func (o *Outbox) backoff(attempts int) time.Duration {
	d := o.cfg.MinBackoff
	for i := 1; i < attempts && d < o.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, o.cfg.MaxBackoff)
	return d/2 + time.Duration(o.cfg.Jitter()*float64(d/2))
}

func (o *Outbox) channelNames() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	names := make([]string, 0, len(o.channels))
	for n := range o.channels {
		names = append(names, n)
	}
	return names
}

func (o *Outbox) channel(name string) *channel {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.channels[name]
}
