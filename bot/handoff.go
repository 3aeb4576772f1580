package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
)

// Queue is the ward queues (bot/handoff): where a handoff lands and what
// the citizen hears about it. Nil in the Service: handoff answers are the
// engine's own text and the conversation stays with the bot (eval, ask).
type Queue interface {
	// Enqueue puts the conversation in the queue of its unit (the city's
	// when none is known) and sets its mode to queued. A conversation that
	// already waits keeps its ticket.
	Enqueue(ctx context.Context, convID string, st State, inboundID int64, reason string) (Ticket, error)
	// Ticket is the conversation's active request.
	Ticket(ctx context.Context, convID string) (Ticket, error)
	// Inbound tells staff that a citizen wrote while a person owns (or is
	// about to own) the conversation.
	Inbound(ctx context.Context, convID string, msgID int64)
	// Rate stores the citizen's 1–5 rating of the closed request; Comment
	// adds their comment. Resume gives the conversation back to the bot.
	Rate(ctx context.Context, convID string, score int) error
	Comment(ctx context.Context, convID, text string) error
	Resume(ctx context.Context, convID string) error
	// Leave gives a queued or owned conversation back to the bot at the
	// citizen's request; the request stays for staff (Ticket.WithBot).
	Leave(ctx context.Context, convID string) (Ticket, error)
}

// Handoff reasons.
const (
	ReasonRequested = "requested" // the citizen asked for a person
	ReasonComplaint = "complaint" // the citizen complained
	ReasonMisses    = "misses"    // two answers in a row did not help
)

// Ticket is a handoff's place in a ward's queue, as the citizen hears it.
type Ticket struct {
	Number      string    `json:"number"` // "HP-000123"
	Unit        UnitRef   `json:"unit"`   // Code "city": the city level
	Position    int       `json:"position"`
	WaitMinutes int       `json:"wait_minutes"`
	Owned       bool      `json:"owned"`    // a person has it
	InHours     bool      `json:"in_hours"` // the unit's office is open now
	OpensAt     time.Time `json:"opens_at"` // outside hours: when the office opens
	Hours       string    `json:"hours"`    // office hours, in words
	// WithBot: the citizen went back to the bot; the request still waits
	// for staff (or stays with its owner), whose reply still reaches them.
	WithBot bool `json:"with_bot,omitempty"`
}

// PayloadBackToBot is the quick reply that leaves the queue for the bot
// (nlu.ReadBackToBot reads it, typed or tapped, on every channel).
const PayloadBackToBot = "Quay lại hỏi bot"

var replyBackToBot = QuickReply{Label: PayloadBackToBot, Payload: PayloadBackToBot}

// handoffReason is why the engine's handoff answer hands off.
func handoffReason(a Answer) string {
	switch {
	case strings.HasPrefix(a.Text, textComplaintPrefix):
		return ReasonComplaint
	case strings.HasPrefix(a.Text, textMissesPrefix):
		return ReasonMisses
	}
	return ReasonRequested
}

var reasonPrefix = map[string]string{ReasonComplaint: textComplaintPrefix, ReasonMisses: textMissesPrefix}

const (
	textComplaintPrefix = "Xin lỗi vì câu trả lời chưa giúp được bạn. "
	textMissesPrefix    = "Xin lỗi, mình chưa trả lời được câu hỏi của bạn. "
)

var weekdays = [...]string{"Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"}

