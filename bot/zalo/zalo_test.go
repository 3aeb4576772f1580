package zalo_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
)

func TestIDKeepsBigNumbers(t *testing.T) {
	var v struct {
		A, B, C zalo.ID
	}
	if err := json.Unmarshal([]byte(`{"A":"2512523625412515","B":8471234567890123456,"C":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "2512523625412515" || v.B != "8471234567890123456" || v.C != "" {
		t.Errorf("ids = %+v", v)
	}
}

func TestFloatLenient(t *testing.T) {
	var v struct {
		A, B, C, D zalo.Float
	}
	if err := json.Unmarshal([]byte(`{"A":10.75,"B":"106.71","C":"abc","D":{"x":1}}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.A.Valid || v.A.V != 10.75 || !v.B.Valid || v.B.V != 106.71 || v.C.Valid || v.D.Valid {
		t.Errorf("floats = %+v", v)
	}
}

func TestRenderChunksAndReplies(t *testing.T) {
	text := strings.Repeat("Một đoạn văn bản tiếng Việt có dấu. ", 200)
	msgs := zalo.Render(bot.Answer{Text: text, Replies: []bot.QuickReply{
		{Label: "📍 Gửi vị trí", Payload: bot.PayloadLocation}, {Label: "Gặp cán bộ", Payload: bot.PayloadHuman}}}, "")
	if len(msgs) < 3 {
		t.Fatalf("%d chunks", len(msgs))
	}
	var joined []string
	for i, m := range msgs {
		if n := utf8.RuneCountInString(m.Text); n > zalo.MaxText {
			t.Errorf("chunk %d: %d characters", i, n)
		}
		joined = append(joined, m.Text)
	}
	last := msgs[len(msgs)-1].Text
	if !strings.HasSuffix(last, "Bạn có thể gõ:\n1. “Gặp cán bộ”") {
		t.Errorf("last chunk ends %q", last[max(0, len(last)-80):])
	}
	if strings.Contains(strings.Join(joined, ""), bot.PayloadLocation) {
		t.Error("the location payload leaks into the text")
	}
	if got := zalo.Render(bot.Answer{}, ""); len(got) != 0 {
		t.Errorf("empty answer rendered as %v", got)
	}
}

func TestCanned(t *testing.T) {
	for text, want := range map[string]string{
		zalo.TextFollowIn: "Xin chào", zalo.TextUnsupportedIn: "chỉ hỗ trợ tin nhắn chữ và vị trí", "/start": "Xin chào",
	} {
		a, ok := zalo.Canned(bot.Message{Text: text})
		if !ok || !strings.Contains(a.Text, want) {
			t.Errorf("%q → %v %q", text, ok, a.Text)
		}
	}
	if _, ok := zalo.Canned(bot.Message{Text: "phường 1"}); ok {
		t.Error("a question was canned")
	}
}

// Zalo cannot fold an answer either: an engine answer rendered for it names
// every source once, and the handoff's "Quay lại hỏi bot" is offered as a
// phrase to type.
func TestRenderEngineAnswerSourcesOnce(t *testing.T) {
	e := channeltest.NewEngine(t)
	var st bot.State
	a := e.Respond(t.Context(), &st, bot.Message{Text: "phường 5 quận 3 đăng ký khai sinh"})
	var text string
	for _, m := range zalo.Render(a, "") {
		text += m.Text + "\n"
	}
	for _, once := range []string{"Nguồn:", "1685/NQ-UBTVQH15, khoản 5 Điều 1", "Luật Hộ tịch 2014 (điều 13, 16)", "TB 243/TB-UBND", "Dữ liệu cập nhật đến"} {
		if n := strings.Count(text, once); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", once, n, text)
		}
	}
	back := zalo.Render(bot.Answer{Kind: bot.KindHandoff, Text: "Mã yêu cầu của bạn: HP-000001.",
		Replies: []bot.QuickReply{{Label: bot.PayloadBackToBot, Payload: bot.PayloadBackToBot}}}, "")
	if len(back) != 1 || !strings.Contains(back[0].Text, "Bạn có thể gõ:\n1. “Quay lại hỏi bot”") {
		t.Errorf("handoff on Zalo = %+v", back)
	}
}
