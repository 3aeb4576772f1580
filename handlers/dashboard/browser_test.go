package dashboard_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
)

// firstRows reads the unit names of a table's first rows.
func firstRows(t *testing.T, ctx context.Context, table string, n int) []string {
	t.Helper()
	return browsertest.Run(t, ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('`+table+` tbody tr:not(.total) th.unit')).slice(0, `+
			strconv.Itoa(n)+`).map(th => th.textContent.trim())`))
}

// TestDashboardInChromium logs a city admin in through the login form and
// reads the dashboard as a leader would on a phone and on a desktop
// (screenshots, also under $SCREENSHOT_DIR): the first screen holds the
// key figures and the units in trouble (and, on a desktop, the map); the
// tables sort when a header is clicked, in place; a tap on the map shows
// the unit's figures; the live part refreshes in place; with scripts off
// the headers still sort, as links.
func TestDashboardInChromium(t *testing.T) {
	r := newRig(t)
	r.history()
	r.seed()
	ctx := browsertest.New(t, 120*time.Second)
	browsertest.Do(t, ctx, browsertest.EmulatePhone())
	browsertest.LogIn(t, ctx, r.srv.URL+dashboard.BasePath+"/", "admin", password)
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.CSS("table tr.total")))
	// Watch from the dashboard on (the login page is auth's, and the test
	// server has no /favicon.ico).
	console := browsertest.WatchConsole(ctx)
	browsertest.Do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("table tr.total")))
	title := browsertest.Run(t, ctx, chromedp.Title())
	if title != "Bảng điều khiển Thành phố — Hỏi Phường" {
		t.Errorf("title %q", title)
	}
	// On a phone the page itself does not scroll sideways: the big table
	// does, inside its card.
	widths := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](
		`[document.documentElement.scrollWidth, document.querySelector('#units .scroll').clientWidth, document.querySelector('#units .scroll').scrollWidth]`))
	if widths[0] > browsertest.Width || widths[2] <= widths[1] {
		t.Errorf("page %d px wide, table box %d px showing %d px", widths[0], widths[1], widths[2])
	}
	// The first screen: the key figures, then the units in trouble begin.
	if top := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`document.querySelector('#worst').getBoundingClientRect().top`)); top > browsertest.Height-60 {
		t.Errorf("the worst units start %.0f px down, below the phone's first screen", top)
	}
	browsertest.Screenshot(t, ctx, "dashboard-360.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#worst")))
	browsertest.Screenshot(t, ctx, "dashboard-360-worst.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#map")))
	browsertest.Screenshot(t, ctx, "dashboard-360-map.png")

	// A tap on a unit of the map shows its figures under the map.
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`window.marker = 1`),
		chromedp.Click(chromedp.CSS(`.map path[data-code="`+r.code(0)+`"]`)),
	)
	info := browsertest.Run(t, ctx, chromedp.Text(chromedp.ID("map-info")))
	if !strings.Contains(info, r.name(0)+": 11 hội thoại, 3 đang chờ, 2 quá hạn SLA, 2 câu chưa trả lời được") {
		t.Errorf("map info after a tap: %q", info)
	}
	browsertest.Screenshot(t, ctx, "dashboard-360-map-tap.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(".trends")))
	browsertest.Screenshot(t, ctx, "dashboard-360-trends.png")

	// The worst units, ranked by the longest wait: one click, no reload.
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#worst th a[href*="worst=wait"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#worst th[aria-sort] a').textContent === 'Chờ lâu nhất'`),
	)
	if got := firstRows(t, ctx, "#worst", 2); len(got) != 2 || got[0] != "Cấp Thành phố" || got[1] != r.name(2) {
		t.Errorf("worst by wait: %q", got)
	}
	// The big table by name, then the other way round.
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#units th a[href*="sort=name"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#units th[aria-sort="ascending"]') !== null`),
	)
	asc := firstRows(t, ctx, "#units", 2)
	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`#units th[aria-sort] a`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#units th[aria-sort="descending"]') !== null`),
	)
	desc := firstRows(t, ctx, "#units", 2)
	if len(asc) != 2 || len(desc) != 2 || asc[0] >= asc[1] || desc[0] <= desc[1] || asc[0] == desc[0] {
		t.Errorf("by name %q, then reversed %q", asc, desc)
	}
	loc := browsertest.Run(t, ctx, chromedp.Location())
	if !strings.Contains(loc, "sort=name") || !strings.Contains(loc, "dir=desc") || !strings.Contains(loc, "worst=wait") {
		t.Errorf("the address does not keep the order: %s", loc)
	}
	if still := browsertest.Run(t, ctx, chromedp.Evaluate[int](`window.marker`)); still != 1 {
		t.Errorf("the page reloaded instead of swapping its live part")
	}

	// A new chat is queued; the page picks it up without a reload, in the
	// order chosen.
	r.queue(now.Add(-time.Minute), r.code(3), "khai-sinh")
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new Event('visibilitychange'))`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.figure .value').textContent === '16'`),
	)
	if still := browsertest.Run(t, ctx, chromedp.Evaluate[int](`window.marker`)); still != 1 {
		t.Errorf("the page reloaded instead of swapping its live part")
	}
	if again := firstRows(t, ctx, "#units", 2); len(again) != 2 || again[0] != desc[0] {
		t.Errorf("after a refresh the table is %q, want it still by name, reversed (%q)", again, desc)
	}

	// The desktop's first screen: key figures, the units in trouble and
	// the map side by side.
	browsertest.Do(t, ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(r.srv.URL+dashboard.BasePath+"/"),
		chromedp.WaitVisible(chromedp.CSS("table tr.total")),
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
	)
	boxes := browsertest.Run(t, ctx, chromedp.Evaluate[[]float64](`['#worst', '#map', '.trends'].flatMap(s => {
		const b = document.querySelector(s).getBoundingClientRect(); return [b.top, b.bottom, b.left]; })`))
	// worst: boxes[0:3], map: [3:6], trends: [6:9] (top, bottom, left);
	// the notice of unstaffed queues (the seed has some) comes first.
	notice := browsertest.Run(t, ctx, chromedp.Evaluate[float64](`(document.querySelector('.staffing') || {getBoundingClientRect: () => ({height: 0})}).getBoundingClientRect().height`))
	if notice > 120 {
		t.Errorf("the staffing notice is %.0f px tall on the desktop", notice)
	}
	if boxes[0]-notice > 450 || boxes[3]-notice > 200 || boxes[4]-notice > 800 || boxes[5] < 640 || boxes[6] < boxes[1] || boxes[6] < boxes[4] {
		t.Errorf("desktop layout (top, bottom, left of worst, map, trends): %v", boxes)
	}
	if w := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 1280 {
		t.Errorf("the desktop page is %d px wide", w)
	}
	browsertest.Screenshot(t, ctx, "dashboard-1280.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(".trends")))
	browsertest.Screenshot(t, ctx, "dashboard-1280-trends.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS("#units")))
	browsertest.Screenshot(t, ctx, "dashboard-1280-table.png")
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}

	// Scripts off: a header is a link to the sorted page.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, ctx,
		chromedp.Navigate(r.srv.URL+dashboard.BasePath+"/"),
		chromedp.WaitVisible(chromedp.CSS("table tr.total")),
		chromedp.Click(chromedp.CSS(`#units th a[href*="sort=breaches"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#units th[aria-sort="descending"]`)),
	)
	if loc := browsertest.Run(t, ctx, chromedp.Location()); !strings.Contains(loc, "sort=breaches") {
		t.Errorf("without scripts the header led to %s", loc)
	}
	if got := firstRows(t, ctx, "#units", 1); len(got) != 1 || got[0] != r.name(2) {
		t.Errorf("without scripts, by breaches: %q", got)
	}
}
