package zalobot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// APIError is an error answer of the Bot API.
type APIError struct {
	Method      string
	Status      int // HTTP status
	Code        int // error_code
	Description string
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("zalobot %s: HTTP %d, error %d %s", e.Method, e.Status, e.Code, e.Description)
}

// call POSTs params as JSON to <API>/bot<token>/<method> and returns the
// result. The token never appears in errors.
func (c *Channel) call(ctx context.Context, client *http.Client, method string, params any) (json.RawMessage, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("zalobot %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.APIURL+"/bot"+c.cfg.Token+"/"+method, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("zalobot %s: %s", method, c.redact(err.Error()))
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = c.redact(ue.URL)
		}
		return nil, fmt.Errorf("zalobot %s: %w", method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("zalobot %s: %w", method, err)
	}
	var env struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		ErrorCode   int             `json:"error_code"`
		Description string          `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, &APIError{Method: method, Status: resp.StatusCode, Description: "unreadable answer"}
	}
	if !env.OK || resp.StatusCode >= 300 {
		e := &APIError{Method: method, Status: resp.StatusCode, Code: env.ErrorCode, Description: c.redact(env.Description)}
		if e.Code == 0 {
			e.Code = resp.StatusCode
		}
		if env.Parameters.RetryAfter > 0 {
			e.RetryAfter = time.Duration(env.Parameters.RetryAfter) * time.Second
		}
		return nil, e
	}
	return env.Result, nil
}

func (c *Channel) redact(s string) string { return strings.ReplaceAll(s, c.cfg.Token, "<token>") }

// Send sends one outbox message with sendMessage (outbox.Sender). A 429
// asks the outbox to wait; 400, 403 and 404 are permanent.
func (c *Channel) Send(ctx context.Context, chatID string, m outbox.OutMessage) (time.Duration, error) {
	_, err := c.call(ctx, c.http, "sendMessage", map[string]string{"chat_id": chatID, "text": m.Text})
	var ae *APIError
	switch {
	case err == nil:
		return 0, nil
	case !errors.As(err, &ae):
		return 0, err
	case ae.Code == http.StatusTooManyRequests || ae.Status == http.StatusTooManyRequests:
		return max(ae.RetryAfter, time.Second), err
	case ae.Code == 400 || ae.Code == 403 || ae.Code == 404:
		return 0, fmt.Errorf("%w: %w", outbox.ErrPermanent, err)
	}
	return 0, err
}

// SetWebhook registers baseURL + WebhookPath with the secret token.
func (c *Channel) SetWebhook(ctx context.Context, baseURL string) error {
	u := strings.TrimRight(baseURL, "/") + WebhookPath
	if _, err := c.call(ctx, c.http, "setWebhook", map[string]string{"url": u, "secret_token": c.cfg.Secret}); err != nil {
		return err
	}
	c.cfg.Logger.Info("zalo bot webhook registered", "channel", Name, "url", u)
	return nil
}

// GetMe checks the token.
func (c *Channel) GetMe(ctx context.Context) error {
	_, err := c.call(ctx, c.http, "getMe", struct{}{})
	return err
}
