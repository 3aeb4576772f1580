package store

import (
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
)

func TestPruneDedupeKeys(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	in := func(chat, key string, age time.Duration) Inbound {
		return Inbound{Channel: "telegram", ExternalID: chat, ChannelMessageID: key,
			Message: bot.Message{Text: key, At: now.Add(-age)}}
	}
	day := 24 * time.Hour
	batch := []Inbound{
		in("1", "old-answered", 8*day),
		in("1", "old-unanswered", 8*day-time.Hour),
		in("2", "recent", day),
	}
	first := s.AcceptInbound(ctx, batch)
	for i, a := range first {
		if a.Err != nil || a.Duplicate {
			t.Fatalf("accept %d: %+v", i, a)
		}
	}
	if err := s.SaveReply(ctx, first[0].ConversationID, first[0].MessageID,
		bot.Answer{Kind: bot.KindAnswer, Text: "ok"}, bot.State{Mode: bot.ModeBot}); err != nil {
		t.Fatal(err)
	}

	// The limit bounds one call; the oldest keys go first.
	if n, err := s.PruneDedupeKeys(ctx, now.Add(-7*day), 1); err != nil || n != 1 {
		t.Fatalf("prune limit 1: n=%d err=%v, want 1", n, err)
	}
	if n, err := s.PruneDedupeKeys(ctx, now.Add(-7*day), 100); err != nil || n != 1 {
		t.Fatalf("prune: n=%d err=%v, want the other old key", n, err)
	}
	if n, err := s.PruneDedupeKeys(ctx, now.Add(-7*day), 100); err != nil || n != 0 {
		t.Fatalf("prune again: n=%d err=%v, want 0", n, err)
	}

	// The old unanswered message is no longer a pending delivery.
	pending, err := s.PendingInbound(ctx, first[1].ConversationID)
	if err != nil || len(pending) != 0 {
		t.Fatalf("pending after prune = %+v, %v; want none", pending, err)
	}
	again := s.AcceptInbound(ctx, batch)
	tests := []struct {
		key     string
		wantDup bool
	}{
		{"old-answered", false}, // key forgotten: a new message
		{"old-unanswered", false},
		{"recent", true}, // within retention: still deduplicated
	}
	for i, tt := range tests {
		if a := again[i]; a.Err != nil || a.Duplicate != tt.wantDup {
			t.Errorf("%s delivered again: %+v, want duplicate=%v", tt.key, a, tt.wantDup)
		}
	}
	// The history keeps every message.
	msgs, err := s.Messages(ctx, first[0].ConversationID, 0)
	if err != nil || len(msgs) != 5 { // 2 old, 1 reply, 2 new
		t.Errorf("history = %d messages, %v; want 5", len(msgs), err)
	}
}
