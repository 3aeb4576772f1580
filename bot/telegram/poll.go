package telegram

import (
	"context"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// poll long-polls getUpdates until ctx is done. The offset is persisted
// after the updates before it are durable, so a restart neither loses nor
// (thanks to the inbox's dedupe) double-answers an update.
func (c *Channel) poll(ctx context.Context) {
	offset, err := c.cfg.Store.PollOffset(ctx, c.botID)
	if err != nil {
		c.cfg.Logger.Error("telegram: load poll offset", "channel", Name, "err", err)
	}
	wait := min(time.Second, c.cfg.RetryMax)
	for ctx.Err() == nil {
		next, err := c.pollOnce(ctx, offset)
		if err == nil {
			wait = min(time.Second, c.cfg.RetryMax)
			if next != offset {
				offset = next
				if err := c.cfg.Store.SavePollOffset(ctx, c.botID, offset, c.cfg.Now()); err != nil && ctx.Err() == nil {
					c.cfg.Logger.Error("telegram: save poll offset", "channel", Name, "err", err)
				}
			}
			continue
		}
		if ctx.Err() != nil {
			return
		}
		c.cfg.Logger.Warn("telegram getUpdates failed, retrying", "channel", Name, "err", err, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(wait*2, c.cfg.RetryMax)
	}
}

// pollOnce fetches and persists one batch; it returns the next offset,
// advanced past the updates persisted even when a later one failed.
func (c *Channel) pollOnce(ctx context.Context, offset int) (int, error) {
	api := c.bot(ctx, c.poller)
	if api == nil {
		return offset, errNotConnected
	}
	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{
		Offset: offset, Limit: 100, Timeout: int(c.cfg.PollTimeout / time.Second),
		AllowedUpdates: []string{"message", "callback_query"},
	})
	if err != nil {
		return offset, err
	}
	for _, u := range updates {
		if err := c.receive(ctx, u); err != nil {
			return offset, err
		}
		offset = u.UpdateID + 1
	}
	return offset, nil
}
