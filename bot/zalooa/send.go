package zalooa

import (
	"bytes"
	"context"
	"database/sql"
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

const instantLayout = "2006-01-02T15:04:05.000000000Z07:00"

// touch records the follower's latest inbound message time; a newer
// message renews their reply quota.
func (c *Channel) touch(ctx context.Context, userID string, at time.Time) error {
	_, err := c.cfg.DB.ExecContext(ctx, `INSERT INTO zalooa_users (user_id, last_inbound_at) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			replies_since = CASE WHEN excluded.last_inbound_at > last_inbound_at THEN 0 ELSE replies_since END,
			last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
		userID, at.UTC().Format(instantLayout))
	if err != nil {
		return fmt.Errorf("zalooa: record inbound: %w", err)
	}
	return nil
}

// LastInbound is when the follower last wrote to the OA (ok=false: never).
func (c *Channel) LastInbound(ctx context.Context, userID string) (time.Time, bool, error) {
	t, _, ok, err := c.follower(ctx, userID)
	return t, ok, err
}

// follower is the follower's last inbound time and the replies sent since.
func (c *Channel) follower(ctx context.Context, userID string) (last time.Time, replies int, ok bool, err error) {
	var s string
	err = c.cfg.DB.QueryRowContext(ctx, `SELECT last_inbound_at, replies_since FROM zalooa_users WHERE user_id = ?`,
		userID).Scan(&s, &replies)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, 0, false, nil
	}
	if err != nil {
		return time.Time{}, 0, false, fmt.Errorf("zalooa: last inbound: %w", err)
	}
	last, err = time.Parse(instantLayout, s)
	return last, replies, err == nil, err
}

// replied counts one reply sent to the follower.
func (c *Channel) replied(ctx context.Context, userID string) error {
	if _, err := c.cfg.DB.ExecContext(ctx, `UPDATE zalooa_users SET replies_since = replies_since + 1 WHERE user_id = ?`,
		userID); err != nil {
		return fmt.Errorf("zalooa: count reply: %w", err)
	}
	return nil
}

// Send sends one outbox message as a customer-service message
// (outbox.Sender). Outside the 48-hour window, or past the ReplyQuota since
// the follower's last message, nothing is sent and the error is permanent;
// -216 refreshes the token and retries once; -32 asks the outbox to wait.
// The outbox sends one message per chat at a time, so the quota is not
// raced.
func (c *Channel) Send(ctx context.Context, userID string, m outbox.OutMessage) (time.Duration, error) {
	last, replies, ok, err := c.follower(ctx, userID)
	if err != nil {
		return 0, err
	}
	if !ok || c.cfg.Now().Sub(last) > ReplyWindow {
		c.cfg.Logger.Warn("zalo oa message undeliverable: outside the reply window", "channel", Name, "chat_id", userID)
		return 0, fmt.Errorf("%w: %w", outbox.ErrPermanent, ErrOutsideWindow)
	}
	if replies >= ReplyQuota {
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
		if err := c.replied(ctx, userID); err != nil {
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
