package handlers_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// pageState is what the test reads back from the chat page.
type pageState struct {
	BotTurns    int      `json:"botTurns"`
	Typing      bool     `json:"typing"`
	LastBot     string   `json:"lastBot"`
	LastBotHTML string   `json:"lastBotHTML"`
	LastMine    string   `json:"lastMine"`
	MineFailed  bool     `json:"mineFailed"`
	Units       []string `json:"units"`
	Sources     []string `json:"sources"`
	Replies     []string `json:"replies"`
	Phone       string   `json:"phone"`
	Input       string   `json:"input"`
	Injected    int      `json:"injected"` // script/img elements inside the message list
}

const readState = `(() => {
  const bots = document.querySelectorAll('#messages .turn.bot');
  const last = bots[bots.length - 1];
  const mine = document.querySelectorAll('#messages .turn.me');
  const lastMine = mine[mine.length - 1];
  const texts = (root, sel) => root ? Array.from(root.querySelectorAll(sel), e => e.textContent) : [];
  const phone = last && last.querySelector('.office a');
  return {
    botTurns: bots.length,
    typing: !document.getElementById('typing').hidden,
    lastBot: last ? last.querySelector('.bubble').textContent : '',
    lastBotHTML: last ? last.innerHTML : '',
    lastMine: lastMine ? lastMine.querySelector('.bubble').textContent : '',
    mineFailed: !!lastMine && lastMine.classList.contains('failed'),
    units: texts(last, '.units li'),
    sources: texts(last, '.sources li'),
    replies: texts(document, '#messages .reply'),
    phone: phone ? phone.getAttribute('href') : '',
    input: document.getElementById('text').value,
    injected: document.querySelectorAll('#messages script, #messages img').length,
  };
})()`

// layoutReport lists what a thumb on a 360 px phone would trip on.
type layoutReport struct {
	ScrollWidth  int      `json:"scrollWidth"`
	InnerWidth   int      `json:"innerWidth"`
	SmallTargets []string `json:"smallTargets"`
	Heading      string   `json:"heading"`
	ComposerOnly bool     `json:"composerVisible"`
}

const readLayout = `(() => {
  const small = [];
  for (const el of document.querySelectorAll('button, textarea, a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || el.closest('.sources')) continue; // hidden, or inline source links
    if (r.width < 44 || r.height < 44) small.push((el.id || el.className || el.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  const c = document.getElementById('composer').getBoundingClientRect();
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    smallTargets: small,
    heading: document.querySelector('h1').textContent,
    composerVisible: c.bottom <= window.innerHeight + 1 && c.top >= 0,
  };
})()`

