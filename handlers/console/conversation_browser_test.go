package console_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// composerView is where the reply box and the history are in the window.
type composerView struct {
	ReplyTop     float64 `json:"replyTop"`
	ReplyBottom  float64 `json:"replyBottom"`
	SendBottom   float64 `json:"sendBottom"`
	Inner        float64 `json:"inner"`
	ScrollY      float64 `json:"scrollY"`
	PageScrolls  bool    `json:"pageScrolls"`
	LastVisible  bool    `json:"lastVisible"`
	FirstVisible bool    `json:"firstVisible"`
	SideShown    bool    `json:"sideShown"`
	ThreadShown  bool    `json:"threadShown"`
}

const readComposer = `(() => {
  const r = document.getElementById('reply').getBoundingClientRect();
  const send = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Gửi trả lời').getBoundingClientRect();
  const h = document.getElementById('history').getBoundingClientRect();
  const msgs = document.querySelectorAll('#timeline > li');
  const seen = el => { const m = el.getBoundingClientRect(); return m.bottom > h.top && m.top < h.bottom && m.height > 0; };
  const shown = id => document.getElementById(id).getClientRects().length > 0;
  return {replyTop: r.top, replyBottom: r.bottom, sendBottom: send.bottom, inner: window.innerHeight, scrollY: window.scrollY,
    pageScrolls: document.scrollingElement.scrollHeight > window.innerHeight + 1,
    lastVisible: seen(msgs[msgs.length - 1]), firstVisible: seen(msgs[0]),
    sideShown: shown('side'), threadShown: shown('history')};
})()`

// checkComposer fails unless the reply box and its send button are in the
// window without scrolling, and the history shows its latest message (not
// its first: it is long).
func checkComposer(t *testing.T, ctx context.Context, what string) composerView {
	t.Helper()
	v := browsertest.Run(t, ctx, chromedp.Evaluate[composerView](readComposer))
	if v.ReplyTop < 0 || v.ReplyBottom > v.Inner || v.SendBottom > v.Inner || v.ScrollY != 0 {
		t.Errorf("%s: the reply box is at %.0f–%.0f (send %.0f) of a %.0f px window scrolled %.0f; want it in view unscrolled",
			what, v.ReplyTop, v.ReplyBottom, v.SendBottom, v.Inner, v.ScrollY)
	}
	if v.PageScrolls {
		t.Errorf("%s: the page itself scrolls; only the history should", what)
	}
	if !v.LastVisible || v.FirstVisible {
		t.Errorf("%s: latest message visible %v, first %v; want the history at its end", what, v.LastVisible, v.FirstVisible)
	}
	return v
}

