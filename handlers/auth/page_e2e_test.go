package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// pageLayout is what the login page looks like in the browser.
type pageLayout struct {
	ScrollWidth  int      `json:"scrollWidth"`
	InnerWidth   int      `json:"innerWidth"`
	SmallTargets []string `json:"smallTargets"`
	Heading      string   `json:"heading"`
	Styled       bool     `json:"styled"`
	FormBottom   float64  `json:"formBottom"`
	InnerHeight  int      `json:"innerHeight"`
}

const readPageLayout = `(() => {
  const small = [];
  for (const el of document.querySelectorAll('button, input:not([type=hidden])')) {
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) small.push((el.id || el.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    smallTargets: small,
    heading: document.querySelector('h1').textContent,
    styled: getComputedStyle(document.querySelector('.band')).backgroundColor !== 'rgba(0, 0, 0, 0)',
    formBottom: document.querySelector('button[type=submit]').getBoundingClientRect().bottom,
  };
})()`

// The login page on a 360 px phone and a desktop: fits, styled under the
// strict CSP, big enough to tap, and logs in.
func TestLoginPageInChromium(t *testing.T) {
	rg := newRig(t)
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{
		{"phone", browsertest.Width, browsertest.Height, true},
		{"desktop", 1280, 800, false},
	} {
		t.Run(size.name, func(t *testing.T) {
			ctx := browsertest.New(t, 90*time.Second)
			console := browsertest.WatchConsole(ctx)
			view := chromedp.EmulateViewport(size.width, size.height)
			if size.mobile {
				view = browsertest.EmulatePhone()
			}
			browsertest.Do(t, ctx,
				view,
				chromedp.Navigate(rg.srv.URL+"/console/reports"),
				chromedp.WaitVisible(chromedp.ID("username")),
			)
			l := browsertest.Run(t, ctx, chromedp.Evaluate[pageLayout](readPageLayout))
			if l.Heading != "Đăng nhập cán bộ" || !l.Styled {
				t.Errorf("heading %q, styled %v", l.Heading, l.Styled)
			}
			if l.ScrollWidth > l.InnerWidth {
				t.Errorf("page scrolls sideways: %d > %d", l.ScrollWidth, l.InnerWidth)
			}
			if len(l.SmallTargets) > 0 {
				t.Errorf("controls under 44 px: %v", l.SmallTargets)
			}
			if l.FormBottom > float64(l.InnerHeight) {
				t.Errorf("the button is below the fold: %.0f > %d", l.FormBottom, l.InnerHeight)
			}
			browsertest.Screenshot(t, ctx, fmt.Sprintf("hp-staff-login-%s.png", size.name))

			// A wrong password shows the message; the right one goes on to next.
			browsertest.Do(t, ctx,
				chromedp.SendKeys(chromedp.ID("username"), "binh"),
				chromedp.SendKeys(chromedp.ID("password"), "sai-mat-khau-1"),
				chromedp.Submit(chromedp.ID("password")),
				chromedp.WaitVisible(chromedp.CSS(".alert")),
			)
			alert := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS(".alert")))
			if !strings.Contains(alert, "Sai tên đăng nhập hoặc mật khẩu.") {
				t.Errorf("alert %q", alert)
			}
			browsertest.Screenshot(t, ctx, fmt.Sprintf("hp-staff-login-%s-error.png", size.name))
			for _, e := range console.Errors() { // the login pages load cleanly; the 401 of the wrong password is expected
				if !strings.Contains(e, "status of 401") {
					t.Errorf("console error: %s", e)
				}
			}
			browsertest.Do(t, ctx,
				chromedp.SendKeys(chromedp.ID("password"), password),
				chromedp.Submit(chromedp.ID("password")),
				chromedp.WaitReady(chromedp.CSS("body")),
			)
			deadline := time.Now().Add(10 * time.Second)
			for { // the page is navigating: a read may fail until it settles
				got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + " " + document.body.textContent`))
				if err == nil && got == "/console/reports báo cáo" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after login: %q, %v", got, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}
