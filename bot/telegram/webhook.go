package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// SecretHeader carries the webhook's secret_token on every update.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// allowedUpdates are the update kinds the gateway asks for.
const allowedUpdates = `["message","callback_query"]`

// ErrBadUpdate is returned by Receive for a body that is not an Update.
var ErrBadUpdate = fmt.Errorf("telegram: %w", inbox.ErrMalformed)

// Authentic reports, in constant time, whether the request carries the
// webhook's secret token.
func (c *Channel) Authentic(h http.Header, _ []byte) bool {
	got := sha256.Sum256([]byte(h.Get(SecretHeader)))
	want := sha256.Sum256([]byte(c.cfg.Secret))
	return c.cfg.Secret != "" && subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// Receive parses a webhook body and persists the update; it returns once
// the update is durable (or deliberately ignored), so the webhook may
// answer 200. A persistence error means Telegram should retry.
func (c *Channel) Receive(ctx context.Context, body []byte) error {
	var u tgbotapi.Update
	if err := json.Unmarshal(body, &u); err != nil || u.UpdateID == 0 {
		return ErrBadUpdate
	}
	return c.receive(ctx, u)
}

// SetWebhook registers baseURL + WebhookPath with the secret_token, which
// the library's WebhookConfig cannot carry: the raw parameters are sent
// through MakeRequest.
func (c *Channel) SetWebhook(ctx context.Context, baseURL string) error {
	api := c.bot(ctx, c.http)
	if api == nil {
		return errNotConnected
	}
	_, err := api.MakeRequest("setWebhook", tgbotapi.Params{
		"url":             strings.TrimRight(baseURL, "/") + WebhookPath,
		"secret_token":    c.cfg.Secret,
		"allowed_updates": allowedUpdates,
		"max_connections": "40",
	})
	if err != nil {
		return fmt.Errorf("setWebhook: %w", err)
	}
	c.cfg.Logger.Info("telegram webhook registered", "channel", Name, "url", strings.TrimRight(baseURL, "/")+WebhookPath)
	return nil
}

// deleteWebhook switches the bot to getUpdates (they are exclusive).
func (c *Channel) deleteWebhook(ctx context.Context) error {
	api := c.bot(ctx, c.http)
	if api == nil {
		return errNotConnected
	}
	if _, err := api.MakeRequest("deleteWebhook", nil); err != nil {
		return fmt.Errorf("deleteWebhook: %w", err)
	}
	return nil
}
