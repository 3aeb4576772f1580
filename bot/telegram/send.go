package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// notConnectedWait is how long a send waits while getMe has not succeeded.
const notConnectedWait = 2 * time.Second

// Send sends one outbox message (outbox.Sender). A 429 returns the
// retry_after Telegram asked for; 400, 403 and 404 (bad request, bot
// blocked, chat gone) are permanent.
func (c *Channel) Send(ctx context.Context, chatID string, m outbox.OutMessage) (time.Duration, error) {
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: telegram chat id %q", outbox.ErrPermanent, chatID)
	}
	api := c.bot(ctx, c.http)
	if api == nil { // wait for the connection without using up attempts
		return notConnectedWait, errNotConnected
	}
	msg := tgbotapi.NewMessage(id, m.Text)
	msg.ParseMode = tgbotapi.ModeHTML
	msg.DisableWebPagePreview = true
	if len(m.Markup) > 0 {
		msg.ReplyMarkup = m.Markup
	}
	_, err = api.Request(msg)
	var te *tgbotapi.Error
	switch {
	case err == nil:
		return 0, nil
	case !errors.As(err, &te):
		return 0, fmt.Errorf("telegram sendMessage: %w", err)
	case te.Code == 429:
		return time.Duration(max(te.RetryAfter, 1)) * time.Second, fmt.Errorf("telegram sendMessage: %w", err)
	case te.Code == 400 || te.Code == 403 || te.Code == 404:
		return 0, fmt.Errorf("%w: telegram sendMessage: %d %s", outbox.ErrPermanent, te.Code, te.Message)
	}
	return 0, fmt.Errorf("telegram sendMessage: %d %w", te.Code, err)
}
