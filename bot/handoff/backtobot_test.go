package handoff

import (
	"slices"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

func replyLabels(a bot.Answer) []string {
	var out []string
	for _, r := range a.Replies {
		out = append(out, r.Label)
	}
	return out
}

// At night a handed-off citizen would wait for hours: "hủy" (or the
// button) gives them the bot back at once, and the ticket stays in the
// ward's queue for staff, marked, until a clerk writes — then the
// conversation is the clerk's again.
func TestBackToBotWhileQueued(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(5, 20, 0)) // Saturday 20:00: the office opens on Monday
	events, stop := r.desk.Hub().Subscribe(func(e live.Event) bool { return e.Unit == "27154" })
	defer stop()

	id, a := r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
	if a.Kind != bot.KindHandoff || a.Ticket == nil || a.Ticket.InHours {
		t.Fatalf("handoff answer = %+v", a)
	}
	number := a.Ticket.Number
	if !slices.Contains(replyLabels(a), bot.PayloadBackToBot) || !strings.Contains(a.Text, "Quay lại hỏi bot") {
		t.Errorf("the handoff answer offers no way back: replies %q, text %s", replyLabels(a), a.Text)
	}
	<-events // queued

	// Waiting: the wait is said with the button; a procedure question that
	// starts like a cancellation goes to staff, not back to the bot.
	if _, a = r.chat(t, id, "còn bao lâu nữa"); a.Kind != bot.KindHandoff || !slices.Contains(replyLabels(a), bot.PayloadBackToBot) {
		t.Errorf("status answer = %+v", a)
	}
	<-events // the citizen's message, for staff
	for _, q := range []string{"hủy đăng ký thường trú thì cần gì", "thôi quốc tịch làm ở đâu"} {
		if _, a = r.chat(t, id, q); a.Kind != bot.KindNone {
			t.Errorf("%q while queued: %+v, want silence (it is for staff)", q, a)
		}
		<-events
	}
	if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeQueued {
		t.Fatalf("mode = %q, want queued", st.Mode)
	}

	// "huỷ": the bot is back, the ticket is kept.
	_, a = r.chat(t, id, "huỷ")
	if a.Kind != bot.KindSystem || a.Ticket == nil || !a.Ticket.WithBot || a.Ticket.Number != number {
		t.Fatalf("back to the bot: %+v", a)
	}
	for _, want := range []string{"mình quay lại trả lời bạn", number, "vẫn được giữ trong hàng chờ của cán bộ Phường Bàn Cờ", "nếu cán bộ trả lời"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("back-to-bot text lacks %q: %s", want, a.Text)
		}
	}
	if !slices.Contains(replyLabels(a), "Gặp cán bộ") {
		t.Errorf("back-to-bot replies = %q, want a way back to staff", replyLabels(a))
	}
	if e := <-events; e.Kind != live.Left || e.ConversationID != id {
		t.Errorf("staff not told the citizen left: %+v", e)
	}
	<-events // the citizen's "huỷ" itself
	if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeBot {
		t.Errorf("mode = %q, want bot", st.Mode)
	}
	q, err := r.desk.Queue(ctx, staffA, "")
	if err != nil || len(q) != 1 || q[0].Ticket != number || q[0].Status != store.HandoffOpen || !q[0].WithBot() {
		t.Fatalf("queue after leaving = %+v, %v; want the ticket, open, marked", q, err)
	}
	v, err := r.desk.Conversation(ctx, staffA, id, nil)
	if err != nil || !slices.ContainsFunc(v.Events, func(e store.Event) bool { return e.Kind == store.EventLeft }) {
		t.Errorf("events = %+v, %v; want the citizen's leaving recorded", v.Events, err)
	}

	// The bot answers again, even once a clerk claims the ticket: the
	// clerk has not written yet.
	if _, a = r.chat(t, id, "đăng ký khai sinh"); a.Kind != bot.KindAnswer || a.Procedure == nil || a.Procedure.ID != "khai-sinh" {
		t.Errorf("after leaving, the bot answers: %+v", a)
	}
	r.set(at(7, 8, 0)) // Monday morning
	if err := r.desk.Claim(ctx, staffA, id); err != nil {
		t.Fatal(err)
	}
	if _, a = r.chat(t, id, "lệ phí bao nhiêu"); a.Kind != bot.KindAnswer {
		t.Errorf("claimed but not written to: the bot still answers, got %+v", a)
	}
	if tk, err := r.desk.Ticket(ctx, id); err != nil || !tk.Owned || !tk.WithBot {
		t.Errorf("ticket = %+v, %v; want owned and still with the bot", tk, err)
	}

	// The clerk's reply reaches the citizen as usual, and the chat is the
	// clerk's again: the bot is silent.
	if err := r.desk.Reply(ctx, staffA, id, "Chào anh, tôi hỗ trợ anh việc khai sinh nhé."); err != nil {
		t.Fatal(err)
	}
	if got := r.courier.sent[len(r.courier.sent)-1]; got.Kind != bot.KindStaff || !strings.Contains(got.Text, "tôi hỗ trợ anh") {
		t.Errorf("staff reply delivered = %+v", got)
	}
	if _, a = r.chat(t, id, "dạ em cảm ơn"); a.Kind != bot.KindNone {
		t.Errorf("after the clerk wrote, the bot answered %+v", a)
	}

	// With a clerk, a bare "thôi" is for the clerk; an explicit request
	// gives the bot back (the clerk keeps the ticket).
	if _, a = r.chat(t, id, "thôi ạ"); a.Kind != bot.KindNone {
		t.Errorf("bare 'thôi' with a clerk: %+v, want it left to the clerk", a)
	}
	_, a = r.chat(t, id, "Quay lại hỏi bot")
	if a.Kind != bot.KindSystem || a.Ticket == nil || !a.Ticket.Owned || !a.Ticket.WithBot || !strings.Contains(a.Text, "vẫn do cán bộ Phường Bàn Cờ giữ") {
		t.Fatalf("explicit back to the bot with a clerk: %+v", a)
	}
	// The old button tapped again: already with the bot, the ticket named.
	if _, a = r.chat(t, id, "Quay lại hỏi bot"); a.Kind != bot.KindSystem || !strings.Contains(a.Text, "Bạn đang hỏi trợ lý tự động") || !strings.Contains(a.Text, number) {
		t.Errorf("button tapped twice: %+v", a)
	}

	// Asking for staff again returns to the same ticket, with its owner.
	_, a = r.chat(t, id, "gặp cán bộ")
	if a.Kind != bot.KindHandoff || a.Ticket == nil || a.Ticket.Number != number || !a.Ticket.Owned || a.Ticket.WithBot {
		t.Fatalf("back to staff: %+v", a)
	}
	if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeHuman {
		t.Errorf("mode = %q, want human (the clerk owns the ticket)", st.Mode)
	}
	if hs, _ := r.st.Handoffs(ctx, id); len(hs) != 1 {
		t.Errorf("%d requests, want the one ticket kept throughout", len(hs))
	}
}

// A ticket transferred after the citizen left stays with the bot until
// staff write.
func TestLeftTicketTransferKeepsTheBot(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0))
	id, _ := r.chat(t, "", "Phường 5, Quận 3", "gặp cán bộ", "không cần nữa")
	if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeBot {
		t.Fatalf("mode after 'không cần nữa' = %q", st.Mode)
	}
	if err := r.desk.Transfer(ctx, staffA, id, "26740", "Địa chỉ thuộc phường Sài Gòn"); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.st.State(ctx, id); st.Mode != bot.ModeBot {
		t.Errorf("mode after a transfer = %q, want bot", st.Mode)
	}
	if tk, err := r.desk.Ticket(ctx, id); err != nil || tk.Unit.Code != "26740" || !tk.WithBot {
		t.Errorf("ticket = %+v, %v", tk, err)
	}
}
