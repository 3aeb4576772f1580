package inbox

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
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
	in.recover(ctx)
	wg.Wait()
}

// recover schedules every registered channel's conversations that have
// unanswered messages from the recovery window.
func (in *Inbox) recover(ctx context.Context) {
	in.mu.Lock()
	names := make([]string, 0, len(in.channels))
	for n := range in.channels {
		names = append(names, n)
	}
	in.mu.Unlock()
	since := in.cfg.Now().Add(-in.cfg.Recover)
	for _, name := range names {
		ids, err := in.cfg.Store.PendingConversations(ctx, name, since)
		if ctx.Err() != nil {
			return // stopping: the next start looks again
		}
		if err != nil {
			in.cfg.Logger.Error("inbox: find unanswered messages", "channel", name, "err", err)
			continue
		}
		if len(ids) > 0 {
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
func (in *Inbox) process(ctx context.Context, conv string) {
	pending, err := in.cfg.Store.PendingInbound(ctx, conv)
	if err != nil {
		in.retry(conv, "", err)
		return
	}
	for _, p := range pending {
		ch := in.channel(p.Channel)
		if ch == nil || ctx.Err() != nil {
			return // not served by this process, or stopping: the next start recovers it
		}
		a, fresh, err := in.answerOne(ctx, ch, p)
		if err != nil {
			in.retry(conv, p.ChannelMessageID, err)
			return
		}
		if w, ok := ch.(Waiter); ok {
			w.Answered(conv, p.ID, a, fresh)
		}
	}
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
