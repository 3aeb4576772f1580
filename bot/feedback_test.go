package bot

import (
	"context"
	"slices"
	"testing"
)

func TestFeedbackRepliesOnAnswersOnly(t *testing.T) {
	s := newTestService(t)
	for _, q := range []string{"phường 5 quận 3", "xin chào", "đăng ký kết hôn", "abc xyz", "Phường Đa Kao, Quận 1", "cho tôi gặp cán bộ"} {
		a, _ := converse(t, s, say(q))
		n := len(a.Replies)
		has := n >= 2 && a.Replies[n-2] == replyHelpful && a.Replies[n-1] == replyNotHelpful
		if has != (a.Kind == KindAnswer) {
			t.Errorf("%q (%s): replies %+v", q, a.Kind, a.Replies)
		}
	}
	// The shared reply lists are not changed by it.
	if slices.Contains(matterReplies, replyHelpful) || slices.Contains(exampleReplies, replyHelpful) {
		t.Error("a shared reply list got the feedback buttons")
	}
}

func TestFeedbackIsStoredAndNoMiss(t *testing.T) {
	tests := []struct {
		text  string
		score int
		want  string
	}{
		{"👍", 1, TextThanksHelpful},
		{"👎", -1, TextNotHelpful},
		{" Hữu ích ", 1, TextThanksHelpful},
		{"chua dung", -1, TextNotHelpful},
		{"👎 Chưa đúng", -1, TextNotHelpful},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			mem := newMemStore()
			s := NewService(newTestService(t).Engine(), mem)
			ctx := context.Background()
			id, _ := s.Start(ctx, "test")
			if _, err := s.Handle(ctx, Message{ConversationID: id, Text: "abc xyz"}); err != nil { // a miss
				t.Fatal(err)
			}
			a, err := s.Handle(ctx, Message{ConversationID: id, Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != KindSystem || a.Text != tt.want {
				t.Errorf("answer = %s %q", a.Kind, a.Text)
			}
			if tt.score < 0 && !slices.Contains(a.Replies, replyHuman) {
				t.Errorf("👎 without “Gặp cán bộ”: %+v", a.Replies)
			}
			if got := mem.feedback[id]; !slices.Equal(got, []int{tt.score}) {
				t.Errorf("stored %v, want [%d]", got, tt.score)
			}
			if st, _ := mem.State(ctx, id); st.Misses != 1 {
				t.Errorf("misses = %d, want 1 (feedback is not a miss)", st.Misses)
			}
		})
	}
	// Feedback before any answer is acknowledged, nothing stored.
	mem := newMemStore()
	s := NewService(newTestService(t).Engine(), mem)
	id, _ := s.Start(context.Background(), "test")
	if a, err := s.Handle(context.Background(), Message{ConversationID: id, Text: "👍"}); err != nil || a.Kind != KindSystem || len(mem.feedback) != 0 {
		t.Errorf("first message 👍: %+v %v %v", a, err, mem.feedback)
	}
}
