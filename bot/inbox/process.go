package inbox

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/periodic"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Run answers accepted updates until ctx is done. It first schedules the
// conversations left with unanswered messages (a crash between "persisted"
// and "answered"), and prunes old dedupe keys hourly (see retention). It
// returns after the workers have finished the message they were answering.
func (in *Inbox) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		in.retain(ctx)
	}()
	for _, q := range in.queues {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.work(ctx, q)
		}()
	}
	in.recover(ctx, in.cfg.Now().Add(-in.cfg.Recover))
	if in.cfg.Claims != nil {
		in.sweep(ctx)
	}
	wg.Wait()
}

// sweepWindow is how far back a shared inbox's sweep looks: a message
// older than that left unanswered by every gateway (all of them down that
// long) is found by the recovery at the next start.
const sweepWindow = 10 * time.Minute

// sweep schedules, every Config.Sweep, the conversations with unanswered
// messages of the last sweepWindow, whichever gateway accepted them: those
// of a gateway that crashed are answered here once its claims expire (a
// live gateway's conversation is claimed, and skipped here).
func (in *Inbox) sweep(ctx context.Context) {
	periodic.Every(ctx, in.cfg.Sweep, func(ctx context.Context) { in.recover(ctx, in.cfg.Now().Add(-sweepWindow)) })
}

// recover schedules every registered channel's conversations that have
// unanswered messages received since since.
func (in *Inbox) recover(ctx context.Context, since time.Time) {
	in.mu.Lock()
	names := make([]string, 0, len(in.channels))
	for n := range in.channels {
		names = append(names, n)
	}
	in.mu.Unlock()
	for _, name := range names {
		ids, err := in.cfg.Store.PendingConversations(ctx, name, since)
		if ctx.Err() != nil {
			return // stopping: the next start looks again
		}
		if err != nil {
			in.cfg.Logger.Error("inbox: find unanswered messages", "channel", name, "err", err)
			continue
		}
		if len(ids) > 0 && in.cfg.Claims == nil {
			in.cfg.Logger.Info("inbox: answering messages left unanswered", "channel", name, "conversations", len(ids))
		}
		for _, id := range ids {
			in.schedule(id)
		}
	}
}

func (in *Inbox) work(ctx context.Context, q *queue) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.ready:
		}
		for id := q.pop(); id != ""; id = q.pop() {
			if ctx.Err() != nil {
				return // left unanswered in the store: the next start recovers it
			}
			in.process(ctx, id)
		}
	}
}

// process answers the conversation's unanswered messages in order. On an
// error it stops (keeping the order) and retries the conversation later.
// With Claims it answers only under the conversation's lease: another
// gateway holding it answers (and, having given it up, looks again).
func (in *Inbox) process(ctx context.Context, conv string) {
	if in.cfg.Claims == nil {
		in.answerPending(ctx, conv, nil, nil)
		return
	}
	var pending []store.Pending // nil: read under the claim
	for ctx.Err() == nil {
		name := "inbox:" + conv
		l, ok, err := in.cfg.Claims.Acquire(ctx, name)
		if err != nil {
			in.retry(conv, "", err)
			return
		}
		if !ok {
			return // another gateway answers it
		}
		renew := func() bool {
			if _, ok, err := in.cfg.Claims.Acquire(ctx, name); err != nil || !ok {
				in.cfg.Logger.Warn("inbox: lost the conversation's claim; another gateway answers it", "conversation", conv, "err", err)
				return false
			}
			return true
		}
		done := in.answerPending(ctx, conv, pending, renew)
		if err := in.cfg.Claims.Release(context.WithoutCancel(ctx), l); err != nil {
			in.cfg.Logger.Warn("inbox: release the conversation's claim; it expires by itself", "conversation", conv, "err", err)
		}
		if !done {
			return
		}
		// A message accepted by another gateway while this one held the
		// claim was left to this one (its claim failed): look again. (One
		// answered meanwhile by a third is skipped: its reply is stored.)
		if pending, err = in.cfg.Store.PendingInbound(ctx, conv); err != nil {
			in.retry(conv, "", err)
			return
		}
		if len(pending) == 0 {
			return
		}
	}
}

// answerPending answers the conversation's unanswered messages (pending,
// or read now when nil) in order; renew (nil: none) renews the claim
// before each message after the first. done is false when it stopped
// early (an error, retried later; the claim lost; shutting down).
func (in *Inbox) answerPending(ctx context.Context, conv string, pending []store.Pending, renew func() bool) (done bool) {
	if pending == nil {
		var err error
		if pending, err = in.cfg.Store.PendingInbound(ctx, conv); err != nil {
			in.retry(conv, "", err)
			return false
		}
	}
	for i, p := range pending {
		ch := in.channel(p.Channel)
		if ch == nil || ctx.Err() != nil {
			return false // not served by this process, or stopping: the next start recovers it
		}
		if i > 0 && renew != nil && !renew() {
			return false
		}
		a, fresh, err := in.answerOne(ctx, ch, p)
		if err != nil {
			in.retry(conv, p.ChannelMessageID, err)
			return false
		}
		if w, ok := ch.(Waiter); ok {
			w.Answered(conv, p.ID, a, fresh)
		}
	}
	return true
}

// answerOne finishes the message even when ctx ends (shutdown).
func (in *Inbox) answerOne(ctx context.Context, ch Channel, p store.Pending) (bot.Answer, bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return in.answer(ctx, ch, p)
}

// answer runs the engine (or the channel's canned answer) on one message;
// the answer is stored with its rendering for the channel, queued in the
// outbox under the inbound message's key, in one transaction. answered is
// false (and a zero) when the message had its answer already.
func (in *Inbox) answer(ctx context.Context, ch Channel, p store.Pending) (a bot.Answer, answered bool, err error) {
	key := "in:" + strconv.FormatInt(p.ID, 10)
	a, answered, err = in.cfg.Answerer.HandleStored(ctx, bot.Stored{
		Message: p.Message, InboundID: p.ID, Canned: ch.Canned, Render: ch.Render,
		Out: bot.Outgoing{Channel: p.Channel, ChatID: p.ExternalID, Key: key},
	})
	if err == nil && answered {
		in.cfg.Outbox.Kick()
	}
	return a, answered, err
}

func (in *Inbox) retry(conv, updateID string, err error) {
	in.cfg.Logger.Error("inbox: answer failed, will retry", "conversation", conv, "update_id", updateID, "err", err)
	time.AfterFunc(in.cfg.RetryIn, func() { in.schedule(conv) })
}

// Deliver renders an answer that did not come from the engine (a staff
// reply, the rating question) for the chat's channel and queues it, keyed
// by key so that it is queued once. A channel this process does not serve
// is an error: the message would never leave.
func (in *Inbox) Deliver(ctx context.Context, channel, chatID, key string, a bot.Answer) error {
	ch := in.channel(channel)
	if ch == nil {
		return fmt.Errorf("inbox: channel %q is not configured", channel)
	}
	msgs, err := ch.Render(ctx, a)
	if err != nil || len(msgs) == 0 {
		return err
	}
	_, err = in.cfg.Outbox.Enqueue(ctx, channel, chatID, key, msgs)
	return err
}
