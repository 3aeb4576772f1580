package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

func TestChatPageInChromium(t *testing.T) {
	conv := newFakeConversations()
	srv := startServer(t, conv) // swap conv for the real engine in an integration test
	ctx := browsertest.New(t, 90*time.Second)

	dialogs := browsertest.WatchDialogs(ctx)
	console := browsertest.WatchConsole(ctx)
	browsertest.Do(t, ctx,
		browsertest.EmulatePhone(),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
	)

	// The shell at 360×740.
	layout := browsertest.ReadLayout(t, ctx)
	if layout.Heading != "Hỏi Phường — Tra cứu phường, xã mới TP.HCM" {
		t.Errorf("heading = %q", layout.Heading)
	}
	if layout.ScrollWidth > layout.InnerWidth {
		t.Errorf("page scrolls sideways: %d > %d", layout.ScrollWidth, layout.InnerWidth)
	}
	if len(layout.SmallTargets) > 0 {
		t.Errorf("tap targets under 44 px: %v", layout.SmallTargets)
	}
	if !layout.ComposerVisible {
		t.Error("the input is not fully on screen")
	}
	browsertest.Screenshot(t, ctx, "hp-chat-360-welcome.png")
	if n := len(conv.startedChannels()); n != 0 {
		t.Errorf("opening the page started %d conversations; it must wait for the first message", n)
	}

	// Type a question and press Gửi.
	question := "Phường Bến Nghé quận 1 giờ là phường nào?"
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), question), chromedp.Tap(chromedp.ID("send")))
	st := browsertest.WaitBotTurns(t, ctx, 2)
	if st.LastMine != question || st.LastBot != answerBenNghe {
		t.Errorf("after Gửi: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if st.Input != "" {
		t.Errorf("input not cleared after a good answer: %q", st.Input)
	}
	if len(st.Sources) != 1 || st.Sources[0] != "NQ 1685/NQ-UBTVQH15" || st.SourceLines != 1 ||
		st.SourcesLine != "Nguồn: NQ 1685/NQ-UBTVQH15. Dữ liệu cập nhật đến 01/07/2025." {
		t.Errorf("sources = %q, line %q", st.Sources, st.SourcesLine)
	}
	if strings.Join(st.Replies, "|") != "Làm căn cước ở đâu?|Đăng ký khai sinh" {
		t.Errorf("quick replies = %q (the welcome examples must be gone)", st.Replies)
	}

	// Tap a quick reply: the label is the citizen's bubble, the payload is sent.
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.CSS("#messages .reply")))
	st = browsertest.WaitBotTurns(t, ctx, 3)
	if st.LastMine != "Làm căn cước ở đâu?" || st.LastBot != answerCanCuoc {
		t.Errorf("after quick reply: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if got := lastStored(t, conv).Text; got != "lam can cuoc o dau" {
		t.Errorf("engine got %q, want the payload", got)
	}
	if st.Phone != "tel:02838290000" {
		t.Errorf("office phone link = %q", st.Phone)
	}

	// A split ward: the candidates are offered as quick replies (the text
	// lists them too), not repeated in a third list.
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "phuong 1 go vap"), chromedp.Tap(chromedp.ID("send")))
	st = browsertest.WaitBotTurns(t, ctx, 4)
	if len(st.Units) != 0 || strings.Join(st.Replies, "|") != "📍 Gửi vị trí|Phường Hạnh Thông|Phường An Nhơn" {
		t.Errorf("candidates: list %q, replies %q", st.Units, st.Replies)
	}

	// HTML typed by a citizen, and HTML in the server's answer, show as text.
	attack := "<script>alert(1)</script>"
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), attack), chromedp.Tap(chromedp.ID("send")))
	st = browsertest.WaitBotTurns(t, ctx, 5)
	if st.LastMine != attack || st.LastBot != fallbackLead+attack {
		t.Errorf("HTML not shown as text: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if len(st.Replies) != 1 || st.Replies[0] != "<img src=x onerror=alert(2)>" {
		t.Errorf("HTML quick reply label = %q", st.Replies)
	}
	if st.Injected != 0 || !strings.Contains(st.LastBotHTML, "&lt;script&gt;") {
		t.Errorf("markup was injected into the page: %d elements; %s", st.Injected, st.LastBotHTML)
	}

	// An engine failure: Vietnamese error shown, the question kept in the input.
	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), failText), chromedp.Tap(chromedp.ID("send")))
	st = browsertest.WaitBotTurns(t, ctx, 6)
	if st.LastBot != jsonapi.MessageInternal || !st.MineFailed || st.Input != failText {
		t.Errorf("error display: bot %q, failed %v, input %q", st.LastBot, st.MineFailed, st.Input)
	}
	browsertest.Screenshot(t, ctx, "hp-chat-360-error.png")
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('text').value = ''`))

	// Gửi vị trí, permission granted: consent first, then the pin is sent.
	setGeolocation(t, ctx, srv.URL, browser.PermissionSettingGranted, 10.7769, 106.7009)
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.ID("locate")), chromedp.WaitVisible(chromedp.ID("consent-yes")),
		chromedp.Tap(chromedp.ID("consent-yes")))
	st = browsertest.WaitBotTurns(t, ctx, 7)
	if st.LastBot != answerPin {
		t.Errorf("after a pin: bot %q", st.LastBot)
	}
	if loc := lastStored(t, conv).Location; loc == nil || loc.Lat != 10.7769 || loc.Lon != 106.7009 {
		t.Errorf("engine got location %v", loc)
	}

	// Gửi vị trí, permission denied: a clear Vietnamese message, nothing sent.
	before := len(conv.storedMessages())
	setGeolocation(t, ctx, srv.URL, browser.PermissionSettingDenied, 0, 0)
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.ID("locate")), chromedp.WaitVisible(chromedp.ID("consent-yes")),
		chromedp.Tap(chromedp.ID("consent-yes")))
	st = browsertest.WaitBotTurns(t, ctx, 8)
	if !strings.Contains(st.LastBot, "chưa cho phép truy cập vị trí") {
		t.Errorf("denied location: bot %q", st.LastBot)
	}
	if after := len(conv.storedMessages()); after != before {
		t.Errorf("denied location still sent %d messages", after-before)
	}

	browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "phuong ben nghe quan 1"), chromedp.Tap(chromedp.ID("send")))
	browsertest.WaitBotTurns(t, ctx, 9)
	browsertest.Screenshot(t, ctx, "hp-chat-360.png")

	// One conversation for the whole session, its id in localStorage (it
	// outlives the tab).
	if ch := conv.startedChannels(); len(ch) != 1 {
		t.Errorf("started %d conversations, want 1", len(ch))
	}
	if id := browsertest.Run(t, ctx, chromedp.Evaluate[string](`localStorage.getItem('hoiphuong.conversation')`)); id != "conv-1" {
		t.Errorf("localStorage id = %q, want conv-1", id)
	}

	// A forgotten conversation (say the server lost it) is replaced once,
	// without bothering the citizen.
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem('hoiphuong.conversation', 'conv-404')`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
		chromedp.SendKeys(chromedp.ID("text"), "ben nghe"), chromedp.Tap(chromedp.ID("send")),
	)
	if st := browsertest.WaitBotTurns(t, ctx, 2); st.LastBot != answerBenNghe {
		t.Errorf("after a lost conversation: bot %q", st.LastBot)
	}
	if ch := conv.startedChannels(); len(ch) != 2 {
		t.Errorf("started %d conversations, want 2", len(ch))
	}

	if n := dialogs.Count(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened", n)
	}
	t.Logf("console errors seen: %q", console.Errors())
	for _, m := range console.Errors() {
		if strings.Contains(m, "status of 500") || strings.Contains(m, "status of 404") || strings.Contains(m, "status of 401") {
			continue // the engine failure and the lost conversation above (its cookie names another)
		}
		t.Errorf("browser console: %s", m)
	}
}

func lastStored(t *testing.T, conv *fakeConversations) bot.Message {
	t.Helper()
	msgs := conv.storedMessages()
	if len(msgs) == 0 {
		t.Fatal("the engine received nothing")
	}
	return msgs[len(msgs)-1]
}

// setGeolocation sets the page's geolocation permission and position.
func setGeolocation(t *testing.T, ctx context.Context, origin string, setting browser.PermissionSetting, lat, lon float64) {
	t.Helper()
	_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: setting, Origin: origin,
	})
	if err != nil {
		t.Fatalf("set geolocation permission: %v", err)
	}
	accuracy := 10.0
	_, err = chromedp.Call(ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lon, Accuracy: &accuracy,
	})
	if err != nil {
		t.Fatalf("set geolocation: %v", err)
	}
}
