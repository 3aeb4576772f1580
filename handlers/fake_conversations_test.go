package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/webchat"
)

// fakeConversations is a small in-test web chat channel (chat.Chats) with
// canned answers. The real channel (bot/webchat on the inbox and the
// engine) replaces it in the gateway's tests (cmd/hoiphuong).
type fakeConversations struct {
	mu      sync.Mutex
	next    int
	open    map[string]bool
	started []string      // channels of Open calls
	calls   int           // Send calls that reached the engine, stored or not
	stored  []bot.Message // messages of known conversations
	answers map[string]bot.Answer
}

func newFakeConversations() *fakeConversations {
	return &fakeConversations{open: map[string]bool{}, answers: map[string]bot.Answer{}}
}

func (f *fakeConversations) Open(ctx context.Context) (webchat.Session, error) {
	id, err := f.Start(ctx, webchat.Name)
	return webchat.Session{ID: id, Token: "tok-" + id}, err
}

func (f *fakeConversations) Authorize(_ context.Context, id, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !f.open[id]:
		return fmt.Errorf("authorize %q: %w", id, bot.ErrNotFound)
	case token != "tok-"+id:
		return webchat.ErrUnauthorized
	}
	return nil
}

// Send answers once per client message id, like the real channel.
func (f *fakeConversations) Send(ctx context.Context, id, key string, msg bot.Message) (webchat.Reply, error) {
	f.mu.Lock()
	a, seen := f.answers[id+"/"+key]
	f.mu.Unlock()
	if key != "" && seen {
		return webchat.Reply{Answer: a, Duplicate: true}, nil
	}
	a, err := f.Handle(ctx, msg)
	if err == nil && key != "" {
		f.mu.Lock()
		f.answers[id+"/"+key] = a
		f.mu.Unlock()
	}
	return webchat.Reply{Answer: a}, err
}

// Texts that make the fake fail: panicText panics (recovery), failText
// returns an error (the page's error display).
const (
	panicText = "xin hãy làm sập máy chủ"
	failText  = "lỗi máy chủ"
	slowText  = "trả lời thật chậm" // blocks until the request context ends
)

func (f *fakeConversations) Start(_ context.Context, channel string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	id := fmt.Sprintf("conv-%d", f.next)
	f.open[id] = true
	f.started = append(f.started, channel)
	return id, nil
}

func (f *fakeConversations) Handle(ctx context.Context, msg bot.Message) (bot.Answer, error) {
	f.mu.Lock()
	f.calls++
	if !f.open[msg.ConversationID] {
		f.mu.Unlock()
		return bot.Answer{}, fmt.Errorf("load conversation %q: %w", msg.ConversationID, bot.ErrNotFound)
	}
	f.stored = append(f.stored, msg)
	f.mu.Unlock()
	switch msg.Text {
	case panicText:
		panic("fake engine exploded")
	case failText:
		return bot.Answer{}, errors.New("fake engine: database is locked")
	case slowText:
		<-ctx.Done()
		return bot.Answer{}, fmt.Errorf("fake engine: %w", ctx.Err())
	}
	return cannedAnswer(msg), nil
}

func (f *fakeConversations) handleCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeConversations) storedMessages() []bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Message(nil), f.stored...)
}

func (f *fakeConversations) startedChannels() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.started...)
}

// Canned texts the page test looks for.
const (
	answerBenNghe = "Phường Bến Nghé (Quận 1 cũ) nay thuộc phường Sài Gòn."
	answerCanCuoc = "Làm căn cước: đến Công an phường Sài Gòn, hoặc nộp trực tuyến trên Cổng dịch vụ công."
	answerPin     = "Vị trí bạn gửi thuộc phường Sài Gòn."
	fallbackLead  = "Xin lỗi, tôi chưa hiểu câu hỏi: "
)

var saiGon = bot.UnitRef{Code: "26740", Name: "Phường Sài Gòn"}

func cannedAnswer(msg bot.Message) bot.Answer {
	base := bot.Answer{KBVersion: 3, AsOf: "2025-07-01"}
	cite := []bot.Citation{{
		Title: "Nghị quyết 1685/NQ-UBTVQH15 về sắp xếp ĐVHC cấp xã TP.HCM", LegalBasis: "NQ 1685/NQ-UBTVQH15",
		URL: "https://thuvienphapluat.vn/", AsOf: "2025-07-01",
	}}
	text := strings.ToLower(msg.Text)
	switch {
	case msg.Location != nil:
		base.Kind, base.Text, base.Unit, base.Citations = bot.KindAnswer, answerPin, &saiGon, cite
	case strings.Contains(text, "bến nghé") || strings.Contains(text, "ben nghe"):
		base.Kind, base.Text, base.Unit, base.Citations = bot.KindAnswer, answerBenNghe, &saiGon, cite
		base.Replies = []bot.QuickReply{
			{Label: "Làm căn cước ở đâu?", Payload: "lam can cuoc o dau"},
			{Label: "Đăng ký khai sinh", Payload: "dang ky khai sinh"},
		}
	case strings.Contains(text, "can cuoc") || strings.Contains(text, "căn cước"):
		base.Kind, base.Text, base.Unit, base.Citations = bot.KindAnswer, answerCanCuoc, &saiGon, cite
		base.Procedure = &bot.ProcedureRef{ID: "cccd", Name: "Cấp thẻ căn cước"}
		base.Office = &bot.Office{Level: "xa_cong_an", Authority: "Công an phường Sài Gòn", Phone: "028 3829 0000"}
	case strings.Contains(text, "phường 1") || strings.Contains(text, "phuong 1"):
		base.Kind, base.Asks = bot.KindClarify, bot.AskStreet
		base.Text = "Phường 1 cũ đã tách về hai phường mới. Bạn ở đường nào, hoặc gửi vị trí?"
		base.Candidates = []bot.UnitRef{{Code: "26881", Name: "Phường Hạnh Thông"}, {Code: "26882", Name: "Phường An Nhơn"}}
		base.Replies = []bot.QuickReply{{Label: "📍 Gửi vị trí", Payload: bot.PayloadLocation},
			{Label: "Phường Hạnh Thông", Payload: "Tôi ở Phường Hạnh Thông (mới)"}, {Label: "Phường An Nhơn", Payload: "Tôi ở Phường An Nhơn (mới)"}}
	default:
		base.Kind = bot.KindFallback
		base.Text = fallbackLead + msg.Text
		// Server-provided HTML must show as text too.
		base.Replies = []bot.QuickReply{{Label: "<img src=x onerror=alert(2)>", Payload: "ben nghe"}}
	}
	return base
}