// ticketText tells the citizen where their request waits.
func ticketText(prefix string, tk Ticket) string {
	var b strings.Builder
	b.WriteString(prefix)
	who := ticketWho(tk)
	switch {
	case tk.Owned:
		fmt.Fprintf(&b, "Bạn đang được %s hỗ trợ trong cuộc trò chuyện này.", who)
	case tk.InHours:
		fmt.Fprintf(&b, "Mình đã chuyển yêu cầu của bạn tới %s. Bạn đang ở vị trí số %d trong hàng chờ, thời gian chờ dự kiến khoảng %d phút.", who, tk.Position, tk.WaitMinutes)
	default:
		fmt.Fprintf(&b, "Mình đã chuyển yêu cầu của bạn tới %s. Hiện ngoài giờ làm việc", who)
		if tk.Hours != "" {
			fmt.Fprintf(&b, " (%s)", tk.Hours)
		}
		if !tk.OpensAt.IsZero() {
			o := tk.OpensAt
			fmt.Fprintf(&b, "; cán bộ sẽ trả lời bạn từ %s %s, %s", o.Format("15:04"), weekdays[o.Weekday()], o.Format("02/01/2006"))
		}
		b.WriteString(".")
	}
	fmt.Fprintf(&b, " Mã yêu cầu của bạn: %s.", tk.Number)
	if !tk.Owned {
		b.WriteString(" Trong lúc chờ, bạn cứ nhắn thêm nội dung cần hỏi và địa chỉ của bạn; cán bộ sẽ trả lời ngay trong cuộc trò chuyện này.")
		b.WriteString(textBackToBotHint)
	}
	return b.String()
}

// textBackToBotHint ends a ticket: how to stop waiting without losing it.
const textBackToBotHint = " Không muốn chờ? Chọn “" + PayloadBackToBot + "” để hỏi tiếp trợ lý tự động; yêu cầu của bạn vẫn được giữ cho cán bộ."

// ticketWho names who handles a ticket.
func ticketWho(tk Ticket) string {
	if tk.Unit.Code != "" && tk.Unit.Code != "city" {
		return "cán bộ " + tk.Unit.Name
	}
	return "cán bộ tiếp nhận của Thành phố"
}

// backText tells a citizen who left the queue that the bot is back and the
// request is kept.
func backText(tk Ticket) string {
	keep := fmt.Sprintf("Yêu cầu %s vẫn được giữ trong hàng chờ của %s", tk.Number, ticketWho(tk))
	if tk.Owned {
		keep = fmt.Sprintf("Yêu cầu %s vẫn do %s giữ", tk.Number, ticketWho(tk))
	}
	return "Được rồi, mình quay lại trả lời bạn. " + keep +
		": nếu cán bộ trả lời, tin nhắn sẽ đến ngay trong cuộc trò chuyện này. Cần gặp lại cán bộ, bạn gõ “gặp cán bộ”. Bạn cần tra cứu phường, xã hay thủ tục nào cứ nhắn mình nhé."
}

// backToBot answers a message that asks to stop waiting for staff (ok
// false: it does not): the conversation is the bot's again and the request
// stays for staff. While a person owns the conversation only an explicit
// request counts: a bare "thôi" or "hủy" may be meant for the clerk.
func (s *Service) backToBot(ctx context.Context, convID string, st *State, msg Message) (Answer, bool, error) {
	if msg.Location != nil {
		return Answer{}, false, nil
	}
	want := nlu.ReadBackToBot(nlu.NewText(msg.Text))
	if want == nlu.NotBackToBot || st.Mode == ModeHuman && want != nlu.BackToBotExplicit {
		return Answer{}, false, nil
	}
	tk, err := s.queue.Leave(ctx, convID)
	if err != nil {
		return Answer{}, false, fmt.Errorf("back to the bot: %w", err)
	}
	st.Mode, st.Asks = ModeBot, ""
	return backAnswer(tk, backText(tk)), true, nil
}

// backAnswer is a notice about a request kept for staff while the bot answers.
func backAnswer(tk Ticket, text string) Answer {
	a := Answer{Kind: KindSystem, Text: text, Ticket: &tk, Replies: append([]QuickReply{replyHuman}, exampleReplies...)}
	if tk.Unit.Code != "city" {
		a.Unit = &UnitRef{Code: tk.Unit.Code, Name: tk.Unit.Name}
	}
	return a
}

