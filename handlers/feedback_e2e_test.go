package handlers_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// The web chat on the real engine: an answer ends with 👍/👎, which fit a
// 360 px phone as the other quick replies do; tapping 👎 stores the rating
// and offers “Gặp cán bộ”.
func TestFeedbackButtonsInChromium(t *testing.T) {
	rig, web := channeltest.NewWebChat(t, channeltest.RigOptions{})
	db := rig.DB
	srv := startServer(t, web)
	ctx := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, ctx,
		browsertest.EmulatePhone(),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
		chromedp.SendKeys(chromedp.ID("text"), "phuong ben nghe quan 1"), chromedp.Tap(chromedp.ID("send")),
	)
	chat := browsertest.WaitBotTurns(t, ctx, 2)
	if n := len(chat.Replies); n < 2 || chat.Replies[n-2] != "👍 Hữu ích" || chat.Replies[n-1] != "👎 Chưa đúng" {
		t.Fatalf("quick replies = %q, want 👍 and 👎 at the end", chat.Replies)
	}
	layout := browsertest.ReadLayout(t, ctx)
	if layout.ScrollWidth > layout.InnerWidth || len(layout.SmallTargets) > 0 {
		t.Errorf("layout at 360 px: scroll %d > %d, small targets %v", layout.ScrollWidth, layout.InnerWidth, layout.SmallTargets)
	}
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(`#messages .reply[data-payload="👎"]`))
	browsertest.Screenshot(t, ctx, "hp-chat-360-feedback.png")

	browsertest.Do(t, ctx, chromedp.Tap(`#messages .reply[data-payload="👎"]`))
	chat = browsertest.WaitBotTurns(t, ctx, 3)
	if !strings.Contains(chat.LastBot, "Xin lỗi vì câu trả lời chưa đúng") || !slices.Contains(chat.Replies, "Gặp cán bộ") {
		t.Errorf("after 👎: bot %q, replies %q", chat.LastBot, chat.Replies)
	}
	browsertest.Screenshot(t, ctx, "hp-chat-360-thumbs-down.png")
	var score int
	if err := db.QueryRowContext(t.Context(), `SELECT score FROM feedback`).Scan(&score); err != nil || score != -1 {
		t.Errorf("stored feedback = %d, %v", score, err)
	}
}
