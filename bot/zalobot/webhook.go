package zalobot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
)

// SecretHeader carries the webhook's secret_token on every update.
const SecretHeader = "X-Bot-Api-Secret-Token"

// ErrBadUpdate is returned by Receive for a body that is not an update.
var ErrBadUpdate = fmt.Errorf("zalobot: %w", inbox.ErrMalformed)

// Authentic reports, in constant time, whether the request carries the
// webhook's secret token.
func (c *Channel) Authentic(h http.Header, _ []byte) bool {
	got := sha256.Sum256([]byte(h.Get(SecretHeader)))
	want := sha256.Sum256([]byte(c.cfg.Secret))
	return c.cfg.Secret != "" && subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// update is one Bot Platform update (the fields the gateway uses).
type update struct {
	EventName string `json:"event_name"`
	Message   *struct {
		MessageID zalo.ID `json:"message_id"`
		Text      string  `json:"text"`
		Date      zalo.ID `json:"date"` // epoch ms
		From      struct {
			ID    zalo.ID `json:"id"`
			IsBot bool    `json:"is_bot"`
		} `json:"from"`
		Chat struct {
			ID       zalo.ID `json:"id"`
			ChatType string  `json:"chat_type"`
		} `json:"chat"`
	} `json:"message"`
}

// body is either shape: a bare update, or {"ok":…, "result": update or [update…]}.
type body struct {
	update
	Result json.RawMessage `json:"result"`
}

// updates reads the updates of a webhook body or a getUpdates answer.
func updates(raw []byte) ([]update, error) {
	var b body
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, ErrBadUpdate
	}
	res := bytes.TrimSpace(b.Result)
	switch {
	case len(res) == 0 || bytes.Equal(res, []byte("null")):
		if b.EventName == "" {
			return nil, ErrBadUpdate
		}
		return []update{b.update}, nil
	case res[0] == '[':
		var us []update
		if err := json.Unmarshal(res, &us); err != nil {
			return nil, ErrBadUpdate
		}
		return us, nil
	}
	var u update
	if err := json.Unmarshal(res, &u); err != nil || u.EventName == "" {
		return nil, ErrBadUpdate
	}
	return []update{u}, nil
}

// Receive parses a webhook body and persists its update; it returns once
// the update is durable (or deliberately ignored), so the webhook may
// answer 200.
func (c *Channel) Receive(ctx context.Context, raw []byte) error {
	us, err := updates(raw)
	if err != nil {
		return err
	}
	for _, u := range us {
		if err := c.receive(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

func (c *Channel) receive(ctx context.Context, u update) error {
	in, ok, err := c.parse(u)
	if err != nil || !ok {
		return err
	}
	res, err := c.cfg.Inbox.Accept(ctx, in)
	if err != nil {
		return err
	}
	c.cfg.Logger.Debug("zalo bot update", "channel", Name, "chat_id", in.ChatID, "update_id", in.ID, "duplicate", res.Duplicate)
	return nil
}

// parse turns an update into an inbound message; ok=false for what the
// gateway ignores (groups, bots, unknown events).
func (c *Channel) parse(u update) (inbox.Update, bool, error) {
	m := u.Message
	if m == nil {
		return inbox.Update{}, false, nil
	}
	if m.MessageID == "" {
		return inbox.Update{}, false, ErrBadUpdate
	}
	chat := string(m.Chat.ID)
	if chat == "" {
		chat = string(m.From.ID)
	}
	if chat == "" || m.From.IsBot || strings.EqualFold(m.Chat.ChatType, "GROUP") {
		return inbox.Update{}, false, nil
	}
	in := inbox.Update{Channel: Name, ChatID: chat, ID: u.EventName + ":" + string(m.MessageID),
		Message: bot.Message{At: c.cfg.Now()}}
	if ms, err := strconv.ParseInt(string(m.Date), 10, 64); err == nil && ms > 0 {
		in.Message.At = time.UnixMilli(ms).UTC()
	}
	switch u.EventName {
	case "message.text.received":
		in.Message.Text = m.Text
	case "message.image.received", "message.sticker.received", "message.voice.received",
		"message.unsupported.received", "message.file.received", "message.video.received":
		in.Message.Text = zalo.TextUnsupportedIn
	default:
		return in, false, nil
	}
	return in, strings.TrimSpace(in.Message.Text) != "", nil
}
