package store

import (
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
)

func TestAcceptInboundBatch(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	msg := func(text string) bot.Message { return bot.Message{Text: text} }
	batch := []Inbound{
		{Channel: "telegram", ExternalID: "1", ChannelMessageID: "u1", Message: msg("a")},
		{Channel: "telegram", ExternalID: "1", ChannelMessageID: "u2", Message: msg("b")}, // same chat: same conversation
		{Channel: "telegram", ExternalID: "1", ChannelMessageID: "u1", Message: msg("a")}, // repeated in the batch
		{Channel: "telegram", ExternalID: "", ChannelMessageID: "u3", Message: msg("x")},  // invalid: its own error only
		{Channel: "telegram", ExternalID: "2", ChannelMessageID: "u1", Message: msg("c")}, // same update id, other chat
		{Channel: "zalo-bot", ExternalID: "1", ChannelMessageID: "u1", Message: msg("d")}, // same chat id, other channel
	}
	tests := []struct {
		dup, err   bool
		sameConvAs int // index of an earlier outcome with the same conversation, -1: none
	}{
		{false, false, -1},
		{false, false, 0},
		{true, false, 0},
		{false, true, -1},
		{false, false, -1},
		{false, false, -1},
	}
	got := s.AcceptInbound(ctx, batch)
	for i, tt := range tests {
		g := got[i]
		if (g.Err != nil) != tt.err || g.Duplicate != tt.dup {
			t.Errorf("%d: dup=%v err=%v, want dup=%v err=%v", i, g.Duplicate, g.Err, tt.dup, tt.err)
		}
		if tt.sameConvAs >= 0 && g.ConversationID != got[tt.sameConvAs].ConversationID {
			t.Errorf("%d: conversation %s, want %s", i, g.ConversationID, got[tt.sameConvAs].ConversationID)
		}
	}
	if got[2].MessageID != got[0].MessageID {
		t.Errorf("duplicate message id %d, want %d", got[2].MessageID, got[0].MessageID)
	}
	if got[4].ConversationID == got[0].ConversationID || got[5].ConversationID == got[0].ConversationID {
		t.Error("another chat or channel shares the conversation")
	}
	// Delivered again later: duplicates, nothing written.
	again := s.AcceptInbound(ctx, batch[:2])
	for i, a := range again {
		if !a.Duplicate || a.Err != nil || a.MessageID != got[i].MessageID {
			t.Errorf("again %d: %+v, want the duplicate of %d", i, a, got[i].MessageID)
		}
	}
	pending, err := s.PendingInbound(ctx, got[0].ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0].Message.Text != "a" || pending[1].Message.Text != "b" {
		t.Errorf("pending = %+v, want a then b", pending)
	}
}
