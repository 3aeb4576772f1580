package console_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Closing needs an outcome, and "Đã giải đáp" is refused by the server (not
// only greyed out in the form) while nobody has replied; "Không cần trả
// lời" closes without a rating question and gives the chat back to the bot.
func TestCloseOutcomes(t *testing.T) {
	rg := newRig(t)
	ctx := t.Context()
	c := rg.seed(unitA, "telegram", "Cho hỏi khai sinh cần giấy tờ gì")
	lan := rg.login("lan")
	base := "/console/c/" + c.ID

	page := html.UnescapeString(lan.get(rg, base).body)
	for _, want := range []string{`<select id="outcome" name="outcome" required`, `<option value="">Chọn kết quả…</option>`,
		`<option value="resolved" disabled>Đã giải đáp (cần trả lời trước)</option>`, `<option value="not_needed">Không cần trả lời</option>`,
		"Chưa có cán bộ nào trả lời: chỉ chọn được “Không cần trả lời”"} {
		if !strings.Contains(page, want) {
			t.Errorf("close form before any reply lacks %q", want)
		}
	}

	tests := []struct {
		name, outcome string
		status        int
		want          string
	}{
		{"no outcome", "", http.StatusUnprocessableEntity, "Vui lòng chọn kết quả xử lý."},
		{"answered without a reply", "resolved", http.StatusUnprocessableEntity, "Chưa có cán bộ nào trả lời công dân trong yêu cầu này, nên chưa thể ghi “Đã giải đáp”"},
		{"referred without a reply", "referred", http.StatusUnprocessableEntity, "hoặc chọn “Không cần trả lời”"},
	}
	for _, tt := range tests {
		r := lan.post(rg, base+"/close", url.Values{"outcome": {tt.outcome}})
		if body := html.UnescapeString(r.body); r.status != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tt.name, r.status, tt.status, tt.want, clip(body))
		}
	}
	if h, err := rg.st.ActiveHandoff(ctx, c.ID); err != nil || h.Status == store.HandoffClosed {
		t.Fatalf("a refused close ended the chat: %+v %v", h, err)
	}
	if sent := rg.courier.all(); len(sent) != 0 {
		t.Errorf("a refused close sent %+v", sent)
	}

	r := lan.post(rg, base+"/close", url.Values{"outcome": {"not_needed"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != base+"?ok=closequiet" {
		t.Fatalf("close not needed: %d %s %s", r.status, r.header.Get("Location"), clip(r.body))
	}
	sent := rg.courier.all()
	if len(sent) != 1 || sent[0].Answer.Asks == bot.AskRating || strings.Contains(sent[0].Answer.Text, "chấm điểm") ||
		!strings.Contains(sent[0].Answer.Text, c.Ticket) {
		t.Errorf("quiet close sent %+v, want one notice naming %s and no rating question", sent, c.Ticket)
	}
	if st, _ := rg.st.State(ctx, c.ID); st.Mode != bot.ModeBot {
		t.Errorf("mode after a quiet close = %q, want bot", st.Mode)
	}
	page = lan.get(rg, base+"?ok=closequiet").body
	for _, want := range []string{"công dân không được mời chấm điểm", "Đã kết thúc — Không cần trả lời", "đã kết thúc: Không cần trả lời"} {
		if !strings.Contains(page, want) {
			t.Errorf("page after a quiet close lacks %q", want)
		}
	}

	// After a reply "Đã giải đáp" is offered and asks for a rating.
	c2 := rg.seed(unitA, "zalo-oa", "Cho hỏi chứng thực bản sao")
	if r := lan.post(rg, "/console/c/"+c2.ID+"/reply", url.Values{"text": {"Chào chị, chị mang bản chính đến phường nhé."}}); r.status != http.StatusSeeOther {
		t.Fatalf("reply: %d", r.status)
	}
	if page := lan.get(rg, "/console/c/"+c2.ID).body; !strings.Contains(page, `<option value="resolved">Đã giải đáp</option>`) {
		t.Errorf("after a reply the form does not offer Đã giải đáp")
	}
	if r := lan.post(rg, "/console/c/"+c2.ID+"/close", url.Values{"outcome": {"resolved"}}); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != "/console/c/"+c2.ID+"?ok=close" {
		t.Fatalf("close answered after a reply: %d %s", r.status, r.header.Get("Location"))
	}
	if sent := rg.courier.all(); sent[len(sent)-1].Answer.Asks != bot.AskRating {
		t.Errorf("close after a reply: last sent %+v, want the rating question", sent[len(sent)-1])
	}
}

// A transfer tells the citizen on their channel, and the clerk sees that
// the citizen was told; the notice is in the history of the new unit.
func TestTransferTellsTheCitizen(t *testing.T) {
	rg := newRig(t)
	c := rg.seed(unitA, "telegram", "Tôi ở Bến Thành mà")
	lan, hoa := rg.login("lan"), rg.login("hoa")
	r := lan.post(rg, "/console/c/"+c.ID+"/transfer", url.Values{"to": {unitB}, "reason": {"Công dân ở phường Bến Thành"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/console?ok=transfer" {
		t.Fatalf("transfer: %d %s", r.status, r.header.Get("Location"))
	}
	sent := rg.courier.all()
	if len(sent) != 1 || sent[0].Channel != "telegram" || sent[0].ExternalID != c.ExternalID {
		t.Fatalf("sent %+v, want one message on the citizen's Telegram", sent)
	}
	for _, want := range []string{"Yêu cầu của bạn đã được chuyển đến cán bộ Phường Bến Thành", "Số phiếu " + c.Ticket + " của bạn vẫn giữ nguyên"} {
		if !strings.Contains(sent[0].Answer.Text, want) {
			t.Errorf("transfer notice lacks %q: %s", want, sent[0].Answer.Text)
		}
	}
	if page := lan.get(rg, "/console?ok=transfer").body; !strings.Contains(page, "công dân đã được báo (số phiếu giữ nguyên)") {
		t.Errorf("the queue page does not say the citizen was told")
	}
	page := hoa.get(rg, "/console/c/"+c.ID).body
	if !strings.Contains(page, "Thông báo của hệ thống") || !strings.Contains(page, "vẫn giữ nguyên") {
		t.Errorf("the new unit's clerk does not see the notice in the history")
	}
}
