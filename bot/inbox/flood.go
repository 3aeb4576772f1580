package inbox

import (
	"context"
	"strconv"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
)

// flooding applies the sender's flood limit before anything is persisted:
// a message over the limit is counted and dropped (the webhook still
// answers 200, so the platform does not deliver it again); the first one of
// the window queues the notice instead of an answer. wait is how long until
// the sender's window ends.
func (in *Inbox) flooding(ctx context.Context, u Update, c *counters) (wait time.Duration, flooded bool) {
	d, err := in.flood.Decide(ctx, u.Channel+":"+u.ChatID)
	if err != nil { // decided on this gateway's own count
		in.cfg.Logger.Warn("inbox: flood limit", "channel", u.Channel, "err", err)
	}
	if d.Verdict == flood.Allow {
		return 0, false
	}
	wait = d.Wait
	c.flooded.Add(1)
	log := in.cfg.Logger.With("channel", u.Channel, "chat_id", u.ChatID, "update_id", u.ID)
	if d.Verdict == flood.Drop {
		log.Debug("inbox: flood limit, message dropped")
		return wait, true
	}
	log.Info("inbox: flood limit reached, sending the notice")
	ch := in.channel(u.Channel)
	if ch == nil {
		return wait, true
	}
	msgs, err := ch.Render(ctx, bot.Answer{Kind: bot.KindFallback, Text: flood.Notice})
	if err == nil && len(msgs) > 0 {
		key := "flood:" + u.ChatID + ":" + strconv.FormatInt(d.Start.UnixNano(), 10)
		_, err = in.cfg.Outbox.Enqueue(ctx, u.Channel, u.ChatID, key, msgs)
	}
	if err != nil { // the limit still holds: better no notice than an answer
		log.Error("inbox: queue the flood notice", "err", err)
	}
	return wait, true
}
