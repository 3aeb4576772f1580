package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
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
	if err := c.cfg.Store.SaveCallback(ctx, key, payload, c.cfg.Now()); err != nil {
		return "", err
	}
	return key, nil
}

// payload returns the payload behind a button's callback_data. A bad
// client can send anything: unknown data is found=false.
func (c *Channel) payload(ctx context.Context, data string) (string, bool, error) {
	if len(data) != len(callbackKey("")) || data[:1] != callbackPrefix {
		return "", false, nil
	}
	return c.cfg.Store.Callback(ctx, data)
}
