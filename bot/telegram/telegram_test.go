package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

func receive(t *testing.T, g *telegramtest.Gateway, update string) {
	t.Helper()
	if err := g.Channel.Receive(t.Context(), []byte(update)); err != nil {
		t.Fatal(err)
	}
}

// quiet waits a little and checks no more calls of api than want arrive.
func quiet(t *testing.T, fake *telegramtest.Server, api string, want int) []telegramtest.Request {
	t.Helper()
	time.Sleep(150 * time.Millisecond)
	got := fake.Requests(api)
	if len(got) != want {
		t.Errorf("%d %s calls, want %d", len(got), api, want)
	}
	return got
}

func TestSameUpdateThreeTimesAnsweredOnce(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	u := telegramtest.TextUpdate(501, 9001, "Phường Đa Kao, Quận 1 giờ là phường nào?")
	for range 3 {
		receive(t, g, u)
	}
	fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	sent := quiet(t, fake, "sendMessage", 1)
	f := sent[0].Form
	if f.Get("chat_id") != "9001" || f.Get("parse_mode") != "HTML" || !strings.Contains(f.Get("text"), "Phường Sài Gòn") {
		t.Errorf("sendMessage form = %v", f)
	}
	if c := g.Inbox.Counts()[telegram.Name]; c.Received != 1 || c.Duplicates != 2 {
		t.Errorf("inbox counts = %+v", c)
	}
}

func TestRetryAfterThenSuccess(t *testing.T) {
	fake := telegramtest.New(t)
	fake.Fail("sendMessage", telegramtest.Failure{Code: 429, RetryAfter: 1, Desc: "Too Many Requests: retry after 1"})
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	receive(t, g, telegramtest.TextUpdate(1, 77, "Đăng ký khai sinh ở đâu?"))
	calls := fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retried after %v, want ≥ retry_after (1 s)", gap)
	}
	quiet(t, fake, "sendMessage", 2) // one 429 and one delivery
	if c := g.Outbox.Counts()[telegram.Name]; c != (outbox.Counts{Sent: 1, Retries: 1}) {
		t.Errorf("outbox counts = %+v", c)
	}
}

func TestTelegramDownThenUp(t *testing.T) {
	fake := telegramtest.New(t)
	fake.Down.Store(true)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	time.Sleep(100 * time.Millisecond)
	err := g.Channel.Ready()
	if err == nil {
		t.Fatal("ready while Telegram is unreachable")
	}
	if strings.Contains(err.Error(), telegramtest.Token) {
		t.Errorf("readiness leaks the token: %v", err)
	}
	// The webhook still accepts and persists.
	receive(t, g, telegramtest.TextUpdate(1, 55, "phường 5 quận 3"))
	receive(t, g, telegramtest.TextUpdate(2, 56, "Phường Bến Nghé quận 1"))
	time.Sleep(200 * time.Millisecond)
	if n := len(fake.Requests("sendMessage")); n != 0 {
		t.Fatalf("%d sends recorded while down", n)
	}
	fake.Down.Store(false)
	g.WaitReady(t)
	fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	quiet(t, fake, "sendMessage", 2)
}

func TestOutboxDeliversAfterOutage(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	fake.Down.Store(true)
	receive(t, g, telegramtest.TextUpdate(1, 55, "phường 5 quận 3"))
	time.Sleep(300 * time.Millisecond) // several failed attempts
	fake.Down.Store(false)
	fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	quiet(t, fake, "sendMessage", 1)
	if c := g.Outbox.Counts()[telegram.Name]; c.Sent != 1 || c.Retries == 0 || c.Failed != 0 {
		t.Errorf("outbox counts = %+v, want 1 sent after retries", c)
	}
}

