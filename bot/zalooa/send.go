package zalooa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// Zalo OA API error codes the sender acts on.
const (
	errTokenInvalid = -216 // access token invalid or expired: refresh and retry once
	errTooMany      = -32  // too many requests: retry later
)

// ErrOutsideWindow is wrapped (with outbox.ErrPermanent) by Send for a
// follower whose last message is older than ReplyWindow, or unknown: the
// message is undeliverable and left for staff.
var ErrOutsideWindow = errors.New("undeliverable: outside Zalo OA's 48-hour reply window")

// ReplyQuota is how many messages the OA may send as free replies after
// each message of a follower (Zalo's help desk: 8 within 48 hours, reset by
// the follower's next message; more would be paid proactive messages, which
// a ward's OA does not send). Every chunk counts.
const ReplyQuota = 8

// ErrQuotaUsed is wrapped (with outbox.ErrPermanent) by Send when the
// follower's free replies since their last message are used up: the message
// is undeliverable and left for staff.
var ErrQuotaUsed = errors.New("undeliverable: Zalo OA's 8 free replies since the follower's last message are used")

// LastInbound is when the follower last wrote to the OA (ok=false: never).
func (c *Channel) LastInbound(ctx context.Context, userID string) (time.Time, bool, error) {
	f, ok, err := c.cfg.Store.Follower(ctx, userID)
	return f.LastInbound, ok, err
}

// Send sends one outbox message as a customer-service message
// (outbox.Sender). Outside the 48-hour window, or past the ReplyQuota since
// the follower's last message, nothing is sent and the error is permanent;
// -216 refreshes the token and retries once; -32 asks the outbox to wait.
// The outbox sends one message per chat at a time, so the quota is not
// raced.
func (c *Channel) Send(ctx context.Context, userID string, m outbox.OutMessage) (time.Duration, error) {
	f, ok, err := c.cfg.Store.Follower(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("zalooa: send: %w", err)
	}
	if !ok || c.cfg.Now().Sub(f.LastInbound) > ReplyWindow {
		c.cfg.Logger.Warn("zalo oa message undeliverable: outside the reply window", "channel", Name, "chat_id", userID)
		return 0, fmt.Errorf("%w: %w", outbox.ErrPermanent, ErrOutsideWindow)
	}
	if f.Replies >= ReplyQuota {
		c.cfg.Logger.Warn("zalo oa message undeliverable: free replies used", "channel", Name, "chat_id", userID)
		return 0, fmt.Errorf("%w: %w", outbox.ErrPermanent, ErrQuotaUsed)
	}
	tok := c.token(ctx)
	code, err := c.post(ctx, tok, userID, m.Text)
	if err == nil && code == errTokenInvalid {
		if tok, err = c.refresh(ctx, tok); err != nil {
			return 0, err
		}
		code, err = c.post(ctx, tok, userID, m.Text)
	}
	switch {
	case err != nil:
		c.setErr(err.Error())
		return 0, err
	case code == 0:
		c.setErr("")
		// Sent: a failure to count it must not make the outbox send it
		// again; at worst Zalo charges or refuses a later reply.
		if err := c.cfg.Store.CountReply(ctx, userID); err != nil {
			c.cfg.Logger.Error("zalo oa: count reply", "channel", Name, "chat_id", userID, "err", err)
		}
		return 0, nil
	case code == errTooMany:
		return c.cfg.RateWait, fmt.Errorf("zalooa: send: error %d (too many requests)", code)
	case code == errTokenInvalid:
		c.setErr("access token rejected after a refresh")
	}
	return 0, fmt.Errorf("zalooa: send: error %d", code)
}

// refreshAhead is how long before its known expiry a token is replaced.
const refreshAhead = 5 * time.Minute

// token is the access token to use, refreshed first when it is about to
// expire (a failed early refresh keeps the old token: -216 retries later).
func (c *Channel) token(ctx context.Context) string {
	cur := c.current()
	if cur.ExpiresAt.IsZero() || c.cfg.Now().Before(cur.ExpiresAt.Add(-refreshAhead)) {
		return cur.Access
	}
	tok, err := c.refresh(ctx, cur.Access)
	if err != nil {
		c.cfg.Logger.Warn("zalo oa early token refresh failed", "channel", Name, "err", err)
		return cur.Access
	}
	return tok
}

// post calls /v3.0/oa/message/cs and returns Zalo's error code.
func (c *Channel) post(ctx context.Context, token, userID, text string) (int, error) {
	body, err := json.Marshal(map[string]any{
		"recipient": map[string]string{"user_id": userID},
		"message":   map[string]string{"text": text},
	})
	if err != nil {
		return 0, fmt.Errorf("zalooa: send: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.APIURL+"/v3.0/oa/message/cs", bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("zalooa: send: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("access_token", token)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("zalooa: send: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, fmt.Errorf("zalooa: send: %w", err)
	}
	var r struct {
		Error   *int   `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Error == nil {
		return 0, fmt.Errorf("zalooa: send: HTTP %d, unreadable answer", resp.StatusCode)
	}
	return *r.Error, nil
}
