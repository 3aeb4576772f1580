package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// batch is how many chat heads one dispatch round reads.
const batch = 100

// Run sends due rows until ctx is done, then waits for the sends in flight:
// they are not cut off, so a message the platform accepted is recorded as
// sent and not sent again by the next worker. Before it sends a channel's
// rows, it settles the rows a previous process left in flight (indoubt.go).
func (o *Outbox) Run(ctx context.Context) {
	sem := make(chan struct{}, o.cfg.Concurrency)
	var wg sync.WaitGroup
	defer o.releaseLeases()
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
	leases := o.leaseChannels(ctx)
	rows, read, fullRead := o.heads.rows, o.heads.read, o.heads.full
	if !o.heads.fresh(now) {
		o.forgetSettled()
		var err error
		if rows, err = o.due(ctx, slices.Collect(maps.Keys(leases)), now, batch); err != nil {
			if ctx.Err() == nil {
				o.cfg.Logger.Error("outbox: read due rows", "err", err)
			}
			return wait
		}
		read, fullRead = now, len(rows) == batch
	}
	o.heads = heads{}
	var admitted []row
	var chans []*channel
	full := false
	for i, r := range rows {
		select {
		case sem <- struct{}{}:
		default: // every slot taken: a finishing send wakes the worker
			full = true
			o.heads = heads{rows: rows[i:], read: read, full: fullRead}
		}
		if full {
			break
		}
		ch := o.channel(r.channel)
		if ok, retryIn := o.admit(ch, r); !ok {
			<-sem
			wait = min(wait, retryIn)
			continue
		}
		admitted, chans = append(admitted, r), append(chans, ch)
	}
	o.start(ctx, admitted, chans, leases, sem, wg)
	if full {
		return wait
	}
	if fullRead {
		return 0
	}
	if next, err := o.nextDue(ctx, now); err == nil && !next.IsZero() {
		wait = min(wait, max(next.Sub(now), 0))
	}
	return wait
}

// heads are the due rows (chat heads) of the last read that the slots ran
// out before: while every slot is taken, each finishing send starts the
// next of them instead of reading the database again. Under a backlog that
// read — a hundred rows with their bodies, in the connection's turn, where
// webhook accepts wait — ran once per send and took an eighth of the
// gateway's CPU (bench). The rows stay valid: this process alone sends
// them (the lease), a claim checks each is unchanged since it was read, and
// the rows queued since are younger, so they come after them anyway.
type heads struct {
	rows []row     // not considered yet, in order
	read time.Time // when they were read
	full bool      // the read returned a whole batch: more rows may be due
}

// headsFor is how long heads are used before the due rows are read again.
const headsFor = 500 * time.Millisecond

// fresh says whether there are heads to use at now.
func (h heads) fresh(now time.Time) bool {
	return len(h.rows) > 0 && now.Sub(h.read) < headsFor
}

// start marks the admitted rows in flight in the database, in one
// transaction, before any of them is sent (no mark, no send; no mark
// either when the channel's lease was lost since), then sends
// each claimed row in its own goroutine, which holds the row's Concurrency
// slot (taken by dispatch) until its outcome is recorded: at most
// Concurrency rows are ever in flight, which bounds what a crash can leave
// in doubt. When the mark fails (the disk is full) nothing is sent and the
// rows' chats wait, longer each time.
func (o *Outbox) start(ctx context.Context, rows []row, chans []*channel, leases map[string]lease.Lease, sem chan struct{}, wg *sync.WaitGroup) {
	if len(rows) == 0 {
		return
	}
	claimed, err := o.claimAll(ctx, rows, leases, o.cfg.Now())
	if err != nil && ctx.Err() == nil {
		wait := min(o.backoff(int(o.claimFails.Add(1))), maxRecordBackoff)
		o.cfg.Logger.Error("outbox: mark in flight failed, not sending", "rows", len(rows), "retry_in", wait, "err", err)
		for i, r := range rows {
			o.holdOff(chans[i], r, wait)
		}
	} else if err == nil {
		o.claimFails.Store(0)
	}
	for i, r := range rows {
		if err != nil || !claimed[i] { // not sent: its send ended since the read, or no mark
			o.release(chans[i], r)
			<-sem
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o.send(ctx, chans[i], r)
		}()
	}
}

// send delivers one row marked in flight and records the outcome. The
// platform is called once: when the outcome cannot be recorded (the disk is
// full), only the write is retried, with backoff, while the row stays in
// flight here and its chat waits.
func (o *Outbox) send(ctx context.Context, ch *channel, r row) {
	defer o.kick()
	defer o.release(ch, r)
	log := o.cfg.Logger.With("channel", r.channel, "chat_id", r.chatID, "key", r.key, "chunk", r.chunk)
	o.started(ch, r)
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

	now := o.cfg.Now()
	var record func(context.Context) error
	switch attempts := r.attempts + 1; {
	case err == nil:
		ch.counts.sent.Add(1)
		record = func(ctx context.Context) error { return o.markSent(ctx, r.id, now) }
	case errors.Is(err, ErrPermanent), now.Sub(r.createdAt) >= o.cfg.MaxAge,
		retryAfter <= 0 && attempts >= o.cfg.MaxAttempts:
		ch.counts.failed.Add(1)
		log.Warn("outbox: delivery failed, giving up", "attempts", attempts, "err", err)
		record = func(ctx context.Context) error { return o.markFailed(ctx, r.id, attempts, err.Error()) }
	case retryAfter > 0: // flood control: wait as told, not counted as a failure
		ch.counts.retries.Add(1)
		log.Info("outbox: rate limited by the platform", "retry_after", retryAfter)
		record = func(ctx context.Context) error {
			return o.markRetry(ctx, r.id, r.attempts, now.Add(retryAfter), err.Error())
		}
	default:
		next := now.Add(o.backoff(attempts))
		ch.counts.retries.Add(1)
		log.Info("outbox: delivery failed, will retry", "attempts", attempts, "next_at", next, "err", err)
		record = func(ctx context.Context) error { return o.markRetry(ctx, r.id, attempts, next, err.Error()) }
	}
	o.record(ctx, log, record)
}

// maxRecordBackoff bounds the wait between two tries of recording an
// outcome, so that a row is recorded soon after the disk has room again.
const maxRecordBackoff = 30 * time.Second

// record runs write until it succeeds, retrying with backoff (the write
// only, never the send). When ctx ends first it tries once more and gives
// up: the row stays in flight in the database, and the next start finds
// it in doubt.
func (o *Outbox) record(ctx context.Context, log *slog.Logger, write func(context.Context) error) {
	for tries := 1; ; tries++ {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := write(wctx)
		cancel()
		if err == nil {
			if tries > 1 {
				log.Info("outbox: delivery outcome recorded", "tries", tries)
			}
			return
		}
		if ctx.Err() != nil {
			log.Error("outbox: delivery outcome not recorded before shutdown; the next start finds the message in doubt",
				"err", err)
			return
		}
		wait := min(o.backoff(tries), maxRecordBackoff)
		log.Error("outbox: record delivery outcome, will retry the write (not the send)",
			"tries", tries, "retry_in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
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

func (o *Outbox) channel(name string) *channel {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.channels[name]
}