func TestLongAnswerChunkedInOrder(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	var paras []string
	for i := range 40 {
		paras = append(paras, strings.TrimSpace(fmt.Sprintf("Đoạn %02d: ", i)+strings.Repeat("thủ tục hành chính <&> ", 12+i%7)))
	}
	long := strings.Join(paras, "\n\n")
	msgs, err := g.Channel.Render(t.Context(), bot.Answer{Text: long,
		Replies: []bot.QuickReply{{Label: "Gặp cán bộ", Payload: bot.PayloadHuman}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Outbox.Enqueue(t.Context(), telegram.Name, "31", "test:long", msgs); err != nil {
		t.Fatal(err)
	}
	sent := fake.WaitFor(t, "sendMessage", len(msgs), 5*time.Second)
	if len(msgs) < 3 {
		t.Fatalf("%d chunks for %d characters", len(msgs), len(long))
	}
	var got []string
	for i, r := range sent {
		text := r.Form.Get("text")
		if n := len(utf16.Encode([]rune(text))); n > telegram.MaxText {
			t.Errorf("chunk %d is %d UTF-16 units", i, n)
		}
		if (r.Form.Get("reply_markup") != "") != (i == len(sent)-1) {
			t.Errorf("chunk %d: keyboard %q (only the last chunk carries it)", i, r.Form.Get("reply_markup"))
		}
		got = append(got, text)
	}
	unescape := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	if joined := unescape.Replace(strings.Join(got, "\n\n")); joined != long {
		t.Errorf("chunks joined differ from the answer (order or paragraphs lost)")
	}
}

func TestEscapesHTML(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	msgs, err := g.Channel.Render(t.Context(), bot.Answer{Text: `Xem <script>alert("x")</script> & <b>đậm</b>`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Outbox.Enqueue(t.Context(), telegram.Name, "31", "test:html", msgs); err != nil {
		t.Fatal(err)
	}
	f := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)[0].Form
	want := `Xem &lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;`
	if f.Get("text") != want || f.Get("parse_mode") != "HTML" {
		t.Errorf("text %q parse_mode %q; want %q in HTML mode", f.Get("text"), f.Get("parse_mode"), want)
	}
	// A citizen's markup never reaches Telegram unescaped.
	receive(t, g, telegramtest.TextUpdate(9, 31, "<script>alert(1)</script>"))
	for _, r := range fake.WaitFor(t, "sendMessage", 2, 5*time.Second) {
		if strings.Contains(r.Form.Get("text"), "<script") {
			t.Errorf("unescaped markup sent: %q", r.Form.Get("text"))
		}
	}
}

type keyboard struct {
	Inline [][]struct {
		Text         string `json:"text"`
		CallbackData string `json:"callback_data"`
	} `json:"inline_keyboard"`
	Reply [][]struct {
		Text            string `json:"text"`
		RequestLocation bool   `json:"request_location"`
	} `json:"keyboard"`
}

func TestKeyboardsFitAndButtonsWork(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	questions := []string{
		"Phường Đa Kao, Quận 1", "P.15 Quận 4", "phường 1", "phường 5 quận 3", "tân định",
		"đăng ký kết hôn", "tôi muốn làm giấy khai sinh ở tân định", "😀😀", "abc xyz", "cho tôi gặp cán bộ",
		"12 Nguyễn Huy Tự, P. Đa Kao, Q.1, TP.HCM", "/start",
	}
	for i, q := range questions {
		receive(t, g, telegramtest.TextUpdate(100+i, int64(7000+i), q))
	}
	sent := fake.WaitFor(t, "sendMessage", len(questions), 10*time.Second)
	inline, location := 0, 0
	var someKey, chat string
	for _, r := range sent {
		var kb keyboard
		if m := r.Form.Get("reply_markup"); m != "" {
			if err := json.Unmarshal([]byte(m), &kb); err != nil {
				t.Fatalf("reply_markup %q: %v", m, err)
			}
		}
		for _, row := range kb.Inline {
			for _, b := range row {
				inline++
				if n := len(b.CallbackData); n == 0 || n > 64 {
					t.Errorf("button %q: callback_data %d bytes", b.Text, n)
				}
				someKey, chat = b.CallbackData, r.Form.Get("chat_id")
			}
		}
		for _, row := range kb.Reply {
			for _, b := range row {
				if b.RequestLocation {
					location++
				}
			}
		}
	}
	if inline == 0 || location == 0 {
		t.Fatalf("%d inline buttons, %d location buttons: the questions should produce both", inline, location)
	}
	// Pressing a button: its payload is the citizen's next message, and the
	// spinner is stopped.
	var chatID int64
	fmt.Sscan(chat, &chatID)
	receive(t, g, telegramtest.CallbackUpdate(900, chatID, someKey))
	fake.WaitFor(t, "answerCallbackQuery", 1, 5*time.Second)
	fake.WaitFor(t, "sendMessage", len(questions)+1, 5*time.Second)
	// A forged or stale button is answered, and nothing is stored or sent.
	receive(t, g, telegramtest.CallbackUpdate(901, chatID, "k0123456789abcdef"))
	receive(t, g, telegramtest.CallbackUpdate(902, chatID, "Tôi ở Phường Sài Gòn (mới)"))
	cbs := fake.WaitFor(t, "answerCallbackQuery", 3, 5*time.Second)
	if cbs[2].Form.Get("text") == "" {
		t.Errorf("stale button not explained: %v", cbs[2].Form)
	}
	quiet(t, fake, "sendMessage", len(questions)+1)
}

func TestParseKinds(t *testing.T) {
	tests := []struct {
		name     string
		update   string
		wantSent bool
		textHas  string
	}{
		{"text", telegramtest.TextUpdate(1, 1, "Phường Bến Nghé quận 1"), true, "Phường Sài Gòn"},
		{"location", telegramtest.LocationUpdate(2, 2, 10.755201, 106.710436), true, "Phường"},
		{"start", telegramtest.TextUpdate(3, 3, "/start"), true, "Hỏi Phường"},
		{"help with bot name", telegramtest.TextUpdate(4, 4, "/help@hoiphuong_bot"), true, "/canbo"},
		{"canbo", telegramtest.TextUpdate(5, 5, "/canbo"), true, "cán bộ"},
		{"sticker", telegramtest.StickerUpdate(6, 6), true, "chỉ hỗ trợ tin nhắn chữ và vị trí"},
		{"photo", telegramtest.PhotoUpdate(7, 7), true, "chỉ hỗ trợ tin nhắn chữ và vị trí"},
		{"own contact", telegramtest.ContactUpdate(8, 8, 8), true, "không cần số điện thoại"},
		{"someone else's contact", telegramtest.ContactUpdate(9, 9, 4242), true, "không nhận số điện thoại của người khác"},
		{"group chat ignored", telegramtest.GroupTextUpdate(10, -100, "phường 1"), false, ""},
		{"edit ignored", telegramtest.EditedUpdate(11, 11, "phường 1"), false, ""},
	}
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Requests("sendMessage"))
			receive(t, g, tt.update)
			if !tt.wantSent {
				quiet(t, fake, "sendMessage", before)
				return
			}
			sent := fake.WaitFor(t, "sendMessage", before+1, 5*time.Second)
			if text := sent[before].Form.Get("text"); !strings.Contains(text, tt.textHas) {
				t.Errorf("answer lacks %q:\n%s", tt.textHas, text)
			}
		})
	}
}

