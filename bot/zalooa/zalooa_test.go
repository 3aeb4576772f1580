package zalooa_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
)

// errUnsigned stands for the webhook route's 401.
var errUnsigned = errors.New("signature rejected")

// deliver does what the webhook route (handlers/webhook, whose HTTP
// answers are tested there) does with a request: check the signature, then
// persist the event.
func deliver(t *testing.T, g *zalooatest.Gateway, body string, h http.Header) error {
	t.Helper()
	if !g.Channel.Authentic(h, []byte(body)) {
		return errUnsigned
	}
	return g.Channel.Receive(t.Context(), []byte(body))
}

func count(t *testing.T, g *zalooatest.Gateway, table string) int {
	t.Helper()
	var n int
	if err := g.DB.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func receive(t *testing.T, g *zalooatest.Gateway, body string) {
	t.Helper()
	if err := g.Channel.Receive(t.Context(), []byte(body)); err != nil {
		t.Fatal(err)
	}
}

// quiet waits a little and checks the number of sends did not grow past want.
func quiet(t *testing.T, fake *zalooatest.Server, want int) []zalooatest.Request {
	t.Helper()
	time.Sleep(150 * time.Millisecond)
	got := fake.Requests(zalooatest.SendPath)
	if len(got) != want {
		t.Errorf("%d sends, want %d", len(got), want)
	}
	return got
}

func TestSignatureRequired(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	body := zalooatest.TextEvent("2512523625412515", "msg-1", "phường 5 quận 3")
	forged := zalooatest.Signed(t, body)
	forged.Set(zalooa.SignatureHeader, "mac="+strings.Repeat("ab", 32))
	wrongKey := http.Header{}
	wrongKey.Set(zalooa.SignatureHeader, zalooa.Sign(zalooatest.AppID, "0", []byte(body), "not-the-secret"))
	otherApp := strings.Replace(body, zalooatest.AppID, "42", 1)
	for name, tc := range map[string]struct {
		body string
		h    http.Header
	}{
		"missing":        {body, http.Header{}},
		"forged":         {body, forged},
		"wrong key":      {body, wrongKey},
		"body changed":   {strings.Replace(body, "quận 3", "quận 4", 1), zalooatest.Signed(t, body)},
		"other app's id": {otherApp, zalooatest.Signed(t, otherApp)},
	} {
		if err := deliver(t, g, tc.body, tc.h); !errors.Is(err, errUnsigned) {
			t.Errorf("%s signature: err %v", name, err)
		}
	}
	if n := count(t, g, "messages"); n != 0 {
		t.Errorf("%d messages stored from unsigned events", n)
	}
	if err := deliver(t, g, body, zalooatest.Signed(t, body)); err != nil {
		t.Fatalf("signed event: err %v", err)
	}
	fake.WaitFor(t, zalooatest.SendPath, 1, 5*time.Second)
}

func TestSameEventThreeTimesSentOnce(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	body := zalooatest.TextEvent("2512523625412515", "c2b3a7f1d9e0", "Phường Đa Kao, Quận 1 giờ là phường nào?")
	for range 3 {
		if err := deliver(t, g, body, zalooatest.Signed(t, body)); err != nil {
			t.Fatalf("err %v", err)
		}
	}
	sent := fake.WaitFor(t, zalooatest.SendPath, 1, 5*time.Second)
	quiet(t, fake, 1)
	r := sent[0]
	user, text := r.JSON()
	if r.Method != http.MethodPost || r.Header.Get("access_token") != zalooatest.AccessToken ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || user != "2512523625412515" ||
		!strings.Contains(text, "Phường Sài Gòn") {
		t.Errorf("send = %s %v %s", r.Method, r.Header, r.Body)
	}
	if c := g.Inbox.Counts()[zalooa.Name]; c.Received != 1 || c.Duplicates != 2 {
		t.Errorf("inbox counts = %+v", c)
	}
}

func TestExpiredTokenRefreshedOnce(t *testing.T) {
	fake := zalooatest.New(t)
	fake.FailSend(-216)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	receive(t, g, zalooatest.TextEvent("77", "m1", "Đăng ký khai sinh ở đâu?"))
	fake.WaitFor(t, zalooatest.SendPath, 2, 5*time.Second)
	quiet(t, fake, 2)
	refreshes := fake.Requests(zalooatest.RefreshPath)
	if len(refreshes) != 1 {
		t.Fatalf("%d refreshes, want 1", len(refreshes))
	}
	r := refreshes[0]
	if r.Header.Get("secret_key") != zalooatest.SecretKey || r.Form.Get("app_id") != zalooatest.AppID ||
		r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("refresh_token") != zalooatest.RefreshToken ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		t.Errorf("refresh request = %v %v", r.Header, r.Form)
	}
	if d := fake.Delivered(); len(d) != 1 || d[0].Header.Get("access_token") != "access-1" {
		t.Errorf("delivered = %d (want 1, with the new token)", len(d))
	}
	if c := waitSent(t, g); c.Sent != 1 || c.Failed != 0 {
		t.Errorf("outbox counts = %+v", c)
	}
}

