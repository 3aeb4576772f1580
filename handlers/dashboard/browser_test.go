package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
)

// TestDashboardInChromium logs a city admin in through the login form,
// looks at the dashboard on a phone and a desktop (screenshots, also under
// $SCREENSHOT_DIR), and checks the live part refreshes in place.
func TestDashboardInChromium(t *testing.T) {
	r := newRig(t)
	r.seed()
	ctx := browsertest.New(t, 90*time.Second)
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
	// On a phone the page itself does not scroll sideways: the table does,
	// inside its card.
	widths := browsertest.Run(t, ctx, chromedp.Evaluate[[]int](
		`[document.documentElement.scrollWidth, document.querySelector('.scroll').clientWidth, document.querySelector('.scroll').scrollWidth]`))
	if widths[0] > browsertest.Width || widths[2] <= widths[1] {
		t.Errorf("page %d px wide, table box %d px showing %d px", widths[0], widths[1], widths[2])
	}
	browsertest.Screenshot(t, ctx, "dashboard-360.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(".table-card")))
	browsertest.Screenshot(t, ctx, "dashboard-360-table.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(".tops")))
	browsertest.Screenshot(t, ctx, "dashboard-360-tops.png")

	// A new chat is queued; the page picks it up without a reload.
	r.queue(now.Add(-time.Minute), r.code(3), "khai-sinh")
	browsertest.Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`window.marker = 1; document.dispatchEvent(new Event('visibilitychange'))`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.figure .value').textContent === '16'`),
	)
	if still := browsertest.Run(t, ctx, chromedp.Evaluate[int](`window.marker`)); still != 1 {
		t.Errorf("the page reloaded instead of swapping its live part")
	}

	browsertest.Do(t, ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("table tr.total")),
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`),
	)
	browsertest.Screenshot(t, ctx, "dashboard-1280.png")
	browsertest.Do(t, ctx, chromedp.ScrollIntoView(chromedp.CSS(".tops")))
	browsertest.Screenshot(t, ctx, "dashboard-1280-tops.png")
	if errs := console.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
