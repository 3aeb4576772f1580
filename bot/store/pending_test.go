package store

import (
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