func TestConcurrentExpiredOneRefresh(t *testing.T) {
	fake := zalooatest.New(t)
	fake.RefreshDelay.Store(int64(100 * time.Millisecond))
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{})
	for _, u := range []string{"u1", "u2", "u3"} {
		receive(t, g, zalooatest.TextEvent(u, "m-"+u, "xin chào"))
	}
	fake.Expire()
	sendAtOnce(t, []string{"u1", "u2", "u3"}, func(int) *zalooa.Channel { return g.Channel })
	if n := len(fake.Requests(zalooatest.RefreshPath)); n != 1 || g.Channel.Refreshes() != 1 {
		t.Errorf("%d refreshes (%d counted), want exactly 1", n, g.Channel.Refreshes())
	}
	if n := len(fake.Delivered()); n != 3 {
		t.Errorf("%d delivered, want 3", n)
	}
}

func TestRefreshedTokensSurviveACrash(t *testing.T) {
	fake := zalooatest.New(t)
	path := t.TempDir() + "/hoiphuong.db"
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{Path: path})
	receive(t, g, zalooatest.TextEvent("u1", "m1", "xin chào"))
	fake.Expire()
	if _, err := g.Channel.Send(t.Context(), "u1", outbox.OutMessage{Text: "Chào bạn"}); err != nil {
		t.Fatal(err)
	}
	access, refresh := fake.Tokens()
	// "Crash": nothing is closed cleanly; a new store on the same file must
	// hold the new pair, never the spent one.
	st, err := chanstore.NewZaloOA(t.Context(), g.DB)
	if err != nil {
		t.Fatal(err)
	}
	stored, ok, err := st.LoadTokens(t.Context(), zalooatest.AppID)
	if err != nil || !ok || stored.Refresh != refresh || stored.Access != access || stored.ExpiresAt.IsZero() {
		t.Fatalf("stored = %+v %v %v; want %s/%s", stored, ok, err, access, refresh)
	}
	g2 := zalooatest.NewGateway(t, fake, zalooatest.Options{Path: path}) // configured with the old env tokens
	fake.Expire()
	if _, err := g2.Channel.Send(t.Context(), "u1", outbox.OutMessage{Text: "Chào lại"}); err != nil {
		t.Fatalf("after restart: %v (the spent env refresh token was used?)", err)
	}
	refreshes := fake.Requests(zalooatest.RefreshPath)
	if last := refreshes[len(refreshes)-1]; last.Form.Get("refresh_token") != refresh {
		t.Errorf("restart refreshed with %q, want the stored %q", last.Form.Get("refresh_token"), refresh)
	}
}

func TestOutsideReplyWindowUndeliverable(t *testing.T) {
	fake := zalooatest.New(t)
	var skew atomic.Int64
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{Now: func() time.Time {
		return time.Now().Add(time.Duration(skew.Load()))
	}})
	// The answer leaves 49 h after the message (the gateway was down).
	receive(t, g, zalooatest.TextEvent("old-user", "m-old", "phường 5 quận 3"))
	skew.Store(int64(49 * time.Hour))
	g.Start(t)
	deadline := time.Now().Add(5 * time.Second)
	for {
		rows, err := g.Outbox.Rows(t.Context(), zalooa.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) > 0 && rows[0].Status == outbox.StatusFailed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rows = %+v, want one failed (undeliverable)", rows)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var cause string
	if err := g.DB.QueryRowContext(t.Context(), `SELECT last_error FROM outbox WHERE channel = ?`, zalooa.Name).Scan(&cause); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cause, "48-hour") {
		t.Errorf("last_error = %q, want the reply-window reason", cause)
	}
	quiet(t, fake, 0)
	// A user who never wrote is outside the window too.
	if _, err := g.Channel.Send(t.Context(), "stranger", outbox.OutMessage{Text: "x"}); err == nil {
		t.Error("sent to a user who never wrote")
	}
}

