package telegram

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"
)

// callbackPrefix starts every callback_data the gateway makes.
const callbackPrefix = "k"

// callbackKey is the short key of a payload: "k" + 16 base64url characters
// of its SHA-256 (17 bytes, far below callback_data's 64-byte limit).
func callbackKey(payload string) string {
	sum := sha256.Sum256([]byte(payload))
	return callbackPrefix + base64.RawURLEncoding.EncodeToString(sum[:12])
}

// saveCallback stores the payload behind its key and returns the key.
func (c *Channel) saveCallback(ctx context.Context, payload string) (string, error) {
	key := callbackKey(payload)
	_, err := c.cfg.DB.ExecContext(ctx, `INSERT INTO telegram_callbacks (key, payload, created_at)
		VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, payload, c.cfg.Now().UTC().Format(time.RFC3339))
	return key, err
}

// payload returns the payload behind a button's callback_data. A bad
// client can send anything: unknown data is found=false.
func (c *Channel) payload(ctx context.Context, data string) (string, bool, error) {
	if len(data) != len(callbackKey("")) || data[:1] != callbackPrefix {
		return "", false, nil
	}
	var p string
	err := c.cfg.DB.QueryRowContext(ctx, `SELECT payload FROM telegram_callbacks WHERE key = ?`, data).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return p, err == nil, err
}
