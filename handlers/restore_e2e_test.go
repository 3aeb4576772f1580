package handlers_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// viewport is a screen the page is tested on.
type viewport struct {
	name   string
	width  int64
	height int64
	phone  bool
	at     time.Time // the desk's clock: in office hours or at night
}

var ict = time.FixedZone("ICT", 7*60*60)

var viewports = []viewport{
	{"360", 360, 740, true, time.Date(2026, 11, 30, 9, 0, 0, 0, ict)},    // Monday 09:00
	{"1280", 1280, 800, false, time.Date(2026, 12, 5, 20, 0, 0, 0, ict)}, // Saturday 20:00
}

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.phone {
		return browsertest.EmulatePhone()
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// A citizen on the real web chat (inbox, engine, store, ward queues): a
// long answer shows its essentials and folds the rest; a handoff shows the
// ticket with "Quay lại hỏi bot"; a reload — or the tab closed and opened
// again — draws the conversation and the ticket from the server; the
// button gives the bot back with the ticket kept; a rating prompt already
// answered is not offered again after a reload; a conversation the server
// no longer knows starts fresh without a word. At phone and desktop size.
func TestConversationRestoredInChromium(t *testing.T) {
	for _, v := range viewports {
		t.Run(v.name, func(t *testing.T) { testRestore(t, v) })
	}
}

func testRestore(t *testing.T, v viewport) {
	r := newDeskRig(t, func() time.Time { return v.at })
	srv := startServer(t, r.web, r.deps)
	ctx := browsertest.New(t, 120*time.Second)
	console := browsertest.WatchConsole(ctx)
	shot := func(name string) { browsertest.Screenshot(t, ctx, "hp-restore-"+v.name+"-"+name+".png") }
	open := func(ctx context.Context) {
		browsertest.Do(t, ctx, v.emulate(), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("text")))
	}
	send := func(ctx context.Context, text string, turns int) browsertest.ChatState {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Tap(chromedp.ID("send")))
		return browsertest.WaitBotTurns(t, ctx, turns)
	}
	tapReply := func(ctx context.Context, label string) {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.Tap(chromedp.Search(fmt.Sprintf(`//button[contains(concat(" ", @class, " "), " reply ") and normalize-space(.)=%q]`, label))))
	}
	open(ctx)

	// A long answer: the essentials, one tap from the rest.
	st := send(ctx, "làm khai sinh ở phường 5 quận 3", 2)
	if !st.Folded || !strings.Contains(st.LastBot, "thuộc Phường Bàn Cờ") || !strings.Contains(st.LastBot, "Trung tâm Phục vụ hành chính công: 611/20 Điện Biên Phủ") ||
		strings.Contains(st.LastBot, "Giấy tờ:") || !strings.Contains(st.Details, "Giấy tờ: Tờ khai") || !strings.Contains(st.Details, "Lệ phí:") {
		t.Errorf("folded answer: lead %q\ndetails %q", st.LastBot, st.Details)
	}
	if st.Summary != "Xem chi tiết" || st.SourcesOpen || st.Phone != "tel:02838396136" {
		t.Errorf("fold %q open %v, call %q", st.Summary, st.SourcesOpen, st.Phone)
	}
	checkOneSourcesLine(t, st)
	t.Logf("%s px: %d characters on screen before “Xem chi tiết” (the answer's text has %d)", v.name, st.Shown, len([]rune(st.LastBot+st.Details)))
	shot("answer")
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.CSS("#messages .turn.bot:last-child details.more > summary")))
	if st = browsertest.ReadChat(t, ctx); !st.SourcesOpen || st.Summary != "Thu gọn" {
		t.Errorf("after tapping Xem chi tiết: open %v, label %q", st.SourcesOpen, st.Summary)
	}
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#messages .turn.bot:last-child details.more').scrollIntoView({block: 'start'})`))
	shot("details")

	// A person: the ticket in view, with the way back to the bot.
	st = send(ctx, "cho tôi gặp cán bộ", 3)
	if !strings.Contains(st.Ticket, "Yêu cầu HP-000001 · Phường Bàn Cờ") || st.TicketAction != "Quay lại hỏi bot" || !slices.Contains(st.Replies, "Quay lại hỏi bot") {
		t.Errorf("after the handoff: ticket %q, action %q, replies %q", st.Ticket, st.TicketAction, st.Replies)
	}
	if v.phone && !strings.Contains(st.Ticket, "Đang chờ cán bộ · vị trí số 1, khoảng 5 phút") ||
		!v.phone && !strings.Contains(st.Ticket, "Ngoài giờ làm việc · cán bộ trả lời từ 07:30 T2 07/12") {
		t.Errorf("ticket state %q", st.Ticket)
	}
	shot("waiting")
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "con tôi sinh ngày 2/12, tôi cần làm gấp"), chromedp.Tap(chromedp.ID("send")))
	waitFor(t, ctx, `document.querySelectorAll('#messages .status-note.sent').length === 1`)
	if err := r.desk.Reply(t.Context(), clerk, lastConversation(t, r), "Chào anh, tôi hỗ trợ anh làm khai sinh nhé."); err != nil {
		t.Fatal(err)
	}
	st = browsertest.WaitBotTurns(t, ctx, 4)
	if !strings.Contains(st.LastBot, "tôi hỗ trợ anh làm khai sinh") || !strings.Contains(st.Ticket, "Cán bộ đang hỗ trợ bạn") {
		t.Errorf("the clerk's reply, live: bot %q, ticket %q", st.LastBot, st.Ticket)
	}
	shot("ticket")
	before := st.Transcript

	// Reload: the same conversation, its ticket, nothing twice.
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("text")))
	waitFor(t, ctx, `!document.getElementById('ticket').hidden`)
	time.Sleep(time.Second) // the live stream is connected: it must add nothing
	st = browsertest.ReadChat(t, ctx)
	if !slices.Equal(st.Transcript, before) || st.SentToStaff != 1 {
		t.Errorf("after a reload:\n%q\nwant\n%q\n(sent-to-staff marks %d)", st.Transcript, before, st.SentToStaff)
	}
	if !strings.Contains(st.Ticket, "HP-000001 · Phường Bàn Cờ") || !strings.Contains(st.Ticket, "Cán bộ đang hỗ trợ bạn") || st.TicketAction != "Quay lại hỏi bot" {
		t.Errorf("ticket after a reload: %q, action %q", st.Ticket, st.TicketAction)
	}
	if len(st.Replies) != 0 {
		t.Errorf("quick replies live after a reload: %q (the last message is the clerk's)", st.Replies)
	}
	shot("reloaded")

	// The tab closed, the page opened again in a new one: still there.
	tab2, cancel2 := chromedp.NewContext(ctx)
	defer cancel2()
	open(tab2)
	waitFor(t, tab2, `document.querySelectorAll('#messages .turn').length > 5`)
	if st2 := browsertest.ReadChat(t, tab2); !slices.Equal(st2.Transcript, before) || !strings.Contains(st2.Ticket, "HP-000001") {
		t.Errorf("in a new tab: %q, ticket %q", st2.Transcript, st2.Ticket)
	}
	cancel2()

	// "Quay lại hỏi bot": the bot answers again, the ticket is kept.
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.ID("ticket-action")))
	st = browsertest.WaitBotTurns(t, ctx, 5)
	if st.LastMine != "Quay lại hỏi bot" || !strings.Contains(st.LastBot, "mình quay lại trả lời bạn") || !strings.Contains(st.LastBot, "HP-000001") {
		t.Errorf("back to the bot: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if !strings.Contains(st.Ticket, "Vẫn chờ cán bộ · bạn đang hỏi trợ lý tự động") || st.TicketAction != "Gặp cán bộ" {
		t.Errorf("ticket with the bot: %q, action %q", st.Ticket, st.TicketAction)
	}
	shot("back-to-bot")
	if st = send(ctx, "phường bến nghé quận 1", 6); !strings.Contains(st.LastBot, "thuộc Phường Sài Gòn") {
		t.Errorf("the bot answers again: %q", st.LastBot)
	}

	// Closed by the clerk: the rating prompt, live; once answered, a
	// reload does not offer it again.
	if err := r.desk.Close(t.Context(), clerk, lastConversation(t, r), "resolved"); err != nil {
		t.Fatal(err)
	}
	st = browsertest.WaitBotTurns(t, ctx, 7)
	waitFor(t, ctx, `document.getElementById('ticket').hidden`)
	if !strings.Contains(st.LastBot, "đã kết thúc cuộc trò chuyện") || !slices.Contains(st.Replies, "5 ★") {
		t.Errorf("rating prompt: %q, replies %q", st.LastBot, st.Replies)
	}
	tapReply(ctx, "5 ★")
	st = browsertest.WaitBotTurns(t, ctx, 8)
	if !strings.Contains(st.LastBot, "Cảm ơn bạn đã đánh giá 5/5") {
		t.Errorf("after rating: %q", st.LastBot)
	}
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("text")))
	waitFor(t, ctx, `document.querySelectorAll('#messages .turn.bot').length >= 8`)
	st = browsertest.ReadChat(t, ctx)
	if slices.Contains(st.Replies, "5 ★") || !slices.Equal(st.Replies, []string{"Bỏ qua"}) || st.Ticket != "" {
		t.Errorf("after a reload the answered rating prompt is live again: replies %q, ticket %q", st.Replies, st.Ticket)
	}
	shot("rated-reloaded")

	// A conversation the server no longer gives: a fresh page, silently.
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem('hoiphuong.conversation', 'hp-gone')`),
		chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#messages .reply")))
	waitFor(t, ctx, `!localStorage.getItem('hoiphuong.conversation')`)
	if st = browsertest.ReadChat(t, ctx); st.BotTurns != 1 || len(st.Transcript) != 1 || st.Ticket != "" {
		t.Errorf("after a lost conversation: %q, ticket %q", st.Transcript, st.Ticket)
	}

	layout := browsertest.ReadLayout(t, ctx)
	if layout.ScrollWidth > layout.InnerWidth || !layout.ComposerVisible || len(layout.SmallTargets) > 0 {
		t.Errorf("layout: scroll %d > %d, composer %v, small targets %v", layout.ScrollWidth, layout.InnerWidth, layout.ComposerVisible, layout.SmallTargets)
	}
	for _, m := range console.Errors() {
		if !strings.Contains(m, "status of 404") && !strings.Contains(m, "status of 401") { // the lost conversation above (its cookie names another)
			t.Errorf("browser console: %s", m)
		}
	}
}

// waitFor waits (up to 10 s) until the expression is true in the page.
func waitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.chat').innerText`))
		t.Fatalf("waiting for %s: %v; the page:\n%s", js, err, page)
	}
}