// alreadyBack answers "Quay lại hỏi bot" tapped again (an old button) while
// the bot has the conversation: ok is false for any other message.
func (s *Service) alreadyBack(ctx context.Context, convID string, msg Message) (Answer, bool) {
	if msg.Location != nil || nlu.NewText(msg.Text).Folded != nlu.NewText(PayloadBackToBot).Folded {
		return Answer{}, false
	}
	tk, err := s.queue.Ticket(ctx, convID)
	if err != nil {
		return Answer{Kind: KindSystem, Text: "Mình đang trả lời bạn đây. Bạn cần tra cứu phường, xã hay thủ tục nào cứ nhắn mình nhé.",
			Replies: exampleReplies}, true
	}
	return backAnswer(tk, "Bạn đang hỏi trợ lý tự động. "+strings.TrimPrefix(backText(tk), "Được rồi, mình quay lại trả lời bạn. ")), true
}

// statusText answers "how long?" while waiting: shorter than the ticket.
func statusText(tk Ticket) string {
	who := ticketWho(tk)
	switch {
	case tk.Owned:
		return fmt.Sprintf("Yêu cầu %s của bạn đang được %s xử lý; cán bộ sẽ trả lời ngay trong cuộc trò chuyện này, bạn chờ chút nhé.", tk.Number, who)
	case tk.InHours:
		return fmt.Sprintf("Yêu cầu %s của bạn đang ở vị trí số %d trong hàng chờ của %s, dự kiến khoảng %d phút nữa.", tk.Number, tk.Position, who, tk.WaitMinutes)
	case !tk.OpensAt.IsZero():
		o := tk.OpensAt
		return fmt.Sprintf("Yêu cầu %s của bạn đang chờ %s. Hiện ngoài giờ làm việc; cán bộ sẽ trả lời bạn từ %s %s, %s.", tk.Number, who, o.Format("15:04"), weekdays[o.Weekday()], o.Format("02/01/2006"))
	}
	return fmt.Sprintf("Yêu cầu %s của bạn đang chờ %s.", tk.Number, who)
}

// waiting answers a message sent while the conversation is queued or owned
// by a person: silence, unless the citizen asks about the wait.
func (s *Service) waiting(ctx context.Context, convID string, msg Message, inboundID int64) Answer {
	s.queue.Inbound(ctx, convID, inboundID)
	text := nlu.NewText(msg.Text)
	if msg.Location != nil || !(nlu.AsksQueueStatus(text) || nlu.ReadIntent(text) == nlu.IntentHuman) {
		return Answer{Kind: KindNone}
	}
	tk, err := s.queue.Ticket(ctx, convID)
	if err != nil {
		return Answer{Kind: KindNone}
	}
	a := Answer{Kind: KindHandoff, Text: statusText(tk), Ticket: &tk, Replies: []QuickReply{replyBackToBot}}
	if tk.Unit.Code != "city" {
		a.Unit = &UnitRef{Code: tk.Unit.Code, Name: tk.Unit.Name}
	}
	return a
}

// rating reads the answer to the rating question (or its comment). ok is
// false when the message is neither: the bot then answers it as usual.
func (s *Service) rating(ctx context.Context, convID string, st *State, msg Message) (Answer, bool) {
	text := nlu.NewText(msg.Text)
	switch st.Asks {
	default: // closed by staff: the rating question is pending
		score, ok := nlu.ReadRating(text)
		if !ok || s.queue.Rate(ctx, convID, score) != nil {
			return Answer{}, false
		}
		st.Asks = AskComment
		return Answer{Kind: KindSystem, Asks: AskComment,
			Text:    fmt.Sprintf("Cảm ơn bạn đã đánh giá %d/5! Bạn có muốn góp ý thêm cho cán bộ không? Cứ nhắn góp ý, hoặc bấm “Bỏ qua”.", score),
			Replies: []QuickReply{{Label: "Bỏ qua", Payload: PayloadSkip}}}, true
	case AskComment:
		st.Asks = ""
		if strings.TrimSpace(msg.Text) != PayloadSkip && msg.Location == nil && len(text.Tokens) > 0 {
			if err := s.queue.Comment(ctx, convID, msg.Text); err != nil {
				return Answer{}, false
			}
		}
		if err := s.queue.Resume(ctx, convID); err != nil {
			return Answer{}, false
		}
		st.Mode = ModeBot
		return Answer{Kind: KindSystem, Text: "Cảm ơn góp ý của bạn! Bạn cần tra cứu thêm phường, xã hay thủ tục nào cứ nhắn mình nhé.", Replies: exampleReplies}, true
	}
}