func TestChatPageInChromium(t *testing.T) {
	conv := newFakeConversations()
	srv := startServer(t, conv) // swap conv for the real engine in an integration test
	ctx := newBrowser(t, 90*time.Second)

	dialogs := watchDialogs(ctx)
	console := watchConsole(ctx)
	do(t, ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
	)

	// The shell at 360×740.
	layout := run(t, ctx, chromedp.Evaluate[layoutReport](readLayout))
	if layout.Heading != "Hỏi Phường — Tra cứu phường, xã mới TP.HCM" {
		t.Errorf("heading = %q", layout.Heading)
	}
	if layout.ScrollWidth > layout.InnerWidth {
		t.Errorf("page scrolls sideways: %d > %d", layout.ScrollWidth, layout.InnerWidth)
	}
	if len(layout.SmallTargets) > 0 {
		t.Errorf("tap targets under 44 px: %v", layout.SmallTargets)
	}
	if !layout.ComposerOnly {
		t.Error("the input is not fully on screen")
	}
	screenshot(t, ctx, "hp-chat-360-welcome.png")
	if n := len(conv.startedChannels()); n != 0 {
		t.Errorf("opening the page started %d conversations; it must wait for the first message", n)
	}

	// Type a question and press Gửi.
	question := "Phường Bến Nghé quận 1 giờ là phường nào?"
	do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), question), chromedp.Tap(chromedp.ID("send")))
	st := waitBotTurns(t, ctx, 2)
	if st.LastMine != question || st.LastBot != answerBenNghe {
		t.Errorf("after Gửi: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if st.Input != "" {
		t.Errorf("input not cleared after a good answer: %q", st.Input)
	}
	if len(st.Sources) != 1 || !strings.Contains(st.Sources[0], "cập nhật đến 01/07/2025") ||
		!strings.Contains(st.Sources[0], "Nghị quyết 1685") {
		t.Errorf("citations = %q", st.Sources)
	}
	if strings.Join(st.Replies, "|") != "Làm căn cước ở đâu?|Đăng ký khai sinh" {
		t.Errorf("quick replies = %q (the welcome examples must be gone)", st.Replies)
	}

	// Tap a quick reply: the label is the citizen's bubble, the payload is sent.
	do(t, ctx, chromedp.Tap(chromedp.CSS("#messages .reply")))
	st = waitBotTurns(t, ctx, 3)
	if st.LastMine != "Làm căn cước ở đâu?" || st.LastBot != answerCanCuoc {
		t.Errorf("after quick reply: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	if got := lastStored(t, conv).Text; got != "lam can cuoc o dau" {
		t.Errorf("engine got %q, want the payload", got)
	}
	if st.Phone != "tel:02838290000" {
		t.Errorf("office phone link = %q", st.Phone)
	}

	// A split ward: candidates as a list.
	do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "phuong 1 go vap"), chromedp.Tap(chromedp.ID("send")))
	st = waitBotTurns(t, ctx, 4)
	if strings.Join(st.Units, "|") != "Phường Hạnh Thông|Phường An Nhơn" {
		t.Errorf("candidates = %q", st.Units)
	}

	// HTML typed by a citizen, and HTML in the server's answer, show as text.
	attack := "<script>alert(1)</script>"
	do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), attack), chromedp.Tap(chromedp.ID("send")))
	st = waitBotTurns(t, ctx, 5)
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
	do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), failText), chromedp.Tap(chromedp.ID("send")))
	st = waitBotTurns(t, ctx, 6)
	if st.LastBot != jsonapi.MessageInternal || !st.MineFailed || st.Input != failText {
		t.Errorf("error display: bot %q, failed %v, input %q", st.LastBot, st.MineFailed, st.Input)
	}
	screenshot(t, ctx, "hp-chat-360-error.png")
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('text').value = ''`))

	// Gửi vị trí, permission granted: consent first, then the pin is sent.
	setGeolocation(t, ctx, srv.URL, browser.PermissionSettingGranted, 10.7769, 106.7009)
	do(t, ctx, chromedp.Tap(chromedp.ID("locate")), chromedp.WaitVisible(chromedp.ID("consent-yes")),
		chromedp.Tap(chromedp.ID("consent-yes")))
	st = waitBotTurns(t, ctx, 7)
	if st.LastBot != answerPin {
		t.Errorf("after a pin: bot %q", st.LastBot)
	}
	if loc := lastStored(t, conv).Location; loc == nil || loc.Lat != 10.7769 || loc.Lon != 106.7009 {
		t.Errorf("engine got location %v", loc)
	}

	// Gửi vị trí, permission denied: a clear Vietnamese message, nothing sent.
	before := len(conv.storedMessages())
	setGeolocation(t, ctx, srv.URL, browser.PermissionSettingDenied, 0, 0)
	do(t, ctx, chromedp.Tap(chromedp.ID("locate")), chromedp.WaitVisible(chromedp.ID("consent-yes")),
		chromedp.Tap(chromedp.ID("consent-yes")))
	st = waitBotTurns(t, ctx, 8)
	if !strings.Contains(st.LastBot, "chưa cho phép truy cập vị trí") {
		t.Errorf("denied location: bot %q", st.LastBot)
	}
	if after := len(conv.storedMessages()); after != before {
		t.Errorf("denied location still sent %d messages", after-before)
	}

	do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), "phuong ben nghe quan 1"), chromedp.Tap(chromedp.ID("send")))
	waitBotTurns(t, ctx, 9)
	screenshot(t, ctx, "hp-chat-360.png")

	// One conversation for the whole session, its id in sessionStorage.
	if ch := conv.startedChannels(); len(ch) != 1 {
		t.Errorf("started %d conversations, want 1", len(ch))
	}
	if id := run(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem('hoiphuong.conversation')`)); id != "conv-1" {
		t.Errorf("sessionStorage id = %q, want conv-1", id)
	}

	// A forgotten conversation (say the server lost it) is replaced once,
	// without bothering the citizen.
	do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem('hoiphuong.conversation', 'conv-404')`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
		chromedp.SendKeys(chromedp.ID("text"), "ben nghe"), chromedp.Tap(chromedp.ID("send")),
	)
	if st := waitBotTurns(t, ctx, 2); st.LastBot != answerBenNghe {
		t.Errorf("after a lost conversation: bot %q", st.LastBot)
	}
	if ch := conv.startedChannels(); len(ch) != 2 {
		t.Errorf("started %d conversations, want 2", len(ch))
	}

	if n := dialogs.count(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened", n)
	}
	t.Logf("console errors seen: %q", console.errors())
	for _, m := range console.errors() {
		if strings.Contains(m, "status of 500") || strings.Contains(m, "status of 404") {
			continue // the engine failure and the lost conversation above
		}
		t.Errorf("browser console: %s", m)
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("chromium: %v", err)
	}
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return v
}

// waitBotTurns waits until the page shows n bot turns and is not typing.
func waitBotTurns(t *testing.T, ctx context.Context, n int) pageState {
	t.Helper()
	cond := `document.querySelectorAll('#messages .turn.bot').length >= ` + itoa(n) +
		` && document.getElementById('typing').hidden`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[pageState](readState))
		t.Fatalf("waiting for %d bot turns: %v; page: %+v", n, err, st)
	}
	st := run(t, ctx, chromedp.Evaluate[pageState](readState))
	if st.BotTurns != n {
		t.Fatalf("bot turns = %d, want %d", st.BotTurns, n)
	}
	return st
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
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

// screenshot saves the viewport under t.TempDir(), and also under
// $SCREENSHOT_DIR when it is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := run(t, ctx, chromedp.CaptureScreenshot())
	dirs := []string{t.TempDir()}
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatalf("write screenshot: %v", err)
		}
		t.Logf("screenshot: %s", path)
	}
}

// dialogWatch counts and dismisses JavaScript dialogs.
type dialogWatch struct {
	mu sync.Mutex
	n  int
}

func (d *dialogWatch) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

func watchDialogs(ctx context.Context) *dialogWatch {
	d := &dialogWatch{}
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range events {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.n++
			d.mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return d
}

// consoleWatch collects console errors and uncaught exceptions (CSP
// violations show up here too).
type consoleWatch struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleWatch) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

func watchConsole(ctx context.Context) *consoleWatch {
	c := &consoleWatch{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.msgs = append(c.msgs, m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c
}
