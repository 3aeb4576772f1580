package zalobot_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	"github.com/hoiphuong/hoiphuong/bot/zalobot/zalobottest"
)

// errUnsigned stands for the webhook route's 401.
var errUnsigned = errors.New("secret rejected")

// deliver does what the webhook route (handlers/webhook, whose HTTP
// answers are tested there) does with a request: check the secret header,
// then persist the update.
func deliver(t *testing.T, g *zalobottest.Gateway, secret, body string) error {
	t.Helper()
	h := http.Header{}
	if secret != "" {
		h.Set(zalobot.SecretHeader, secret)
	}
	if !g.Channel.Authentic(h, []byte(body)) {
		return errUnsigned
	}
	return g.Channel.Receive(t.Context(), []byte(body))
}

func quiet(t *testing.T, fake *zalobottest.Server, want int) []zalobottest.Request {
	t.Helper()
	time.Sleep(150 * time.Millisecond)
	got := fake.Requests("sendMessage")
	if len(got) != want {
		t.Errorf("%d sendMessage calls, want %d", len(got), want)
	}
	return got
}

func TestSecretRequired(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	body := zalobottest.TextUpdate("c1", "m1", "phường 5 quận 3")
	for _, secret := range []string{"", "wrong-secret-value", zalobottest.Secret + "x"} {
		if err := deliver(t, g, secret, body); !errors.Is(err, errUnsigned) {
			t.Errorf("secret %q: err %v", secret, err)
		}
	}
	var n int
	if err := g.DB.QueryRow(`SELECT COUNT(*) FROM messages`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages stored from unauthenticated requests (%v)", n, err)
	}
}

func TestBothShapesAndDedupe(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{Public: "https://hoiphuong.example.vn"}).Start(t)
	g.WaitReady(t)
	if p := fake.WaitFor(t, "setWebhook", 1, 5*time.Second)[0].Params; p["url"] != "https://hoiphuong.example.vn/webhooks/zalo-bot" ||
		p["secret_token"] != zalobottest.Secret {
		t.Errorf("setWebhook params = %v", p)
	}
	bare := zalobottest.TextUpdate("chat-9", "mid-1", "Phường Đa Kao, Quận 1 giờ là phường nào?")
	// The same update three times, in both documented shapes.
	for _, body := range []string{bare, zalobottest.Envelope(bare), bare} {
		if err := deliver(t, g, zalobottest.Secret, body); err != nil {
			t.Fatalf("err %v", err)
		}
	}
	sent := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	quiet(t, fake, 1)
	r := sent[0]
	if r.Method != http.MethodPost || r.Path != "/bot"+zalobottest.Token+"/sendMessage" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
		r.Params["chat_id"] != "chat-9" || !strings.Contains(r.Params["text"], "Phường Sài Gòn") {
		t.Errorf("sendMessage = %s %s %v", r.Method, r.Path, r.Params)
	}
	if c := g.Inbox.Counts()[zalobot.Name]; c.Received != 1 || c.Duplicates != 2 {
		t.Errorf("inbox counts = %+v", c)
	}
	if err := deliver(t, g, zalobottest.Secret, `{"ok":true}`); !errors.Is(err, inbox.ErrMalformed) {
		t.Errorf("malformed body: err %v", err)
	}
}

func TestKinds(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	tests := []struct {
		name, update, textHas string
		sent                  bool
	}{
		{"text", zalobottest.TextUpdate("1", "a", "Phường Bến Nghé quận 1"), "Phường Sài Gòn", true},
		{"start", zalobottest.TextUpdate("2", "b", "/start"), "Xin chào", true},
		{"sticker", zalobottest.StickerUpdate("3", "c"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"image", zalobottest.ImageUpdate("4", "d"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"group ignored", zalobottest.GroupTextUpdate("5", "e", "phường 1"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Requests("sendMessage"))
			if err := g.Channel.Receive(t.Context(), []byte(tt.update)); err != nil {
				t.Fatal(err)
			}
			if !tt.sent {
				quiet(t, fake, before)
				return
			}
			sent := fake.WaitFor(t, "sendMessage", before+1, 5*time.Second)
			if text := sent[before].Params["text"]; !strings.Contains(text, tt.textHas) {
				t.Errorf("answer %q, want %q", text, tt.textHas)
			}
		})
	}
}

func TestPollingDedupesRepeats(t *testing.T) {
	fake := zalobottest.New(t)
	u := zalobottest.TextUpdate("p1", "pm1", "phường 5 quận 3")
	fake.QueueUpdate(u)
	fake.QueueUpdate(u) // no offset: the platform may hand it out again
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{Mode: zalobot.ModePoll}).Start(t)
	g.WaitReady(t)
	fake.WaitFor(t, "deleteWebhook", 1, 5*time.Second)
	sent := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	quiet(t, fake, 1)
	if !strings.Contains(sent[0].Params["text"], "Phường Bàn Cờ") {
		t.Errorf("answer %q", sent[0].Params["text"])
	}
	if p := fake.Requests("getUpdates")[0].Params; p["timeout"] == "" || p["offset"] != "" {
		t.Errorf("getUpdates params = %v", p)
	}
}

