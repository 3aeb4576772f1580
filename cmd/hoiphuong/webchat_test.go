package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// TestWebChatFullStack is a citizen on a 360×740 phone using the web chat
// against the real engine, SQLite and Meilisearch: an old split ward typed
// without diacritics, a tapped quick reply, then a procedure.
func TestWebChatFullStack(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	ctx := browsertest.New(t, 60*time.Second)
	dialogs := browsertest.WatchDialogs(ctx)
	console := browsertest.WatchConsole(ctx)

	browsertest.Do(t, ctx,
		browsertest.EmulatePhone(),
		chromedp.Navigate(g.url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
	)
	send := func(text string) {
		t.Helper()
		browsertest.Do(t, ctx, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Tap(chromedp.ID("send")))
	}

	// An old split ward, typed the way people type on a phone.
	send("phuong da kao quan 1")
	st := browsertest.WaitBotTurns(t, ctx, 2)
	for _, w := range []string{"Phường Sài Gòn", "Phường Tân Định", "Phường Đa Kao"} {
		if !strings.Contains(st.LastBot, w) {
			t.Errorf("split-ward bubble lacks %q: %q", w, st.LastBot)
		}
	}
	if len(st.Units) != 0 {
		t.Errorf("candidates repeated in a separate list: %q", st.Units)
	}
	if !slices.Contains(st.Replies, "Phường Sài Gòn") || !slices.Contains(st.Replies, "📍 Gửi vị trí") {
		t.Errorf("quick replies = %q, want the candidates and the pin", st.Replies)
	}
	checkSources(t, st)
	browsertest.Screenshot(t, ctx, "hp-fullstack-360-split.png")

	// Tap the candidate: the label is the citizen's bubble.
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.Search(`//button[contains(concat(" ", @class, " "), " reply ") and normalize-space(.)="Phường Sài Gòn"]`)))
	st = browsertest.WaitBotTurns(t, ctx, 3)
	if st.LastMine != "Phường Sài Gòn" || !strings.HasPrefix(st.LastBot, "Phường Sài Gòn là đơn vị hành chính mới") {
		t.Errorf("after the quick reply: mine %q, bot %q", st.LastMine, st.LastBot)
	}
	checkSources(t, st)
	// The unit's desk from the seed, with buttons to call it and to open
	// its map; the map link's line and the sources are not in the bubble.
	if !strings.Contains(st.LastBot, "Trung tâm Phục vụ hành chính công: 45 - 47 Lê Duẩn, phường Sài Gòn — ĐT: 028.38234223.") ||
		strings.Contains(st.LastBot, "google.com") || strings.Contains(st.LastBot, "Nguồn") {
		t.Errorf("unit bubble: %q", st.LastBot)
	}
	if st.Phone != "tel:02838234223" || st.Map != "https://www.google.com/maps/search/?api=1&query=45+-+47+Le+Duan,+phuong+Sai+Gon,+TP.HCM" {
		t.Errorf("office buttons: call %q, map %q", st.Phone, st.Map)
	}
	if st.SourcesOpen || !st.Folded || !strings.Contains(st.SourcesLine, "Địa chỉ: TB 243/TB-UBND, Truso.json (cập nhật 28/03/2026)") ||
		!slices.Contains(st.Sources, "Địa chỉ: TB 243/TB-UBND, Truso.json") || !strings.Contains(st.Details, "Giờ làm việc: giờ hành chính T2–T6") {
		t.Errorf("details: open %v, folded %v, line %q, sources %q, rest %q", st.SourcesOpen, st.Folded, st.SourcesLine, st.Sources, st.Details)
	}
	browsertest.Do(t, ctx, chromedp.Tap(chromedp.Search(`(//details[contains(@class, "more")])[last()]/summary`)))
	if st = browsertest.ReadChat(t, ctx); !st.SourcesOpen {
		t.Error("tapping Xem chi tiết does not open the details and sources")
	}
	browsertest.Screenshot(t, ctx, "hp-fullstack-360-unit-sources.png")

	// A procedure: answered for the chosen unit.
	send("đăng ký khai sinh")
	st = browsertest.WaitBotTurns(t, ctx, 4)
	for _, w := range []string{"Đăng ký khai sinh", "UBND Phường Sài Gòn"} {
		if !strings.Contains(st.LastBot, w) {
			t.Errorf("procedure bubble lacks %q: %q", w, st.LastBot)
		}
	}
	if len(st.Sources) < 2 || !strings.Contains(strings.Join(st.Sources, "\n"), "Luật Hộ tịch 2014") {
		t.Errorf("procedure sources = %q, want the procedure's and the resolution's", st.Sources)
	}
	checkSources(t, st)
	if st.Input != "" || st.MineFailed || st.Degraded || st.Injected != 0 {
		t.Errorf("page state after the answer: %+v", st)
	}

	// What a thumb on a phone trips on, with real (long) answers.
	layout := browsertest.ReadLayout(t, ctx)
	if layout.ScrollWidth > layout.InnerWidth {
		t.Errorf("the page scrolls sideways: %d > %d", layout.ScrollWidth, layout.InnerWidth)
	}
	if !layout.ComposerVisible {
		t.Error("the input is not fully on screen after a long answer")
	}
	if len(layout.SmallTargets) > 0 {
		t.Errorf("tap targets under 44 px: %v", layout.SmallTargets)
	}
	browsertest.Screenshot(t, ctx, "hp-fullstack-360.png")
	// The page scrolls to the end of the list; the start of a long answer
	// (where the office is named) is above the fold.
	fold := browsertest.Run(t, ctx, chromedp.Evaluate[[]float64](`(() => {
	  const turns = document.querySelectorAll('#messages .turn.bot');
	  const last = turns[turns.length - 1].getBoundingClientRect();
	  const list = document.getElementById('messages').getBoundingClientRect();
	  return [last.top, last.height, list.top, list.height];
	})()`))
	t.Logf("last answer: top %.0f px, %.0f px tall; message list: top %.0f px, %.0f px tall", fold[0], fold[1], fold[2], fold[3])
	if fold[1] > fold[3] && (fold[0] < fold[2]-1 || fold[0] > fold[2]+fold[3]/2) {
		t.Errorf("a long answer must open at its start: its top is at %.0f px, the list spans %.0f–%.0f px", fold[0], fold[2], fold[2]+fold[3])
	}
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
	  const turns = document.querySelectorAll('#messages .turn.bot');
	  turns[turns.length - 1].scrollIntoView({block: 'start'});
	})()`))
	browsertest.Screenshot(t, ctx, "hp-fullstack-360-answer-top.png")

	// The page's three turns are the conversation stored by the gateway.
	if n := countMessages(t, g.dbPath); n != 6 {
		t.Errorf("%d messages stored, want 6", n)
	}
	if n := dialogs.Count(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened", n)
	}
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("browser console: %q", errs)
	}
}

// checkSources wants the last bot turn's sources once: one line under the
// answer (folded), each source named once, the as-of date at its end, and
// none of it in the bubble or the folded text.
func checkSources(t *testing.T, st browsertest.ChatState) {
	t.Helper()
	if st.SourceLines != 1 || len(st.Sources) == 0 || !strings.HasPrefix(st.SourcesLine, "Nguồn: ") ||
		!strings.Contains(st.SourcesLine, "Dữ liệu cập nhật đến ") {
		t.Errorf("under the answer %q: %d sources lines, sources %q, line %q", st.LastBot, st.SourceLines, st.Sources, st.SourcesLine)
	}
	for _, s := range st.Sources {
		if n := strings.Count(st.SourcesLine, s); n != 1 {
			t.Errorf("source %q named %d times in %q", s, n, st.SourcesLine)
		}
	}
	for _, part := range []string{st.LastBot, st.Details} {
		if strings.Contains(part, "Nguồn:") || strings.Contains(part, "Dữ liệu cập nhật đến") {
			t.Errorf("the sources line is in the text too: %q", part)
		}
	}
}