func TestAuthentic(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{})
	tests := []struct {
		header string
		want   bool
	}{
		{telegramtest.Secret, true},
		{"", false},
		{"wrong", false},
		{telegramtest.Secret + "x", false},
		{strings.ToUpper(telegramtest.Secret), false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set(telegram.SecretHeader, tt.header)
		}
		if got := g.Channel.Authentic(h, nil); got != tt.want {
			t.Errorf("Authentic(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
	if err := g.Channel.Receive(t.Context(), []byte(`{"nope":`)); err == nil {
		t.Error("malformed body accepted")
	}
}

func TestSetWebhookSendsSecret(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{Public: "https://hoiphuong.example.vn/"}).Start(t)
	g.WaitReady(t)
	f := fake.WaitFor(t, "setWebhook", 1, 5*time.Second)[0].Form
	if f.Get("url") != "https://hoiphuong.example.vn/webhooks/telegram" || f.Get("secret_token") != telegramtest.Secret ||
		f.Get("allowed_updates") != `["message","callback_query"]` {
		t.Errorf("setWebhook form = %v", f)
	}
	if me := fake.Requests("getMe"); len(me) != 1 || me[0].Method != http.MethodPost {
		t.Errorf("getMe calls = %+v", me)
	}
}

func TestPollingPersistsOffset(t *testing.T) {
	fake := telegramtest.New(t)
	fake.QueueUpdate(telegramtest.TextUpdate(10, 81, "phường 5 quận 3"))
	fake.QueueUpdate(telegramtest.TextUpdate(11, 82, "Đăng ký khai sinh ở đâu?"))
	path := t.TempDir() + "/db"
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{Path: path, Mode: telegram.ModePoll}).Start(t)
	fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	if len(fake.Requests("deleteWebhook")) != 1 {
		t.Error("poll mode did not delete the webhook first")
	}
	// Wait for a poll with the advanced offset, then restart.
	deadline := time.Now().Add(5 * time.Second)
	for !polledWith(fake, "12") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	g.Stop()
	fake.QueueUpdate(telegramtest.TextUpdate(12, 83, "phường 1 quận 4"))
	n := len(fake.Requests("getUpdates"))
	g2 := telegramtest.NewGateway(t, fake, telegramtest.Options{Path: path, Mode: telegram.ModePoll}).Start(t)
	fake.WaitFor(t, "sendMessage", 3, 5*time.Second)
	quiet(t, fake, "sendMessage", 3)
	if first := fake.Requests("getUpdates")[n]; first.Form.Get("offset") != "12" {
		t.Errorf("after restart polled from offset %q, want 12", first.Form.Get("offset"))
	}
	_ = g2
}