func TestEventKinds(t *testing.T) {
	tests := []struct {
		name, event, textHas string
		wantSent             bool
	}{
		{"text", zalooatest.TextEvent("1001", "k1", "Phường Bến Nghé quận 1"), "Phường Sài Gòn", true},
		{"location numbers", zalooatest.LocationEvent("1002", "k2", "10.755201", "106.710436"), "Phường Xóm Chiếu", true},
		{"location strings", zalooatest.LocationEvent("1003", "k3", `"10.755201"`, `"106.710436"`), "Phường Xóm Chiếu", true},
		{"follow", zalooatest.FollowEvent("1004"), "Xin chào", true},
		{"unfollow ignored", zalooatest.UnfollowEvent("1005"), "", false},
		{"sticker", zalooatest.MediaEvent("sticker", "1006", "k6"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"image", zalooatest.MediaEvent("image", "1007", "k7"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"file", zalooatest.MediaEvent("file", "1008", "k8"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"audio", zalooatest.MediaEvent("audio", "1009", "k9"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"video", zalooatest.MediaEvent("video", "1010", "k10"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
		{"gif", zalooatest.MediaEvent("gif", "1011", "k11"), "chỉ hỗ trợ tin nhắn chữ và vị trí", true},
	}
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(fake.Requests(zalooatest.SendPath))
			receive(t, g, tt.event)
			if !tt.wantSent {
				quiet(t, fake, before)
				return
			}
			sent := fake.WaitFor(t, zalooatest.SendPath, before+1, 5*time.Second)
			if _, text := sent[before].JSON(); !strings.Contains(text, tt.textHas) {
				t.Errorf("answer %q, want %q", text, tt.textHas)
			}
		})
	}
}

func TestLocationPicksUnit(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{})
	if err := g.Channel.Receive(t.Context(), []byte(zalooatest.LocationEvent("42", "loc1", "10.755201", `"106.710436"`))); err != nil {
		t.Fatal(err)
	}
	pending, err := g.Store.PendingInbound(t.Context(), conversation(t, g, "42"))
	if err != nil || len(pending) != 1 || pending[0].Message.Location == nil ||
		*pending[0].Message.Location != (bot.Location{Lat: 10.755201, Lon: 106.710436}) {
		t.Fatalf("pending = %+v %v", pending, err)
	}
}

func conversation(t *testing.T, g *zalooatest.Gateway, chat string) string {
	t.Helper()
	id, _, err := g.Store.GetOrCreateByExternal(t.Context(), zalooa.Name, chat)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestRateLimitedThenSent(t *testing.T) {
	fake := zalooatest.New(t)
	fake.FailSend(-32)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	receive(t, g, zalooatest.TextEvent("55", "r1", "phường 5 quận 3"))
	fake.WaitFor(t, zalooatest.SendPath, 2, 5*time.Second)
	quiet(t, fake, 2)
	if c := waitSent(t, g); c != (outbox.Counts{Sent: 1, Retries: 1}) {
		t.Errorf("outbox counts = %+v", c)
	}
}

func TestLongAnswerChunked(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	receive(t, g, zalooatest.TextEvent("31", "long", "xin chào"))
	var paras []string
	for i := range 40 {
		paras = append(paras, "Đoạn "+strings.Repeat("thủ tục hành chính ", 10+i%9))
	}
	msgs, err := g.Channel.Render(t.Context(), bot.Answer{Text: strings.Join(paras, "\n\n"),
		Replies: []bot.QuickReply{{Label: "📍 Gửi vị trí", Payload: bot.PayloadLocation}, {Label: "Gặp cán bộ", Payload: bot.PayloadHuman}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 3 {
		t.Fatalf("%d chunks", len(msgs))
	}
	if _, err := g.Outbox.Enqueue(t.Context(), zalooa.Name, "31", "test:long", msgs); err != nil {
		t.Fatal(err)
	}
	sent := fake.WaitFor(t, zalooatest.SendPath, len(msgs)+1, 5*time.Second)
	for i, r := range sent {
		if _, text := r.JSON(); utf8.RuneCountInString(text) > zalo.MaxText {
			t.Errorf("send %d is %d characters", i, utf8.RuneCountInString(text))
		}
	}
	if last := msgs[len(msgs)-1].Text; !strings.Contains(last, "“Gặp cán bộ”") || !strings.Contains(last, "Vị trí") {
		t.Errorf("quick replies not listed: %q", last)
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	fake := zalooatest.New(t)
	var skew atomic.Int64
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{Now: func() time.Time {
		return time.Now().Add(time.Duration(skew.Load()))
	}})
	receive(t, g, zalooatest.TextEvent("u1", "m1", "xin chào"))
	fake.Expire() // first refresh on -216: now the expiry (25 h) is known
	if _, err := g.Channel.Send(t.Context(), "u1", outbox.OutMessage{Text: "1"}); err != nil {
		t.Fatal(err)
	}
	skew.Store(int64(25*time.Hour - time.Minute)) // within refreshAhead of the expiry
	if _, err := g.Channel.Send(t.Context(), "u1", outbox.OutMessage{Text: "2"}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Requests(zalooatest.RefreshPath)); n != 2 {
		t.Errorf("%d refreshes, want 2 (one on -216, one ahead of the expiry)", n)
	}
	sends := fake.Requests(zalooatest.SendPath)
	if last := sends[len(sends)-1]; last.Header.Get("X-Fake-Result") != "0" || len(sends) != 3 {
		t.Errorf("%d sends; the early refresh should avoid a -216", len(sends))
	}
}

// waitSent waits until the outbox recorded a sent message and returns its counts.
func waitSent(t *testing.T, g *zalooatest.Gateway) outbox.Counts {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for g.Outbox.Counts()[zalooa.Name].Sent == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return g.Outbox.Counts()[zalooa.Name]
}

// Zalo OA has no buttons here: an answer ends with how to rate it, and a
// typed 👎 stores the rating and apologises.
func TestFeedbackTyped(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}).Start(t)
	receive(t, g, zalooatest.TextEvent("3001", "f1", "Phường Bến Nghé quận 1"))
	sent := fake.WaitFor(t, zalooatest.SendPath, 1, 5*time.Second)
	if _, text := sent[0].JSON(); !strings.HasSuffix(text, zalo.TextRateAnswer) || utf8.RuneCountInString(text) > zalo.MaxText {
		t.Errorf("answer does not end with the rating line:\n%s", text)
	}
	receive(t, g, zalooatest.TextEvent("3001", "f2", "👎"))
	sent = fake.WaitFor(t, zalooatest.SendPath, 2, 5*time.Second)
	if _, text := sent[1].JSON(); !strings.Contains(text, "Xin lỗi vì câu trả lời chưa đúng") || !strings.Contains(text, "“Gặp cán bộ”") {
		t.Errorf("after 👎: %q", text)
	}
	var score int
	if err := g.DB.QueryRowContext(t.Context(), `SELECT score FROM feedback`).Scan(&score); err != nil || score != -1 {
		t.Errorf("stored feedback = %d, %v", score, err)
	}
}

// Zalo allows 8 free replies per follower message: the 9th chunk is not
// sent (undeliverable, for staff) until the follower writes again; a
// redelivered old message does not renew the quota.
func TestReplyQuotaPerFollowerMessage(t *testing.T) {
	fake := zalooatest.New(t)
	g := zalooatest.NewGateway(t, fake, zalooatest.Options{}) // not started: Send is called directly
	at := time.Now().Add(-time.Minute)
	receive(t, g, zalooatest.TextEventAt("q-user", "q1", "phường 5 quận 3", at))
	send := func() error {
		_, err := g.Channel.Send(t.Context(), "q-user", outbox.OutMessage{Text: "trả lời"})
		return err
	}
	steps := []struct {
		name    string
		receive string // an event before the send ("": none)
		wantErr error
	}{
		{"reply 1", "", nil}, {"reply 2", "", nil}, {"reply 3", "", nil}, {"reply 4", "", nil},
		{"reply 5", "", nil}, {"reply 6", "", nil}, {"reply 7", "", nil}, {"reply 8", "", nil},
		{"reply 9: quota used", "", zalooa.ErrQuotaUsed},
		{"old message redelivered", zalooatest.TextEventAt("q-user", "q1", "phường 5 quận 3", at), zalooa.ErrQuotaUsed},
		{"follower writes again", zalooatest.TextEventAt("q-user", "q2", "cảm ơn", time.Now()), nil},
	}
	for _, s := range steps {
		if s.receive != "" {
			receive(t, g, s.receive)
		}
		err := send()
		if (s.wantErr == nil) != (err == nil) || (s.wantErr != nil && !errors.Is(err, s.wantErr)) {
			t.Fatalf("%s: err = %v, want %v", s.name, err, s.wantErr)
		}
		if err != nil && !errors.Is(err, outbox.ErrPermanent) {
			t.Errorf("%s: %v is not permanent", s.name, err)
		}
	}
	if got := len(fake.Requests(zalooatest.SendPath)); got != 9 {
		t.Errorf("%d sends reached Zalo, want 9 (8, then 1 after the new message)", got)
	}
}

// sendAtOnce sends "Chào bạn" to each user at the same time, through the
// channel of (the user's index), and wants every send to succeed.
func sendAtOnce(t *testing.T, users []string, through func(i int) *zalooa.Channel) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for i, u := range users {
		wg.Go(func() {
			_, err := through(i).Send(context.Background(), u, outbox.OutMessage{Text: "Chào bạn"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
