package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Two staff of the unit claim the same chat at once: exactly one 303, the
// other sees "Cán bộ khác đã nhận…" (409). A member at capacity is refused.
func TestConcurrentClaimAndCapacity(t *testing.T) {
	rg := newRig(t)
	c := rg.seed(unitA, "telegram", "Tôi cần gặp cán bộ về khai sinh")
	lan, minh := rg.login("lan"), rg.login("minh")
	path := "/console/c/" + c.ID + "/claim"
	var wg sync.WaitGroup
	res := make([]response, 2)
	for i, s := range []session{lan, minh} {
		wg.Go(func() { res[i] = s.post(rg, path, nil) })
	}
	wg.Wait()
	wins, losers := 0, 0
	for _, r := range res {
		switch r.status {
		case http.StatusSeeOther:
			wins++
		case http.StatusConflict:
			losers++
			if !strings.Contains(r.body, "Cán bộ khác đã nhận cuộc trò chuyện này.") {
				t.Errorf("the loser's page lacks the message:\n%s", clip(r.body))
			}
		default:
			t.Errorf("claim: %d %s", r.status, clip(r.body))
		}
	}
	if wins != 1 || losers != 1 {
		t.Fatalf("%d wins, %d losers; want exactly one of each", wins, losers)
	}

	// minh (at most 1 chat) already owns one: the next claim is refused.
	first := c
	if h, _ := rg.st.ActiveHandoff(t.Context(), first.ID); h.AssigneeID != rg.users["minh"].ID {
		if r := minh.post(rg, "/console/c/"+rg.seed(unitA, "web", "Câu khác").ID+"/claim", nil); r.status != http.StatusSeeOther {
			t.Fatalf("minh's first claim: %d", r.status)
		}
	}
	next := rg.seed(unitA, "web", "Thêm một câu hỏi")
	r := minh.post(rg, "/console/c/"+next.ID+"/claim", nil)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Bạn đang xử lý tối đa số cuộc trò chuyện cho phép.") {
		t.Errorf("claim over capacity: %d\n%s", r.status, clip(r.body))
	}
	// The success shows on the page it redirects to.
	r = lan.get(rg, "/console?ok=claim")
	if !strings.Contains(r.body, "Bạn đã nhận xử lý cuộc trò chuyện.") {
		t.Errorf("no success message after a claim")
	}
}