// lastConversation is the id of the rig's newest web conversation.
func lastConversation(t *testing.T, r *deskRig) string {
	t.Helper()
	var id string
	if err := r.DB.QueryRowContext(t.Context(), `SELECT m.conversation_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.channel = 'web' ORDER BY m.id DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// checkOneSourcesLine wants the answer's sources once: one line, each
// source named once, the as-of date at its end, none of it in the bubble
// or the folded text.
func checkOneSourcesLine(t *testing.T, st browsertest.ChatState) {
	t.Helper()
	if st.SourceLines != 1 || len(st.Sources) == 0 || !strings.HasPrefix(st.SourcesLine, "Nguồn: ") ||
		!strings.Contains(st.SourcesLine, "Dữ liệu cập nhật đến ") {
		t.Errorf("sources: %d lines, %q: %q", st.SourceLines, st.Sources, st.SourcesLine)
	}
	for _, s := range st.Sources {
		if n := strings.Count(st.SourcesLine, s); n != 1 {
			t.Errorf("source %q named %d times in %q", s, n, st.SourcesLine)
		}
	}
	for _, part := range []string{st.LastBot, st.Details} {
		if strings.Contains(part, "Nguồn:") || strings.Contains(part, "Dữ liệu cập nhật đến") || strings.Contains(part, "google.com/maps") {
			t.Errorf("the sources line or the map link in the text: %q", part)
		}
	}
}