func polledWith(fake *telegramtest.Server, offset string) bool {
	for _, r := range fake.Requests("getUpdates") {
		if r.Form.Get("offset") == offset {
			return true
		}
	}
	return false
}

func TestRestartMidQueueDeliversEachOnce(t *testing.T) {
	fake := telegramtest.New(t)
	fake.SendDelay.Store(int64(30 * time.Millisecond))
	path := t.TempDir() + "/db"
	engine := telegramtest.NewEngine(t)
	limits := outbox.Limits{ChatInterval: time.Millisecond, PerSecond: 10000}
	g1 := telegramtest.NewGateway(t, fake, telegramtest.Options{Path: path, Engine: engine, Limits: limits}).Start(t)
	g1.WaitReady(t)
	const n = 24
	for i := range n {
		receive(t, g1, telegramtest.TextUpdate(i+1, int64(600+i%4), fmt.Sprintf("phường %d quận 3", i%14+1)))
	}
	fake.WaitFor(t, "sendMessage", 3, 5*time.Second)
	g1.Stop()
	if got := len(fake.Requests("sendMessage")); got >= n {
		t.Fatalf("all %d sent before the stop", got)
	}
	fake.SendDelay.Store(0)
	telegramtest.NewGateway(t, fake, telegramtest.Options{Path: path, Engine: engine, Limits: limits}).Start(t)
	fake.WaitFor(t, "sendMessage", n, 10*time.Second)
	sent := quiet(t, fake, "sendMessage", n)
	seen := map[string]int{}
	for _, r := range sent {
		seen[r.Form.Get("chat_id")+"|"+r.Form.Get("text")]++
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("delivered %d times: %.60q", c, k)
		}
	}
}

func TestStartupDoesNotWaitForTelegram(t *testing.T) {
	fake := telegramtest.New(t)
	fake.Down.Store(true)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{})
	start := time.Now()
	g.Start(t)
	if took := time.Since(start); took > time.Second {
		t.Errorf("start took %v", took)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := g.Channel.Send(ctx, "1", outbox.OutMessage{Text: "x"}); err == nil {
		t.Error("Send succeeded before connecting")
	}
}

// An answer ends with 👍 and 👎 on one row; pressing 👎 stores the rating of
// that answer and apologises with the "Gặp cán bộ" button.
func TestFeedbackButtons(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	receive(t, g, telegramtest.TextUpdate(1, 4242, "Phường Bến Nghé quận 1"))
	sent := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
	var kb keyboard
	if err := json.Unmarshal([]byte(sent[0].Form.Get("reply_markup")), &kb); err != nil || len(kb.Inline) == 0 {
		t.Fatalf("reply_markup %q: %v", sent[0].Form.Get("reply_markup"), err)
	}
	last := kb.Inline[len(kb.Inline)-1]
	if len(last) != 2 || last[0].Text != "👍 Hữu ích" || last[1].Text != "👎 Chưa đúng" {
		t.Fatalf("last row = %+v, want 👍 and 👎", last)
	}
	for _, b := range last {
		if n := len(b.CallbackData); n == 0 || n > 64 {
			t.Errorf("%q: callback_data %d bytes", b.Text, n)
		}
	}
	receive(t, g, telegramtest.CallbackUpdate(2, 4242, last[1].CallbackData))
	sent = fake.WaitFor(t, "sendMessage", 2, 5*time.Second)
	if text := sent[1].Form.Get("text"); !strings.Contains(text, "Xin lỗi vì câu trả lời chưa đúng") || !strings.Contains(sent[1].Form.Get("reply_markup"), "Gặp cán bộ") {
		t.Errorf("after 👎: %q %s", text, sent[1].Form.Get("reply_markup"))
	}
	var score int
	if err := g.DB.QueryRowContext(t.Context(), `SELECT score FROM feedback`).Scan(&score); err != nil || score != -1 {
		t.Errorf("stored feedback = %d, %v", score, err)
	}
}

