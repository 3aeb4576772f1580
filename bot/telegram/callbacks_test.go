package telegram

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// countingStore counts the callback writes; Callback answers what was saved.
type countingStore struct {
	saves    int
	payloads map[string]string
}

func (s *countingStore) SaveCallback(_ context.Context, key, payload string, _ time.Time) error {
	s.saves++
	s.payloads[key] = payload
	return nil
}

func (s *countingStore) Callback(_ context.Context, key string) (string, bool, error) {
	p, ok := s.payloads[key]
	return p, ok, nil
}
func (s *countingStore) PollOffset(context.Context, string) (int, error)              { return 0, nil }
func (s *countingStore) SavePollOffset(context.Context, string, int, time.Time) error { return nil }

type noInbox struct{}

func (noInbox) Accept(context.Context, inbox.Update) (inbox.Accepted, error) {
	return inbox.Accepted{}, nil
}

// The buttons that come back under every answer are stored once, and a
// key still resolves to its payload after the set of known keys started
// over.
func TestCallbackKeysStoredOnce(t *testing.T) {
	st := &countingStore{payloads: map[string]string{}}
	c, err := New(Config{Token: "1:x", Secret: "s", Store: st, Inbox: noInbox{}})
	if err != nil {
		t.Fatal(err)
	}
	a := bot.Answer{Text: "Phường Bàn Cờ", Replies: []bot.QuickReply{
		{Label: "Gặp cán bộ", Payload: bot.PayloadHuman},
		{Label: "👍", Payload: bot.PayloadHelpful},
		{Label: "👎", Payload: bot.PayloadNotHelpful},
	}}
	for range 5 {
		if _, err := c.Render(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	if st.saves != 3 {
		t.Errorf("%d callback writes for five renderings of three buttons, want 3", st.saves)
	}
	for i := range maxSavedKeys + 1 { // more distinct keys than it keeps
		if _, err := c.saveCallback(t.Context(), fmt.Sprintf("unit:%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	before := st.saves
	key, err := c.saveCallback(t.Context(), bot.PayloadHuman)
	if err != nil {
		t.Fatal(err)
	}
	if st.saves != before+1 {
		t.Errorf("a key forgotten when the set started over was not stored again")
	}
	if p, ok, err := c.payload(t.Context(), key); err != nil || !ok || p != bot.PayloadHuman {
		t.Errorf("payload(%q) = %q, %v, %v", key, p, ok, err)
	}
}
