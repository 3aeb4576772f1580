package store

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
)

func TestPendingInbound(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	at := time.Date(2025, 7, 2, 8, 0, 0, 0, time.UTC)
	conv, _, err := s.GetOrCreateByExternal(ctx, "telegram", "42")
	if err != nil {
		t.Fatal(err)
	}
	web, err := s.Create(ctx, "web", "")
	if err != nil {
		t.Fatal(err)
	}
	in1, _, _ := s.AppendInbound(ctx, conv, bot.Message{Text: "phường 1", At: at}, "100")
	in2, _, _ := s.AppendInbound(ctx, conv, bot.Message{Location: &bot.Location{Lat: 10.7, Lon: 106.7}, At: at.Add(time.Second)}, "101")
	if _, _, err := s.AppendInbound(ctx, web, bot.Message{Text: "web chat", At: at}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveReply(ctx, conv, in1, bot.Answer{Kind: bot.KindClarify, Text: "quận nào?"}, bot.State{Mode: bot.ModeBot}); err != nil {
		t.Fatal(err)
	}

	got, err := s.PendingInbound(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != in2 || got[0].ChannelMessageID != "101" || got[0].ExternalID != "42" ||
		got[0].Message.Location == nil || got[0].Message.ConversationID != conv || got[0].Message.Channel != "telegram" {
		t.Errorf("pending = %+v, want only message %d (the pin)", got, in2)
	}
	tests := []struct {
		channel string
		since   time.Time
		want    int
	}{
		{"telegram", at, 1},
		{"telegram", at.Add(time.Hour), 0}, // outside the window
		{"web", at, 0},                     // no channel message id: answered synchronously
		{"zalo-oa", at, 0},
	}
	for _, tt := range tests {
		ids, err := s.PendingConversations(ctx, tt.channel, tt.since)
		if err != nil || len(ids) != tt.want {
			t.Errorf("PendingConversations(%s, %v) = %v, %v; want %d", tt.channel, tt.since, ids, err, tt.want)
		}
	}
	for id, want := range map[int64]bool{in1: true, in2: false} {
		if got, err := s.Answered(ctx, conv, id); err != nil || got != want {
			t.Errorf("Answered(%d) = %v, %v; want %v", id, got, err, want)
		}
	}
}

// TestPendingConversationsPages: a backlog over several id ranges is read
// whole, each conversation once, in the order of its oldest unanswered
// message, and the window's start is kept.
func TestPendingConversationsPages(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	at := time.Date(2025, 7, 2, 8, 0, 0, 0, time.UTC)
	const chats = recoverRange + 101
	var batch []Inbound
	for i := range 2 * chats { // two messages per chat, the second a second later for half of them
		chat := i % chats
		msgAt := at
		if i >= chats && chat%2 == 0 {
			msgAt = at.Add(time.Second)
		}
		batch = append(batch, Inbound{Channel: "telegram", ExternalID: strconv.Itoa(chat),
			ChannelMessageID: strconv.Itoa(i), Message: bot.Message{Text: "phường 1", At: msgAt}})
	}
	want := make([]string, chats)
	for i, a := range s.AcceptInbound(ctx, batch) {
		if a.Err != nil {
			t.Fatal(a.Err)
		}
		if i < chats {
			want[i] = a.ConversationID
		}
	}
	got, err := s.PendingConversations(ctx, "telegram", at)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("PendingConversations read %d conversations, want the %d in order of their first message", len(got), len(want))
	}
	if got, err := s.PendingConversations(ctx, "telegram", at.Add(time.Second)); err != nil || len(got) != (chats+1)/2 {
		t.Errorf("from the second instant: %d conversations, %v; want %d", len(got), err, (chats+1)/2)
	}
}