// PayloadSkip skips the optional comment after a rating.
const PayloadSkip = "Bỏ qua"

// RatingQuestion is what the citizen is asked when staff close the
// conversation.
func RatingQuestion(unit string) Answer {
	text := "Cán bộ đã kết thúc cuộc trò chuyện."
	if unit != "" {
		text = "Cán bộ " + unit + " đã kết thúc cuộc trò chuyện."
	}
	a := Answer{Kind: KindSystem, Asks: AskRating,
		Text: text + " Bạn chấm điểm hỗ trợ từ 1 (chưa hài lòng) đến 5 (rất hài lòng) giúp mình nhé."}
	for i := 1; i <= 5; i++ {
		a.Replies = append(a.Replies, QuickReply{Label: fmt.Sprintf("%d ★", i), Payload: fmt.Sprint(i)})
	}
	return a
}

// ClosedQuietly is what the citizen is told when staff close their request
// without a reply being needed (a duplicate, spam, already answered): no
// rating question, the bot answers again.
func ClosedQuietly(ticket string) Answer {
	return Answer{Kind: KindSystem, Text: "Yêu cầu " + ticket + " đã được đóng. Trợ lý tự động Hỏi Phường tiếp tục hỗ trợ bạn; nếu vẫn cần gặp cán bộ, bạn gõ “gặp cán bộ” nhé.",
		Replies: exampleReplies}
}

// Transferred is what the citizen is told when staff move their request to
// another unit's queue (or the city's): the ticket stays, and where it
// waits now.
func Transferred(tk Ticket) Answer {
	var b strings.Builder
	fmt.Fprintf(&b, "Yêu cầu của bạn đã được chuyển đến %s. Số phiếu %s của bạn vẫn giữ nguyên", ticketWho(tk), tk.Number)
	switch {
	case tk.InHours:
		fmt.Fprintf(&b, "; bạn đang ở vị trí số %d trong hàng chờ mới, thời gian chờ dự kiến khoảng %d phút.", tk.Position, tk.WaitMinutes)
	default:
		b.WriteString(". Hiện ngoài giờ làm việc")
		if tk.Hours != "" {
			fmt.Fprintf(&b, " (%s)", tk.Hours)
		}
		if o := tk.OpensAt; !o.IsZero() {
			fmt.Fprintf(&b, "; cán bộ sẽ trả lời bạn từ %s %s, %s", o.Format("15:04"), weekdays[o.Weekday()], o.Format("02/01/2006"))
		}
		b.WriteString(".")
	}
	b.WriteString(" Bạn không cần nhắn lại; cán bộ sẽ trả lời ngay trong cuộc trò chuyện này.")
	return Answer{Kind: KindSystem, Text: b.String()}
}

// HandedBack is what the citizen is told when staff give the conversation
// back to the bot.
func HandedBack() Answer {
	return Answer{Kind: KindSystem, Text: "Cán bộ đã chuyển bạn lại cho trợ lý tự động Hỏi Phường. Bạn cần tra cứu thêm gì cứ nhắn mình; gõ “gặp cán bộ” nếu cần hỗ trợ tiếp.",
		Replies: exampleReplies}
}