func TestUnreachableThenUp(t *testing.T) {
	fake := zalobottest.New(t)
	fake.Down.Store(true)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	time.Sleep(100 * time.Millisecond)
	err := g.Channel.Ready()
	if err == nil {
		t.Fatal("ready while the platform is unreachable")
	}
	if strings.Contains(err.Error(), zalobottest.Token) {
		t.Errorf("readiness leaks the token: %v", err)
	}
	if err := g.Channel.Receive(t.Context(), []byte(zalobottest.TextUpdate("d1", "x1", "phường 5 quận 3"))); err != nil {
		t.Fatal(err)
	}
	fake.Down.Store(false)
	g.WaitReady(t)
	fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	quiet(t, fake, 1)
}

func TestRateLimitedThenSent(t *testing.T) {
	fake := zalobottest.New(t)
	fake.Fail("sendMessage", zalobottest.Failure{Code: 429, RetryAfter: 1, Desc: "Too Many Requests"})
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	if err := g.Channel.Receive(t.Context(), []byte(zalobottest.TextUpdate("r", "r1", "xin chào"))); err != nil {
		t.Fatal(err)
	}
	calls := fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retried after %v, want ≥ 1 s", gap)
	}
	deadline := time.Now().Add(5 * time.Second)
	for g.Outbox.Counts()[zalobot.Name].Sent == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	quiet(t, fake, 2)
	if c := g.Outbox.Counts()[zalobot.Name]; c != (outbox.Counts{Sent: 1, Retries: 1}) {
		t.Errorf("outbox counts = %+v", c)
	}
}

func TestLongAnswerChunked(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	long := strings.Repeat("Thủ tục đăng ký khai sinh tại phường mới. ", 150)
	msgs, err := g.Channel.Render(t.Context(), bot.Answer{Text: long,
		Replies: []bot.QuickReply{{Label: "📍 Gửi vị trí", Payload: bot.PayloadLocation}, {Label: "Gặp cán bộ", Payload: bot.PayloadHuman}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 3 {
		t.Fatalf("%d chunks for %d characters", len(msgs), utf8.RuneCountInString(long))
	}
	if _, err := g.Outbox.Enqueue(t.Context(), zalobot.Name, "c", "test:long", msgs); err != nil {
		t.Fatal(err)
	}
	for i, r := range fake.WaitFor(t, "sendMessage", len(msgs), 5*time.Second) {
		if n := utf8.RuneCountInString(r.Params["text"]); n > zalo.MaxText || n == 0 {
			t.Errorf("chunk %d is %d characters", i, n)
		}
	}
	last := msgs[len(msgs)-1].Text
	if !strings.Contains(last, "“Gặp cán bộ”") || strings.Contains(last, bot.PayloadLocation) {
		t.Errorf("last chunk %q: want the typed replies, no location payload", last)
	}
}

// Zalo Bot: an answer ends with how to rate it; "chưa đúng" typed is a 👎,
// stored, and apologised for.
func TestFeedbackTyped(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	if err := g.Channel.Receive(t.Context(), []byte(zalobottest.TextUpdate("77", "m1", "Phường Bến Nghé quận 1"))); err != nil {
		t.Fatal(err)
	}
	sent := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	if text := sent[0].Params["text"]; !strings.HasSuffix(text, zalo.TextRateAnswer) || utf8.RuneCountInString(text) > zalo.MaxText {
		t.Errorf("answer does not end with the rating line:\n%s", text)
	}
	if err := g.Channel.Receive(t.Context(), []byte(zalobottest.TextUpdate("77", "m2", "Chưa đúng"))); err != nil {
		t.Fatal(err)
	}
	sent = fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	if text := sent[1].Params["text"]; !strings.Contains(text, "Xin lỗi vì câu trả lời chưa đúng") {
		t.Errorf("after 👎: %q", text)
	}
	var score int
	if err := g.DB.QueryRowContext(t.Context(), `SELECT score FROM feedback`).Scan(&score); err != nil || score != -1 {
		t.Errorf("stored feedback = %d, %v", score, err)
	}
}

// A unit's answer on Zalo (plain text): the desk from the seed, its phone
// and map link as typed (no escaping), the sources once, then what to type.
func TestUnitAnswerRendered(t *testing.T) {
	fake := zalobottest.New(t)
	g := zalobottest.NewGateway(t, fake, zalobottest.Options{}).Start(t)
	g.WaitReady(t)
	if err := deliver(t, g, zalobottest.Secret, zalobottest.TextUpdate("chat-7", "mid-7", "dang ky ket hon o phuong ben nghe quan 1")); err != nil {
		t.Fatalf("err %v", err)
	}
	text := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)[0].Params["text"]
	for _, want := range []string{
		"Nơi giải quyết: UBND Phường Sài Gòn",
		"Trung tâm Phục vụ hành chính công: 45 - 47 Lê Duẩn, phường Sài Gòn — ĐT: 028.38234223.\nGiấy tờ:",
		"Bản đồ: https://www.google.com/maps/search/?api=1&query=45+-+47+Le+Duan,+phuong+Sai+Gon,+TP.HCM\n",
		"địa chỉ: TB 243/TB-UBND, Truso.json, cập nhật 28/03/2026. Dữ liệu cập nhật đến 26/02/2026.\n\nBạn có thể gõ:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("sendMessage text lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "Nguồn:") != 1 || strings.Contains(text, "&amp;") || utf8.RuneCountInString(text) > zalo.MaxText {
		t.Errorf("sources not once, escaped, or too long:\n%s", text)
	}
}
