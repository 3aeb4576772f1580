package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
)

// Feedback payloads: the 👍/👎 quick replies every answer ends with. Sent
// back (or typed, also as "hữu ích"/"chưa đúng") they rate the
// conversation's last answer.
const (
	PayloadHelpful    = "👍"
	PayloadNotHelpful = "👎"
)

var (
	replyHelpful    = QuickReply{Label: "👍 Hữu ích", Payload: PayloadHelpful}
	replyNotHelpful = QuickReply{Label: "👎 Chưa đúng", Payload: PayloadNotHelpful}
)

// Texts of the feedback acknowledgements.
const (
	TextThanksHelpful = "Cảm ơn bạn! Góp ý của bạn giúp Hỏi Phường trả lời tốt hơn. Bạn cần tra cứu thêm gì cứ nhắn mình nhé."
	TextNotHelpful    = "Xin lỗi vì câu trả lời chưa đúng. Bạn có thể hỏi lại rõ hơn, hoặc bấm “Gặp cán bộ”."
)

// ErrNoAnswer is returned when there is no bot answer to rate.
var ErrNoAnswer = errors.New("no answer to rate")

// FeedbackStore records a citizen's 👍 (+1) or 👎 (−1) on the
// conversation's last bot answer (bot/store). A Service whose Store has
// it stores feedback; without it feedback is only acknowledged.
type FeedbackStore interface {
	RecordFeedback(ctx context.Context, convID string, score int) (ratedMessageID int64, err error)
}

// withFeedback ends an answer's quick replies with 👍 and 👎.
func withFeedback(a Answer) Answer {
	if a.Kind != KindAnswer {
		return a
	}
	a.Replies = append(slices.Clip(a.Replies), replyHelpful, replyNotHelpful)
	return a
}

// ReadFeedback reads a message that is only a 👍/👎 (or "hữu ích"/"chưa
// đúng" typed): +1 or −1.
func ReadFeedback(text string) (score int, ok bool) {
	switch strings.TrimSpace(text) {
	case PayloadHelpful, "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", replyHelpful.Label:
		return 1, true
	case PayloadNotHelpful, "👎🏻", "👎🏼", "👎🏽", "👎🏾", "👎🏿", replyNotHelpful.Label:
		return -1, true
	}
	switch nlu.NewText(text).Folded {
	case "huu ich":
		return 1, true
	case "chua dung":
		return -1, true
	}
	return 0, false
}

// feedback stores a rating of the last answer and acknowledges it. It is a
// notice (KindSystem): it neither counts as a miss nor changes the dialogue.
func (s *Service) feedback(ctx context.Context, convID string, score int) (Answer, error) {
	if fs, ok := s.store.(FeedbackStore); ok {
		if _, err := fs.RecordFeedback(ctx, convID, score); err != nil && !errors.Is(err, ErrNoAnswer) {
			return Answer{}, fmt.Errorf("record feedback: %w", err)
		}
	}
	if score > 0 {
		return Answer{Kind: KindSystem, Text: TextThanksHelpful, Replies: exampleReplies}, nil
	}
	return Answer{Kind: KindSystem, Text: TextNotHelpful, Replies: []QuickReply{replyHuman}}, nil
}