// A reply goes through the desk: stored with its author and delivered on
// the citizen's channel with the key staff:<message id>; a transfer needs
// a reason; close asks the citizen for a rating.
func TestReplyTransferClose(t *testing.T) {
	rg := newRig(t)
	ctx := t.Context()
	c := rg.seed(unitA, "telegram", "Cho hỏi khai sinh cần giấy tờ gì")
	lan := rg.login("lan")
	base := "/console/c/" + c.ID

	if r := lan.post(rg, base+"/reply", url.Values{"text": {"  "}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Nội dung trả lời phải có từ 1 đến 4000 ký tự.") {
		t.Errorf("empty reply: %d %s", r.status, clip(r.body))
	}
	text := "Chào anh, anh mang theo giấy chứng sinh và CCCD của cha mẹ nhé."
	r := lan.post(rg, base+"/reply", url.Values{"text": {text}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != base+"?ok=reply" {
		t.Fatalf("reply: %d %s %s", r.status, r.header.Get("Location"), clip(r.body))
	}
	msgs, err := rg.st.Messages(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Kind != bot.KindStaff || last.AuthorName != "Nguyễn Thị Lan" || last.AuthorID != rg.users["lan"].ID {
		t.Errorf("stored reply = %+v", last)
	}
	sent := rg.courier.all()
	if len(sent) != 1 || sent[0].Key != fmt.Sprintf("staff:%d", last.ID) || sent[0].Channel != "telegram" ||
		sent[0].ExternalID != c.ExternalID || !strings.Contains(sent[0].Answer.Text, text) {
		t.Errorf("deliveries = %+v, want one with key staff:%d", sent, last.ID)
	}
	page := lan.get(rg, base).body
	for _, want := range []string{"Cán bộ Nguyễn Thị Lan", text, "Đang xử lý bởi Nguyễn Thị Lan", "Trợ lý Hỏi Phường",
		"Đơn vị: Phường Sài Gòn", "Thủ tục: Đăng ký khai sinh", "12 Lê Lợi", "Phường Bến Nghé, Quận 1"} {
		if !strings.Contains(page, want) {
			t.Errorf("conversation page lacks %q", want)
		}
	}

	// Transfer without a reason: 422 with the Vietnamese message; nothing moves.
	r = lan.post(rg, base+"/transfer", url.Values{"to": {unitB}, "reason": {" "}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "ghi lý do chuyển") {
		t.Errorf("transfer without reason: %d %s", r.status, clip(r.body))
	}
	if h, _ := rg.st.ActiveHandoff(ctx, c.ID); h.UnitCode != unitA {
		t.Errorf("a transfer without a reason moved the chat to %s", h.UnitCode)
	}

	// A note, then close with an outcome: the citizen is asked for a rating.
	if r := lan.post(rg, base+"/note", url.Values{"text": {"Công dân ở gần chợ Bến Thành."}}); r.status != http.StatusSeeOther {
		t.Fatalf("note: %d", r.status)
	}
	if r := lan.post(rg, base+"/close", url.Values{"outcome": {"bogus"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("close with an unknown outcome: %d", r.status)
	}
	if r := lan.post(rg, base+"/close", url.Values{"outcome": {"resolved"}}); r.status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", r.status, clip(r.body))
	}
	msgs, _ = rg.st.Messages(ctx, c.ID, 0)
	last = msgs[len(msgs)-1]
	if last.Answer == nil || last.Answer.Asks != bot.AskRating {
		t.Errorf("last message after close = %+v, want the rating question", last)
	}
	if st, _ := rg.st.State(ctx, c.ID); st.Mode != bot.ModeClosed {
		t.Errorf("mode after close = %q", st.Mode)
	}
	if sent := rg.courier.all(); len(sent) != 2 || sent[1].Answer.Asks != bot.AskRating {
		t.Errorf("the rating question was not delivered: %+v", sent)
	}
	page = lan.get(rg, base).body
	for _, want := range []string{"Đã kết thúc — Đã giải đáp", "Công dân ở gần chợ Bến Thành.", "Ghi chú nội bộ"} {
		if !strings.Contains(page, want) {
			t.Errorf("closed conversation page lacks %q", want)
		}
	}
	// Acting on a closed chat says so.
	if r := lan.post(rg, base+"/claim", nil); r.status != http.StatusConflict || !strings.Contains(r.body, "Cuộc trò chuyện này đã kết thúc.") {
		t.Errorf("claim after close: %d %s", r.status, clip(r.body))
	}

	// A transfer with a reason lands in B's queue and goes back to the queue page.
	c2 := rg.seed(unitA, "web", "Tôi ở Bến Thành mà")
	r = lan.post(rg, "/console/c/"+c2.ID+"/transfer", url.Values{"to": {unitB}, "reason": {"Công dân ở phường Bến Thành"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console?ok=transfer" {
		t.Fatalf("transfer: %d %s", r.status, r.header.Get("Location"))
	}
	if h, _ := rg.st.ActiveHandoff(ctx, c2.ID); h.UnitCode != unitB {
		t.Errorf("transferred chat is in %s, want %s", h.UnitCode, unitB)
	}
	if r := lan.get(rg, "/console/c/"+c2.ID); r.status != http.StatusNotFound {
		t.Errorf("staff of A after the transfer to B: %d, want 404", r.status)
	}
}

// A subscriber of unit A gets A's queued event and not B's.
func TestEventStreamFiltersByUnit(t *testing.T) {
	rg := newRig(t)
	lan := rg.login("lan")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rg.srv.URL+"/console/events", nil)
	resp, err := lan.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() && lines.Text() != ": connected" {
	}
	b := rg.seed(unitB, "telegram", "Câu của phường B")
	a := rg.seed(unitA, "telegram", "Câu của phường A")
	var got []live.Event
	for lines.Scan() {
		data, ok := strings.CutPrefix(lines.Text(), "data: ")
		if !ok {
			continue
		}
		var e live.Event
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			t.Fatalf("event %q: %v", data, err)
		}
		got = append(got, e)
		if e.Kind == live.Queued && e.ConversationID == a.ID {
			break
		}
	}
	if len(got) == 0 || got[len(got)-1].ConversationID != a.ID {
		t.Fatalf("events = %+v, want A's queued event", got)
	}
	for _, e := range got {
		if e.ConversationID == b.ID || e.Unit != unitA {
			t.Errorf("staff of A got %+v", e)
		}
	}
	cancel()
	deadline := time.Now().Add(3 * time.Second)
	for rg.desk.Hub().Subscribers() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := rg.desk.Hub().Subscribers(); n != 0 {
		t.Errorf("%d subscribers left after the client went", n)
	}
}

// Every POST route without the CSRF token: 403, and nothing happens.
func TestPostWithoutCSRF(t *testing.T) {
	rg := newRig(t)
	admin := rg.login("admin")
	var posts []string
	_ = chi.Walk(rg.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodPost && route != "/login" {
			posts = append(posts, route)
		}
		return nil
	})
	if len(posts) < 15 {
		t.Fatalf("only %d POST routes walked: %v", len(posts), posts)
	}
	for _, pattern := range posts {
		tgt := rg.freshTarget()
		path := rg.path(pattern, tgt)
		form := url.Values{"text": {"x"}, "outcome": {"resolved"}, "to": {unitB}, "reason": {"r"}}
		if r := rg.do(admin.c, http.MethodPost, path, form); r.status != http.StatusForbidden {
			t.Errorf("POST %s without csrf: %d, want 403", path, r.status)
		}
		form.Set("csrf", "wrong-"+admin.csrf)
		if r := rg.do(admin.c, http.MethodPost, path, form); r.status != http.StatusForbidden {
			t.Errorf("POST %s with a wrong csrf: %d, want 403", path, r.status)
		}
		if h, err := rg.st.ActiveHandoff(t.Context(), tgt.chat.ID); err != nil || h.Status != store.HandoffOpen {
			t.Errorf("POST %s without csrf changed the chat: %+v %v", path, h, err)
		}
	}
	// The session still works with the token.
	if r := admin.post(rg, "/console/c/"+rg.seed(unitA, "web", "x").ID+"/claim", nil); r.status != http.StatusSeeOther {
		t.Errorf("claim with csrf: %d", r.status)
	}
}

// Office hours typed per weekday round-trip through the form; a bad span
// is refused with the Vietnamese message and what was typed is kept.
func TestSettingsForm(t *testing.T) {
	rg := newRig(t)
	binh := rg.login("binh")
	path := "/console/units/" + unitA + "/settings"
	form := url.Values{"sla": {"15"}, "day1": {"07:00-11:00, 13:30-16:30"}, "day6": {"7h30-11h30"}}
	if r := binh.post(rg, path, form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, clip(r.body))
	}
	s, err := rg.desk.Settings(t.Context(), unitA)
	if err != nil || !s.Custom || s.SLA != 15*time.Minute || s.Hours.DayText(1) != "07:00–11:00, 13:30–16:30" ||
		s.Hours.DayText(6) != "07:30–11:30" || s.Hours.DayText(2) != "" {
		t.Fatalf("saved settings = %+v, %v", s, err)
	}
	page := binh.get(rg, path).body
	if !strings.Contains(page, `value="07:00–11:00, 13:30–16:30"`) || !strings.Contains(page, `value="15"`) {
		t.Errorf("the form does not show the saved hours")
	}
	r := binh.post(rg, path, url.Values{"sla": {"15"}, "day1": {"17:00-08:00"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Giờ làm việc chưa hợp lệ") ||
		!strings.Contains(r.body, `value="17:00-08:00"`) {
		t.Errorf("bad span: %d %s", r.status, clip(r.body))
	}
	if r := binh.get(rg, "/console/units/"+unitB+"/settings"); r.status != http.StatusNotFound {
		t.Errorf("supervisor of A opening B's settings: %d, want 404", r.status)
	}
}

// Replying to a queued chat takes it: a member at capacity is refused
// with the Vietnamese message (409), the reply kept in the box, nothing
// sent, the chat still queued.
func TestReplyToQueuedChatAtCapacity(t *testing.T) {
	rg := newRig(t)
	minh := rg.login("minh") // at most 1 chat
	owned := rg.seed(unitA, "web", "Câu hỏi thứ nhất")
	if r := minh.post(rg, "/console/c/"+owned.ID+"/claim", nil); r.status != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.status)
	}
	queued := rg.seed(unitA, "telegram", "Câu hỏi thứ hai")
	text := "Chào chị, em hỗ trợ ngay ạ."
	r := minh.post(rg, "/console/c/"+queued.ID+"/reply", url.Values{"text": {text}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Bạn đang xử lý tối đa số cuộc trò chuyện cho phép.") ||
		!strings.Contains(r.body, "trả lời một cuộc đang chờ cũng là nhận cuộc đó") || !strings.Contains(r.body, text) {
		t.Errorf("reply over capacity: %d\n%s", r.status, clip(r.body))
	}
	if h, err := rg.st.ActiveHandoff(t.Context(), queued.ID); err != nil || h.Status != store.HandoffOpen || h.AssigneeID != 0 {
		t.Errorf("the refused reply claimed the chat: %+v %v", h, err)
	}
	if sent := rg.courier.all(); len(sent) != 0 {
		t.Errorf("the refused reply was sent: %+v", sent)
	}
}

// A citizen who went back to the bot: the ticket stays in the queue,
// marked on the queue page and the conversation page, with the event in
// the history.
func TestCitizenBackWithTheBotIsMarked(t *testing.T) {
	rg := newRig(t)
	c := rg.seed(unitA, "zalo-oa", "Cho hỏi khai sinh cần giấy tờ gì")
	if _, err := rg.st.LeaveHandoff(t.Context(), c.ID); err != nil {
		t.Fatal(err)
	}
	lan := rg.login("lan")
	if page := lan.get(rg, "/console").body; !strings.Contains(page, "Đang chờ · công dân đã quay lại hỏi bot") {
		t.Errorf("queue page lacks the mark:\n%s", clip(page))
	}
	page := lan.get(rg, "/console/c/"+c.ID).body
	for _, want := range []string{"công dân đã quay lại hỏi bot (trả lời của cán bộ vẫn đến công dân)", "Công dân quay lại hỏi bot; yêu cầu vẫn chờ cán bộ"} {
		if !strings.Contains(page, want) {
			t.Errorf("conversation page lacks %q", want)
		}
	}
}
