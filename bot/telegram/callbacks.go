package telegram

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"sync"
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
// A key this process stored before is not written again.
func (c *Channel) saveCallback(ctx context.Context, payload string) (string, error) {
	key := callbackKey(payload)
	if c.saved.has(key) {
		return key, nil
	}
	if err := c.cfg.Store.SaveCallback(ctx, key, payload, c.cfg.Now()); err != nil {
		return "", err
	}
	c.saved.add(key)
	return key, nil
}

// maxSavedKeys bounds savedKeys (a few hundred kilobytes).
const maxSavedKeys = 4096

// savedKeys remembers the callback keys this process has stored. A key is
// derived from its payload and its row is never deleted, so the buttons
// that come back under answer after answer (the rating, "Gặp cán bộ", a
// unit's procedures) need no write of their own on the one SQLite
// connection after the first time — under webhook load that write, once
// per answer, held the connection outside the accepts' priority turns.
// Past maxSavedKeys it starts over. The zero value is empty.
type savedKeys struct {
	mu   sync.Mutex
	keys map[string]struct{}
}

func (s *savedKeys) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.keys[key]
	return ok
}

func (s *savedKeys) add(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil || len(s.keys) >= maxSavedKeys {
		s.keys = make(map[string]struct{})
	}
	s.keys[key] = struct{}{}
}

// payload returns the payload behind a button's callback_data. A bad
// client can send anything: unknown data is found=false.
func (c *Channel) payload(ctx context.Context, data string) (string, bool, error) {
	if len(data) != len(callbackKey("")) || data[:1] != callbackPrefix {
		return "", false, nil
	}
	return c.cfg.Store.Callback(ctx, data)
}