// A unit's answer on Telegram (HTML mode): the desk from the seed, its
// phone and map link (the & escaped, so Telegram shows and links it whole),
// and the sources once, at the end.
func TestUnitAnswerRendered(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	receive(t, g, telegramtest.TextUpdate(1, 4242, "phường 5 quận 3"))
	text := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)[0].Form.Get("text")
	for _, want := range []string{
		"thuộc Phường Bàn Cờ.\nTrung tâm Phục vụ hành chính công: 611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ — ĐT: 028.38396136.",
		"Trụ sở UBND: 296 Nguyễn Thiện Thuật, phường Bàn Cờ.",
		"Giờ làm việc: giờ hành chính T2–T6 (lịch chung).",
		"Bản đồ: https://www.google.com/maps/search/?api=1&amp;query=611/20+Dien+Bien+Phu,+phuong+Ban+Co,+TP.HCM\n",
		"địa chỉ: TB 243/TB-UBND, Truso.json, cập nhật 28/03/2026. Dữ liệu cập nhật đến 26/02/2026.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("sendMessage text lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "Nguồn:") != 1 || strings.Contains(text, "chưa có trong cơ sở dữ liệu") {
		t.Errorf("sources not once, or an office said to be missing:\n%s", text)
	}
}

// A procedure's answer on Telegram, which cannot fold it: the whole text,
// the detail asked for next to the desk, and every source once.
func TestProcedureAnswerSourcesOnce(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	receive(t, g, telegramtest.TextUpdate(1, 4244, "làm khai sinh ở phường 5 quận 3 lệ phí bao nhiêu"))
	text := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)[0].Form.Get("text")
	if !strings.Contains(text, "ĐT: 028.38396136.\nLệ phí: Miễn lệ phí") || !strings.Contains(text, "Giấy tờ: Tờ khai") {
		t.Errorf("the fee asked does not follow the desk, or details are missing:\n%s", text)
	}
	for _, once := range []string{"Nguồn:", "1685/NQ-UBTVQH15, khoản 5 Điều 1", "Luật Hộ tịch 2014 (điều 13, 16)", "NĐ 120/2025/NĐ-CP", "TB 243/TB-UBND", "Dữ liệu cập nhật đến"} {
		if n := strings.Count(text, once); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", once, n, text)
		}
	}
}

// "Where is the nearest service desk?" on Telegram: the bot asks for the
// location with Telegram's location button; the shared location gets the
// nearest desks, each with its map link (HTML-escaped).
func TestNearestDeskByLocation(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	receive(t, g, telegramtest.TextUpdate(1, 4343, "trung tâm hành chính công gần nhất ở đâu"))
	ask := fake.WaitFor(t, "sendMessage", 1, 5*time.Second)[0].Form
	if !strings.Contains(ask.Get("text"), "Gửi vị trí") || !strings.Contains(ask.Get("reply_markup"), `"request_location":true`) {
		t.Fatalf("ask = %q, markup %s", ask.Get("text"), ask.Get("reply_markup"))
	}
	receive(t, g, telegramtest.LocationUpdate(2, 4343, 10.7798, 106.6880)) // Phường Xuân Hòa
	text := fake.WaitFor(t, "sendMessage", 2, 5*time.Second)[1].Form.Get("text")
	for _, want := range []string{
		"Vị trí bạn gửi thuộc Phường Xuân Hòa. Trung tâm Phục vụ hành chính công gần nhất:\n1. Phường Xuân Hòa (nơi bạn đang đứng): 99 Trần Quốc Thảo (số cũ 101), phường Xuân Hòa — ĐT: 028.39326868 — khoảng ",
		"Bản đồ: https://www.google.com/maps/search/?api=1&amp;query=99+Tran+Quoc+Thao,+phuong+Xuan+Hoa,+TP.HCM\n2. ",
		"\n3. ", "tâm địa bàn mỗi phường, xã",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("nearest desks lack %q:\n%s", want, text)
		}
	}
}