// longChat is a chat of unit A owned by lan with 100 more messages.
func longChat(t *testing.T, rg *rig) chat {
	t.Helper()
	ctx := t.Context()
	c := rg.seed(unitA, "telegram", "Cho tôi hỏi về đăng ký khai sinh")
	for i := 1; i <= 50; i++ {
		if _, _, err := rg.st.AppendInbound(ctx, c.ID, botMessage(fmt.Sprintf("Câu hỏi thêm số %d của công dân", i)), ""); err != nil {
			t.Fatal(err)
		}
		if err := rg.desk.Reply(ctx, rg.users["lan"], c.ID, fmt.Sprintf("Trả lời số %d: anh mang CCCD và giấy chứng sinh nhé.", i)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// The reply box stays in view under a 100-message history on a phone and
// on a desktop, the history opening at its latest message; a message that
// arrives live is shown; a phone switches to the details and back.
func TestComposerStaysInView(t *testing.T) {
	rg := newRig(t)
	ctx := t.Context()
	c := longChat(t, rg)
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)
	b := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, b, browsertest.EmulatePhone())
	browsertest.LogIn(t, b, srv.URL+"/console/c/"+c.ID, "lan", password)
	browsertest.Do(t, b, chromedp.WaitVisible(chromedp.ID("reply")))
	console := browsertest.WatchConsole(b)
	browsertest.Do(t, b, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("reply")))
	checkComposer(t, b, "phone")
	browsertest.CheckPageLayout(t, b, "conversation 360")
	shoot(t, b, "console-composer-360.png")

	// Scrolled back to the start, the reply box is still there.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`document.getElementById('history').scrollTop = 0`))
	if v := browsertest.Run(t, b, chromedp.Evaluate[composerView](readComposer)); !v.FirstVisible || v.ReplyBottom > v.Inner {
		t.Errorf("scrolled to the start: first message visible %v, reply box bottom %.0f of %.0f", v.FirstVisible, v.ReplyBottom, v.Inner)
	}
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(h => h.scrollTop = h.scrollHeight)(document.getElementById('history'))`))

	// A citizen's message arrives while the clerk reads the end: it shows.
	if _, _, err := rg.st.AppendInbound(ctx, c.ID, botMessage("Dạ em cảm ơn, mai em lên phường ạ"), ""); err != nil {
		t.Fatal(err)
	}
	rg.desk.Inbound(ctx, c.ID, 0)
	browsertest.Run(t, b, chromedp.Poll[bool](`document.getElementById('timeline').textContent.includes('mai em lên phường')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	browsertest.Run(t, b, chromedp.Poll[bool](`(() => { const h = document.getElementById('history'), l = [...document.querySelectorAll('#timeline > li')].pop();
		return l.getBoundingClientRect().bottom <= h.getBoundingClientRect().bottom + 1; })()`, chromedp.WithPollingTimeout(5*time.Second)))

	// The details and actions, then back to the chat.
	browsertest.Do(t, b, chromedp.Click(chromedp.ID("pane-toggle")))
	if v := browsertest.Run(t, b, chromedp.Evaluate[composerView](`(() => ({sideShown: document.getElementById('side').getClientRects().length > 0,
		threadShown: document.getElementById('history').getClientRects().length > 0}))()`)); !v.SideShown || v.ThreadShown {
		t.Errorf("after the toggle: details shown %v, chat shown %v", v.SideShown, v.ThreadShown)
	}
	if txt := browsertest.Run(t, b, chromedp.Text(chromedp.ID("side"))); !strings.Contains(txt, "Tóm tắt") || !strings.Contains(txt, "Kết thúc với kết quả") {
		t.Errorf("the details pane lacks the summary or the close form:\n%s", txt)
	}
	browsertest.CheckPageLayout(t, b, "details 360")
	shoot(t, b, "console-details-360.png")
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(s => s.scrollTop = s.scrollHeight)(document.getElementById('side'))`))
	shoot(t, b, "console-details-actions-360.png")
	browsertest.Do(t, b, chromedp.Click(chromedp.ID("pane-toggle")))
	checkComposer(t, b, "phone, back from the details")

	// A desktop shows the details beside the chat.
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("reply")))
	if v := checkComposer(t, b, "desktop"); !v.SideShown {
		t.Error("desktop: the details are not beside the chat")
	}
	shoot(t, b, "console-composer-1280.png")

	// A phone on its side is too short to split: the page scrolls, opens
	// at the end, and the reply box sticks to the bottom.
	browsertest.Do(t, b, chromedp.EmulateViewport(740, 360, chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("reply")))
	land := browsertest.Run(t, b, chromedp.Evaluate[composerView](`(() => {
		const r = document.getElementById('reply').getBoundingClientRect(), l = [...document.querySelectorAll('#timeline > li')].pop().getBoundingClientRect();
		return {replyTop: r.top, replyBottom: r.bottom, inner: window.innerHeight, lastVisible: l.bottom > 0 && l.top < r.top};
	})()`))
	if land.ReplyTop < 0 || land.ReplyBottom > land.Inner || !land.LastVisible {
		t.Errorf("landscape phone: reply box at %.0f–%.0f of %.0f, latest message visible %v", land.ReplyTop, land.ReplyBottom, land.Inner, land.LastVisible)
	}
	shoot(t, b, "console-composer-740x360.png")
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	if v := browsertest.Run(t, b, chromedp.Evaluate[composerView](readComposer)); v.ReplyBottom > v.Inner || v.ReplyTop < 0 {
		t.Errorf("landscape phone scrolled to the top: reply box at %.0f–%.0f of %.0f, want it stuck to the bottom", v.ReplyTop, v.ReplyBottom, v.Inner)
	}
	for _, m := range console.Errors() {
		t.Errorf("browser console: %s", m)
	}
}

// pickerState is what a test reads back from a picker: what is on the
// screen, not what the script meant.
type pickerState struct {
	Shown       []string `json:"shown"`
	SelectShown bool     `json:"selectShown"` // the select it replaces
	Expanded    string   `json:"expanded"`
	Active      string   `json:"active"`
	Value       string   `json:"value"` // the select's
	Input       string   `json:"input"`
	None        bool     `json:"none"`
}

func readPicker(t *testing.T, ctx context.Context, id string) pickerState {
	t.Helper()
	return browsertest.Run(t, ctx, chromedp.Evaluate[pickerState](`(() => {
  const q = document.getElementById('`+id+`-q'), list = document.getElementById('`+id+`-list');
  const act = q.getAttribute('aria-activedescendant');
  const seen = el => el.getClientRects().length > 0;
  return {shown: [...list.querySelectorAll('[role=option]')].filter(seen).map(o => o.querySelector('.picker-title').textContent),
    selectShown: seen(document.getElementById('`+id+`')),
    expanded: q.getAttribute('aria-expanded'), active: act ? document.getElementById(act).querySelector('.picker-title').textContent : '',
    value: document.getElementById('`+id+`').value, input: q.value,
    none: seen(q.parentNode.querySelector('.picker-none'))};
})()`))
}

// The transfer target is picked by typing, without diacritics, among the
// 168 units and the city queue, by keyboard or by a tap; the citizen is
// told of the transfer.
func TestTransferPickerInChromium(t *testing.T) {
	rg := newRig(t, withAllUnits)
	ctx := t.Context()
	c := rg.seed(unitA, "zalo-oa", "Tôi ở Tân Định, hỏi khai sinh")
	b, console, base := rg.phone(t, c.ID)
	browsertest.Do(t, b,
		chromedp.WaitVisible(chromedp.ID("pane-toggle")),
		chromedp.Tap(chromedp.ID("pane-toggle")),
		chromedp.Tap(chromedp.Search(`//summary[normalize-space(.)="Chuyển đơn vị khác"]`)),
		chromedp.WaitVisible(chromedp.ID("transfer-to-q")),
		chromedp.Tap(chromedp.ID("transfer-to-q")),
	)
	if p := readPicker(t, b, "transfer-to"); len(p.Shown) != 168 || p.Expanded != "true" || slices.Contains(p.Shown, "Phường Sài Gòn") || p.SelectShown {
		t.Errorf("on focus the list shows %d targets (expanded %s, the select shown %v), want 168 without the chat's own unit", len(p.Shown), p.Expanded, p.SelectShown)
	}
	browsertest.Do(t, b, chromedp.SendKeys(chromedp.ID("transfer-to-q"), "tan dinh"))
	p := readPicker(t, b, "transfer-to")
	if len(p.Shown) != 1 || p.Shown[0] != "Phường Tân Định" || p.Active != "Phường Tân Định" {
		t.Errorf(`"tan dinh" shows %q (active %q), want Phường Tân Định alone`, p.Shown, p.Active)
	}
	browsertest.CheckPageLayout(t, b, "transfer picker 360")
	shoot(t, b, "console-transfer-picker-360.png")
	browsertest.Do(t, b, chromedp.KeyEvent(kb.Enter))
	if p := readPicker(t, b, "transfer-to"); p.Value != "26737" || p.Input != "Phường Tân Định" || p.Expanded != "false" {
		t.Errorf("after Enter: value %q, box %q, expanded %s", p.Value, p.Input, p.Expanded)
	}

	// Nothing matches: it says so and the form does not send a stale choice.
	browsertest.Do(t, b, chromedp.SendKeys(chromedp.ID("transfer-to-q"), " zzz"))
	if p := readPicker(t, b, "transfer-to"); !p.None || len(p.Shown) != 0 || p.Value != "" {
		t.Errorf("no match: none shown %v, list %q, value %q", p.None, p.Shown, p.Value)
	}

	// Arrows then Enter, and the city queue by its name without diacritics.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(q => { q.value = ''; q.dispatchEvent(new Event('input')); })(document.getElementById('transfer-to-q'))`),
		chromedp.SendKeys(chromedp.ID("transfer-to-q"), "cap thanh pho"))
	if p := readPicker(t, b, "transfer-to"); len(p.Shown) != 1 || p.Shown[0] != "Cấp Thành phố" {
		t.Errorf(`"cap thanh pho" shows %q`, p.Shown)
	}
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(q => { q.value = ''; q.dispatchEvent(new Event('input')); })(document.getElementById('transfer-to-q'))`),
		chromedp.SendKeys(chromedp.ID("transfer-to-q"), "phuong ben"),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowDown))
	p = readPicker(t, b, "transfer-to")
	if len(p.Shown) < 2 || p.Active != p.Shown[1] {
		t.Errorf(`"phuong ben" then ↓↑↓: active %q of %q, want the second`, p.Active, p.Shown)
	}

	// A tap picks Bến Thành.
	browsertest.Do(t, b, chromedp.Tap(chromedp.Search(`//li[@role="option"][not(@hidden)][.//span[normalize-space(.)="Phường Bến Thành"]]`)))
	if p := readPicker(t, b, "transfer-to"); p.Value != unitB || p.Input != "Phường Bến Thành" {
		t.Errorf("after a tap: value %q, box %q", p.Value, p.Input)
	}
	browsertest.Do(t, b,
		chromedp.SendKeys(chromedp.ID("transfer-reason"), "Công dân ở phường Bến Thành"),
		chromedp.Tap(chromedp.Search(`//button[normalize-space(.)="Chuyển"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
	)
	if h, err := rg.st.ActiveHandoff(ctx, c.ID); err != nil || h.UnitCode != unitB || h.Status != store.HandoffOpen {
		t.Errorf("after the transfer: %+v %v, want queued at %s", h, err, unitB)
	}
	if sent := rg.courier.all(); len(sent) != 1 || !strings.Contains(sent[0].Answer.Text, "chuyển đến cán bộ Phường Bến Thành") {
		t.Errorf("the citizen was not told: %+v", sent)
	}

	// On a desktop the picker lists under its box too.
	c2 := rg.seed(unitA, "web", "Câu hỏi khác")
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/console/c/"+c2.ID),
		chromedp.WaitVisible(chromedp.ID("reply")),
		chromedp.Click(chromedp.Search(`//summary[normalize-space(.)="Chuyển đơn vị khác"]`)),
		chromedp.Click(chromedp.ID("transfer-to-q")),
		chromedp.SendKeys(chromedp.ID("transfer-to-q"), "binh"))
	if p := readPicker(t, b, "transfer-to"); len(p.Shown) < 3 {
		t.Errorf(`"binh" shows %q, want the Bình units`, p.Shown)
	}
	shoot(t, b, "console-transfer-picker-1280.png")
	for _, m := range console.Errors() {
		t.Errorf("browser console: %s", m)
	}
}

// A canned reply goes in at the cursor, keeping what the clerk typed, by
// keyboard (search without diacritics, Enter) or by a tap.
func TestCannedInsertsAtCursorInChromium(t *testing.T) {
	rg := newRig(t)
	ctx := t.Context()
	c := rg.seed(unitA, "telegram", "Phường làm việc giờ nào?")
	for _, cr := range [][2]string{{"Giờ tiếp dân", "Phường tiếp dân từ 7 giờ 30 đến 17 giờ."}, {"Giấy tờ khai sinh", "Mang giấy chứng sinh và CCCD của cha mẹ."}} {
		if err := rg.desk.AddCanned(ctx, rg.users["binh"], unitA, cr[0], cr[1]); err != nil {
			t.Fatal(err)
		}
	}
	b, console, _ := rg.phone(t, c.ID)
	typed := "Chào anh, Anh cần gì thêm cứ nhắn."
	browsertest.Do(t, b, chromedp.WaitVisible(chromedp.ID("reply")),
		chromedp.Click(chromedp.ID("reply")),
		chromedp.SendKeys(chromedp.ID("reply"), typed))
	// The cursor goes back to just after "Chào anh," with the arrow keys.
	for range len([]rune(" Anh cần gì thêm cứ nhắn.")) {
		browsertest.Do(t, b, chromedp.KeyEvent(kb.ArrowLeft))
	}
	browsertest.Run(t, b, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('reply').selectionStart === %d`,
		len([]rune("Chào anh,"))), chromedp.WithPollingTimeout(5*time.Second)))
	browsertest.Do(t, b, chromedp.Click(chromedp.ID("canned-q")), chromedp.SendKeys(chromedp.ID("canned-q"), "gio tiep"))
	if p := readPicker(t, b, "canned"); len(p.Shown) != 1 || p.Shown[0] != "Giờ tiếp dân" {
		t.Errorf(`"gio tiep" shows %q`, p.Shown)
	}
	shoot(t, b, "console-canned-picker-360.png")
	browsertest.Do(t, b, chromedp.KeyEvent(kb.Enter))
	want := "Chào anh, Phường tiếp dân từ 7 giờ 30 đến 17 giờ. Anh cần gì thêm cứ nhắn."
	type box struct {
		Value  string `json:"value"`
		Caret  int    `json:"caret"`
		Active string `json:"active"`
	}
	read := `(() => { const r = document.getElementById('reply'); return {value: r.value, caret: r.selectionStart, active: document.activeElement.id}; })()`
	got := browsertest.Run(t, b, chromedp.Evaluate[box](read))
	if got.Value != want || got.Active != "reply" || got.Caret != len([]rune("Chào anh, Phường tiếp dân từ 7 giờ 30 đến 17 giờ.")) {
		t.Errorf("after the canned reply: %q (caret %d, focus %q), want %q with the caret after the insert", got.Value, got.Caret, got.Active, want)
	}

	// At the end, by a tap.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(r => r.setSelectionRange(r.value.length, r.value.length))(document.getElementById('reply'))`),
		chromedp.Tap(chromedp.ID("canned-q")),
		chromedp.Tap(chromedp.Search(`//li[@role="option"][.//span[normalize-space(.)="Giấy tờ khai sinh"]]`)))
	if got := browsertest.Run(t, b, chromedp.Evaluate[box](read)); got.Value != want+" Mang giấy chứng sinh và CCCD của cha mẹ." {
		t.Errorf("after a tap at the end: %q", got.Value)
	}
	browsertest.Do(t, b, chromedp.Tap(chromedp.Search(`//button[normalize-space(.)="Gửi trả lời"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if sent := rg.courier.all(); len(sent) != 1 || !strings.Contains(sent[0].Answer.Text, want) {
		t.Errorf("sent %+v, want the reply with the canned text inside", sent)
	}
	for _, m := range console.Errors() {
		t.Errorf("browser console: %s", m)
	}
}

// A close the page offers only after a reply ("Đã giải đáp", greyed out
// before) is refused by the server too, e.g. from a page left open: the
// details pane opens again on the reason; "Không cần trả lời" closes.
func TestCloseRefusedWithoutReplyInChromium(t *testing.T) {
	rg := newRig(t)
	c := rg.seed(unitA, "telegram", "Tôi hỏi nhầm, xin lỗi")
	b, console, _ := rg.phone(t, c.ID)
	browsertest.Do(t, b, chromedp.WaitVisible(chromedp.ID("pane-toggle")), chromedp.Tap(chromedp.ID("pane-toggle")))
	if disabled := browsertest.Run(t, b, chromedp.Evaluate[bool](`document.querySelector('#outcome option[value=resolved]').disabled`)); !disabled {
		t.Error("“Đã giải đáp” is offered before any reply")
	}
	// The page a reply (in another tab) would have enabled it on.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`(s => { s.querySelector('option[value=resolved]').disabled = false; s.value = 'resolved'; })(document.getElementById('outcome'))`),
		chromedp.Tap(chromedp.Search(`//button[normalize-space(.)="Kết thúc"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-error")))
	flash := browsertest.Run(t, b, chromedp.Text(chromedp.CSS(".flash-error")))
	if !strings.Contains(flash, "Chưa có cán bộ nào trả lời công dân") || !strings.Contains(flash, "“Không cần trả lời”") {
		t.Errorf("flash = %q", flash)
	}
	if v := browsertest.Run(t, b, chromedp.Evaluate[composerView](readComposer)); !v.SideShown || v.ThreadShown {
		t.Errorf("after the refusal: details shown %v, chat %v; want the details (the close form)", v.SideShown, v.ThreadShown)
	}
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`(r => r.top >= 0 && r.bottom <= window.innerHeight)(document.querySelector('form.close-form').getBoundingClientRect())`)) {
		t.Error("after the refusal the close form is out of view")
	}
	browsertest.CheckPageLayout(t, b, "close refused 360")
	shoot(t, b, "console-close-refused-360.png")
	browsertest.Do(t, b, chromedp.SetValue(chromedp.ID("outcome"), "not_needed"),
		chromedp.Tap(chromedp.Search(`//button[normalize-space(.)="Kết thúc"]`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if ok := browsertest.Run(t, b, chromedp.Text(chromedp.CSS(".flash-ok"))); !strings.Contains(ok, "công dân không được mời chấm điểm") {
		t.Errorf("after a quiet close: %q", ok)
	}
	if h, err := rg.st.LastHandoff(t.Context(), c.ID); err != nil || h.Status != store.HandoffClosed || h.Outcome != "not_needed" {
		t.Errorf("handoff = %+v %v", h, err)
	}
	shoot(t, b, "console-closed-360.png")
	for _, m := range console.Errors() {
		if !strings.Contains(m, "status of 422") { // the refused close's page
			t.Errorf("browser console: %s", m)
		}
	}
}

// phone opens a conversation's page as clerk lan on a phone-sized tab,
// watches its console for errors, and gives the server's base URL.
func (rg *rig) phone(t *testing.T, conversationID string) (context.Context, *browsertest.Console, string) {
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)
	b := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, b, browsertest.EmulatePhone())
	browsertest.LogIn(t, b, srv.URL+"/console/c/"+conversationID, "lan", password)
	return b, browsertest.WatchConsole(b), srv.URL
}
