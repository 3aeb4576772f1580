package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// TestHandoffEndToEnd is the whole handoff in two real browsers against the
// full gateway: a citizen on a phone asks for staff on the web chat; a
// ward's staff member logs in on a desktop, finds the chat in their unit's
// queue, claims it and replies; the citizen sees the reply live; the staff
// member closes the chat and the citizen is asked for a rating, which they
// give.
func TestHandoffEndToEnd(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	ctx := t.Context()
	if _, err := g.app.staff.Create(ctx, staff.NewUser{Username: "lan", Name: "Trần Thị Lan", Password: "mat-khau-can-bo",
		Role: staff.RoleStaff, Units: []string{"27154"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.app.staff.Create(ctx, staff.NewUser{Username: "hung", Name: "Lê Văn Hùng", Password: "mat-khau-can-bo",
		Role: staff.RoleStaff, Units: []string{"26740"}}); err != nil {
		t.Fatal(err)
	}

	citizen := browsertest.New(t, 90*time.Second)
	citizenErrors := browsertest.WatchConsole(citizen)
	browsertest.Do(t, citizen, browsertest.EmulatePhone(), chromedp.Navigate(g.url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")))
	send := func(text string) {
		t.Helper()
		browsertest.Do(t, citizen, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Tap(chromedp.ID("send")))
	}
	send("p5 q3")
	browsertest.WaitBotTurns(t, citizen, 2)
	send("cho em gap can bo phuong")
	st := browsertest.WaitBotTurns(t, citizen, 3)
	for _, want := range []string{"cán bộ Phường Bàn Cờ", "Mã yêu cầu của bạn: HP-"} {
		if !strings.Contains(st.LastBot, want) {
			t.Errorf("handoff bubble lacks %q: %q", want, st.LastBot)
		}
	}
	ticket := "HP-" + strings.SplitN(strings.SplitN(st.LastBot, "HP-", 2)[1], ".", 2)[0]
	send("em can lam khai sinh cho con")
	browsertest.Do(t, citizen, chromedp.WaitVisible(chromedp.CSS(".status-note.sent")))
	if st = browsertest.ReadChat(t, citizen); st.BotTurns != 3 {
		t.Errorf("the bot answered while the chat waits for staff: %d bot turns", st.BotTurns)
	}

	// Staff of another ward does not see it.
	other := browsertest.New(t, 60*time.Second)
	login(t, other, g.url, "hung")
	if body := browsertest.Run(t, other, chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, ticket) {
		t.Errorf("staff of another ward sees %s in their queue", ticket)
	}

	// Staff of Phường Bàn Cờ: queue → claim → reply.
	desk := browsertest.New(t, 90*time.Second)
	deskErrors := browsertest.WatchConsole(desk)
	browsertest.Do(t, desk, chromedp.EmulateViewport(1280, 800))
	login(t, desk, g.url, "lan")
	queue := browsertest.Run(t, desk, chromedp.Text(chromedp.CSS("#live")))
	if !strings.Contains(queue, ticket) || !strings.Contains(queue, "Phường Bàn Cờ") {
		t.Fatalf("queue page lacks %s of Phường Bàn Cờ:\n%s", ticket, queue)
	}
	browsertest.Screenshot(t, desk, "handoff-queue-1280.png")
	browsertest.Do(t, desk,
		chromedp.Click(chromedp.Search(`//a[.//span[normalize-space(.)="`+ticket+`"]]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.claim button`)),
	)
	history := browsertest.Run(t, desk, chromedp.Text(chromedp.ID("timeline")))
	for _, want := range []string{"em can lam khai sinh cho con", "p5 q3"} {
		if !strings.Contains(history, want) {
			t.Errorf("conversation history lacks %q", want)
		}
	}
	browsertest.Do(t, desk,
		chromedp.Click(chromedp.CSS(`form.claim button`)),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")), // the page after the claim
		chromedp.WaitNotPresent(chromedp.CSS(`form.claim`)),
		chromedp.SendKeys(chromedp.ID("reply"), "Chào bạn, mình là cán bộ phường Bàn Cờ. Bạn mang CCCD và giấy chứng sinh của bé nhé."),
		chromedp.Click(chromedp.Search(`//button[normalize-space(.)="Gửi trả lời"]`)),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(@class, "flash-ok") and contains(., "Đã gửi trả lời")]`)),
	)
	browsertest.Screenshot(t, desk, "handoff-conversation-1280.png")

	// The citizen sees the reply live, named as staff.
	browsertest.Run(t, citizen, chromedp.Poll[bool](`document.querySelectorAll('#messages .turn.staff').length === 1`,
		chromedp.WithPollingTimeout(15*time.Second)))
	staffText := browsertest.Run(t, citizen, chromedp.Text(chromedp.CSS("#messages .turn.staff")))
	if !strings.Contains(staffText, "Trần Thị Lan") || !strings.Contains(staffText, "giấy chứng sinh") {
		t.Errorf("staff reply on the citizen's page = %q", staffText)
	}
	browsertest.Screenshot(t, citizen, "handoff-citizen-reply-360.png")

	// Close: the citizen is asked for a rating and gives five stars.
	browsertest.Do(t, desk,
		chromedp.SetValue(chromedp.ID("outcome"), "resolved"),
		chromedp.Click(chromedp.Search(`//button[normalize-space(.)="Kết thúc"]`)),
		chromedp.WaitNotPresent(chromedp.ID("outcome")),
	)
	browsertest.Run(t, citizen, chromedp.Poll[bool](`[...document.querySelectorAll('#messages .reply')].some(b => b.textContent === '5 ★')`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if st = browsertest.ReadChat(t, citizen); !strings.Contains(st.LastBot, "chấm điểm") {
		t.Errorf("after the close the citizen reads %q, want the rating question", st.LastBot)
	}
	browsertest.Screenshot(t, citizen, "handoff-citizen-rating-360.png")
	browsertest.Do(t, citizen, chromedp.Tap(chromedp.Search(`//button[normalize-space(.)="5 ★"]`)))
	browsertest.Run(t, citizen, chromedp.Poll[bool](`[...document.querySelectorAll('#messages .turn.bot')].pop().textContent.includes('5/5')`,
		chromedp.WithPollingTimeout(10*time.Second)))
	var score int
	if err := g.app.db.QueryRowContext(ctx, `SELECT score FROM csat`).Scan(&score); err != nil || score != 5 {
		t.Errorf("stored rating %d (%v), want 5", score, err)
	}
	for name, c := range map[string]*browsertest.Console{"citizen": citizenErrors, "staff": deskErrors} {
		if errs := c.Errors(); len(errs) > 0 {
			t.Errorf("%s browser console: %q", name, errs)
		}
	}
}

// login signs a staff member in through the login page.
func login(t *testing.T, ctx context.Context, base, username string) {
	t.Helper()
	browsertest.LogIn(t, ctx, base+"/console", username, "mat-khau-can-bo")
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("live")))
}
