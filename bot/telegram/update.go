package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// Inbound texts the adapter stores for what is not plain text; Canned
// answers them.
const (
	textSticker    = "[nhãn dán]"
	textPhoto      = "[ảnh]"
	textFile       = "[tệp]"
	textVoice      = "[tin nhắn thoại]"
	textVideo      = "[video]"
	textOther      = "[nội dung khác]"
	textOwnContact = "[số điện thoại của người gửi]"
	textContact    = "[danh bạ]"
	// textHuman is what /canbo means: the engine's talk-to-staff intent.
	textHuman = "gặp cán bộ"
)

// receive persists one update and answers its callback query.
func (c *Channel) receive(ctx context.Context, u tgbotapi.Update) error {
	in, callback, ok, err := c.parse(ctx, u)
	if err != nil {
		return err
	}
	if ok {
		res, err := c.cfg.Inbox.Accept(ctx, in)
		if err != nil {
			return err
		}
		c.cfg.Logger.Debug("telegram update", "channel", Name, "chat_id", in.ChatID, "update_id", in.ID, "duplicate", res.Duplicate)
	}
	if callback != nil {
		c.answerCallback(callback.ID, callback.text)
	}
	return nil
}

type callbackAnswer struct{ ID, text string }

// parse turns an update into an inbound message; ok=false for what the
// gateway ignores (edits, group chats, service messages). A callback query
// is returned to be answered.
func (c *Channel) parse(ctx context.Context, u tgbotapi.Update) (in inbox.Update, cb *callbackAnswer, ok bool, err error) {
	in = inbox.Update{Channel: Name, ID: strconv.Itoa(u.UpdateID)}
	switch {
	case u.Message != nil:
		m := u.Message
		if m.Chat == nil || m.Chat.Type != "private" || m.From == nil {
			return in, nil, false, nil
		}
		in.ChatID = strconv.FormatInt(m.Chat.ID, 10)
		in.Message = bot.Message{At: time.Unix(int64(m.Date), 0).UTC()}
		if in.Message.At.Unix() <= 0 {
			in.Message.At = c.cfg.Now()
		}
		in.Message.Text, in.Message.Location = content(m)
		return in, nil, in.Message.Text != "" || in.Message.Location != nil, nil
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		cb = &callbackAnswer{ID: q.ID}
		if q.Message == nil || q.Message.Chat == nil || q.Message.Chat.Type != "private" {
			return in, cb, false, nil
		}
		payload, found, err := c.payload(ctx, q.Data)
		if err != nil {
			return in, nil, false, fmt.Errorf("telegram: callback payload: %w", err)
		}
		if !found {
			cb.text = textStaleButton
			return in, cb, false, nil
		}
		in.ChatID = strconv.FormatInt(q.Message.Chat.ID, 10)
		in.Message = bot.Message{Text: payload, At: c.cfg.Now()}
		return in, cb, true, nil
	}
	return in, nil, false, nil
}

// content is a message's text or location, or the marker of what the
// gateway does not handle.
func content(m *tgbotapi.Message) (string, *bot.Location) {
	switch {
	case m.Location != nil:
		return "", &bot.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
	case m.Venue != nil:
		return "", &bot.Location{Lat: m.Venue.Location.Latitude, Lon: m.Venue.Location.Longitude}
	case m.Contact != nil:
		// Anyone can share any contact: it is the sender's own number only
		// when the contact's user id is the sender's.
		if m.From != nil && m.Contact.UserID != 0 && m.Contact.UserID == m.From.ID {
			return textOwnContact, nil
		}
		return textContact, nil
	case m.Sticker != nil:
		return textSticker, nil
	case m.Photo != nil:
		return textPhoto, nil
	case m.Document != nil:
		return textFile, nil
	case m.Voice != nil, m.Audio != nil:
		return textVoice, nil
	case m.Video != nil, m.VideoNote != nil, m.Animation != nil:
		return textVideo, nil
	case m.Text != "":
		return command(m.Text), nil
	case m.Dice != nil, m.Poll != nil, m.Game != nil:
		return textOther, nil
	}
	return "", nil // service message (member joined, pinned…): nothing to answer
}

// command maps /canbo to the talk-to-staff text and strips a bot's
// @username from a command; other text is kept as is.
func command(text string) string {
	if !strings.HasPrefix(text, "/") {
		return text
	}
	cmd, rest, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	if cmd == "/canbo" {
		return strings.TrimSpace(textHuman + " " + rest)
	}
	return strings.TrimSpace(cmd + " " + rest)
}

// answerCallback stops the button's spinner, in the background: the
// update is already durable and the answer is best effort.
func (c *Channel) answerCallback(id, text string) {
	c.running.Add(1)
	go func() {
		defer c.running.Done()
		ctx, cancel := context.WithTimeout(context.Background(), c.cfg.Timeout)
		defer cancel()
		api := c.bot(ctx, c.http)
		if api == nil {
			return
		}
		if _, err := api.Request(tgbotapi.NewCallback(id, text)); err != nil {
			c.cfg.Logger.Debug("telegram answerCallbackQuery", "channel", Name, "err", err)
		}
	}()
}
