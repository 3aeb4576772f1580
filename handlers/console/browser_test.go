package console_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// TestConsoleInChromium logs a supervisor in, looks at the queue and a
// conversation at 360×740 and 1280×800 (screenshots, also under
// $SCREENSHOT_DIR), and sees a new chat arrive live over SSE.
func TestConsoleInChromium(t *testing.T) {
	rg := newRig(t)
	ctx := t.Context()
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)

	// A morning's queue of unit A: one owned by the supervisor, one overdue,
	// one on Zalo, and a chat of unit B that must not show.
	mine := rg.seed(unitA, "zalo-oa", "Cho tôi hỏi đăng ký khai sinh cho con ở đâu, nhà tôi ở 12 Lê Lợi")
	if err := rg.desk.Claim(ctx, rg.users["binh"], mine.ID); err != nil {
		t.Fatal(err)
	}
	if err := rg.desk.Reply(ctx, rg.users["binh"], mine.ID, "Chào chị, chị mang giấy chứng sinh và CCCD đến UBND phường Sài Gòn nhé."); err != nil {
		t.Fatal(err)
	}
	if err := rg.desk.Note(ctx, rg.users["binh"], mine.ID, "Công dân hỏi lại lần 2, ưu tiên."); err != nil {
		t.Fatal(err)
	}
	if err := rg.desk.AddCanned(ctx, rg.users["binh"], unitA, "Giờ tiếp dân", "Phường tiếp dân từ 7 giờ 30 đến 17 giờ, thứ Hai đến thứ Sáu."); err != nil {
		t.Fatal(err)
	}
	late := rg.seed(unitA, "telegram", "Tôi muốn phản ánh việc chậm trả hồ sơ")
	rg.clock.Advance(12 * time.Minute)
	rg.seed(unitA, "web", "Xin hỏi thủ tục chứng thực bản sao")
	other := rg.seed(unitB, "telegram", "Hỏi về phường Bến Thành")

	b := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, b, browsertest.EmulatePhone())
	browsertest.LogIn(t, b, srv.URL+"/console", "binh", password)
	browsertest.Do(t, b, chromedp.WaitVisible(chromedp.CSS("#live .items")))
	// Console errors from here on (the login page is auth's, and asks for a
	// favicon this test server does not have).
	console := browsertest.WatchConsole(b)
	browsertest.Do(t, b, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#live .items")))
	body := browsertest.Run(t, b, chromedp.Text(chromedp.CSS("body")))
	for _, want := range []string{"Của tôi", mine.Ticket, late.Ticket, "Quá hạn phản hồi", "Đang xử lý bởi Trần Văn Bình", "Đang chờ"} {
		if !strings.Contains(body, want) {
			t.Errorf("queue page lacks %q", want)
		}
	}
	if strings.Contains(body, other.Ticket) {
		t.Errorf("a supervisor of A sees B's chat %s", other.Ticket)
	}
	browsertest.CheckPageLayout(t, b, "queue 360")
	shoot(t, b, "console-queue-360.png")

	// A new chat arrives: the list updates without a reload, the title counts it.
	fresh := rg.seed(unitA, "telegram", "Một câu hỏi mới vừa đến")
	browsertest.Run(t, b, chromedp.Poll[bool](`document.getElementById('live').textContent.includes('`+fresh.Ticket+`')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if title := browsertest.Run(t, b, chromedp.Title()); !strings.HasPrefix(title, "(3) ") {
		t.Errorf("title = %q, want the badge (3)", title)
	}
	// An event that changes nothing in the queue leaves its nodes alone.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`document.querySelector('#live .live-root').hpKept = true`))
	rg.desk.Inbound(ctx, mine.ID, 0)
	time.Sleep(time.Second) // the refresh waits 250 ms, then fetches
	if kept := browsertest.Run(t, b, chromedp.Evaluate[bool](`document.querySelector('#live .live-root').hpKept === true`)); !kept {
		t.Error("a refresh that changed nothing replaced the queue")
	}

	// The conversation on a phone.
	browsertest.Do(t, b,
		chromedp.Navigate(srv.URL+"/console/c/"+mine.ID),
		chromedp.WaitVisible(chromedp.ID("reply")),
	)
	body = browsertest.Run(t, b, chromedp.Text(chromedp.CSS("body")))
	for _, want := range []string{"Zalo OA", "Đăng ký khai sinh", "12 Lê Lợi", "Cán bộ Trần Văn Bình", "Ghi chú nội bộ", "Trợ lý Hỏi Phường"} {
		if !strings.Contains(body, want) {
			t.Errorf("conversation page lacks %q", want)
		}
	}
	browsertest.CheckPageLayout(t, b, "conversation 360")
	shoot(t, b, "console-conversation-360.png")
	// The details are a tap away on a phone.
	browsertest.Do(t, b, chromedp.Tap(chromedp.ID("pane-toggle")))
	side := browsertest.Run(t, b, chromedp.Text(chromedp.ID("side")))
	for _, want := range []string{"Còn mở đến", "Zalo OA", "Đăng ký khai sinh", "Phường Bến Nghé, Quận 1", "Tóm tắt", "Giao cho cán bộ khác"} {
		if !strings.Contains(side, want) {
			t.Errorf("the details pane lacks %q", want)
		}
	}
	browsertest.CheckPageLayout(t, b, "conversation details 360")
	shootFull(t, b, "console-conversation-details-360-full.png")
	browsertest.Do(t, b, chromedp.Tap(chromedp.ID("pane-toggle")))
	browsertest.Do(t, b, chromedp.Tap(chromedp.ID("canned-q")),
		chromedp.Tap(chromedp.Search(`//li[@role="option"][.//span[normalize-space(.)="Giờ tiếp dân"]]`)))
	if v := browsertest.Run(t, b, chromedp.Value(chromedp.ID("reply"))); !strings.HasPrefix(v, "Phường tiếp dân") {
		t.Errorf("the canned picker did not fill the reply: %q", v)
	}

	// A citizen's message arrives live in the history.
	if _, _, err := rg.st.AppendInbound(ctx, mine.ID, botMessage("Dạ em cảm ơn, mai em lên ạ"), ""); err != nil {
		t.Fatal(err)
	}
	rg.desk.Inbound(ctx, mine.ID, 0)
	browsertest.Run(t, b, chromedp.Poll[bool](`document.getElementById('timeline').textContent.includes('mai em lên')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	// An event that changes nothing leaves the parts' nodes in place (a
	// swap would move them under the clerk's finger); the next change
	// still lands, and only in the part it changed.
	browsertest.Do(t, b, chromedp.Evaluate[chromedp.Void](`document.getElementById('timeline').hpKept = true; document.getElementById('info').hpKept = true`))
	rg.desk.Inbound(ctx, mine.ID, 0)
	time.Sleep(time.Second) // the refresh waits 250 ms, then fetches
	if kept := browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById('timeline').hpKept === true && document.getElementById('info').hpKept === true`)); !kept {
		t.Error("a refresh that changed nothing replaced the live parts")
	}
	if _, _, err := rg.st.AppendInbound(ctx, mine.ID, botMessage("Cho em hỏi thêm giờ làm việc"), ""); err != nil {
		t.Fatal(err)
	}
	rg.desk.Inbound(ctx, mine.ID, 0)
	browsertest.Run(t, b, chromedp.Poll[bool](`document.getElementById('timeline').textContent.includes('giờ làm việc')`,
		chromedp.WithPollingTimeout(10*time.Second)))

	// The supervisor's other pages on a phone.
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/console/canned"), chromedp.WaitVisible(chromedp.CSS(".canned-list")))
	browsertest.CheckPageLayout(t, b, "canned 360")
	shoot(t, b, "console-canned-360.png")
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/console/units/"+unitA+"/settings"), chromedp.WaitVisible(chromedp.ID("sla")))
	browsertest.CheckPageLayout(t, b, "settings 360")
	shoot(t, b, "console-settings-360.png")

	// Desktop.
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(srv.URL+"/console"),
		chromedp.WaitVisible(chromedp.CSS("#live .items")))
	browsertest.CheckPageLayout(t, b, "queue 1280")
	shoot(t, b, "console-queue-1280.png")
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/console/c/"+mine.ID), chromedp.WaitVisible(chromedp.ID("reply")))
	shoot(t, b, "console-conversation-1280.png")
	shootFull(t, b, "console-conversation-1280-full.png")

	// Claim the overdue chat through the page.
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/console/c/"+late.ID), chromedp.WaitVisible(chromedp.CSS(".claim button")),
		chromedp.Click(chromedp.CSS(".claim button")), chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	if h, _ := rg.st.ActiveHandoff(ctx, late.ID); h.AssigneeID != rg.users["binh"].ID {
		t.Errorf("claim from the page: owner %d", h.AssigneeID)
	}

	for _, m := range console.Errors() {
		t.Errorf("browser console: %s", m)
	}
}

func shoot(t *testing.T, ctx context.Context, name string) { browsertest.Screenshot(t, ctx, name) }

// shootFull saves the whole page (for looking at long conversations).
func shootFull(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png := browsertest.Run(t, ctx, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A city admin adds Tết on the holidays page at phone size.
func TestHolidaysPageInChromium(t *testing.T) {
	rg := newRig(t)
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)
	b := browsertest.New(t, 60*time.Second)
	browsertest.Do(t, b, browsertest.EmulatePhone())
	browsertest.LogIn(t, b, srv.URL+"/console/holidays", "admin", password)
	browsertest.Do(t, b,
		chromedp.WaitVisible(chromedp.ID("holiday-name")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('holiday-day').value = '2027-02-06'`),
		chromedp.SendKeys(chromedp.ID("holiday-name"), "Tết Nguyên đán"),
		chromedp.Submit(chromedp.ID("holiday-name")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
	)
	if body := browsertest.Run(t, b, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "06/02/2027 — Tết Nguyên đán") {
		t.Errorf("holidays page after adding Tết:\n%s", body)
	}
	browsertest.CheckPageLayout(t, b, "holidays 360")
	shoot(t, b, "console-holidays-360.png")
}
