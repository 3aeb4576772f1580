package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pageLayout measures what breaks a form page on a phone.
type pageLayout struct {
	ScrollWidth  int      `json:"scrollWidth"`
	InnerWidth   int      `json:"innerWidth"`
	SmallTargets []string `json:"smallTargets"`
}

const readPageLayout = `(() => {
  const small = [];
  for (const el of document.querySelectorAll('button, select, input:not([type=hidden]):not([type=checkbox]), textarea, .btn, .nav a')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && r.height < 43.5) small.push(el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30) + ' ' + Math.round(r.height));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, smallTargets: small};
})()`

// CheckPageLayout fails the test when a staff page (console, editor)
// scrolls sideways or has a control a thumb cannot hit (under 44 px tall).
func CheckPageLayout(t testing.TB, ctx context.Context, what string) {
	t.Helper()
	l := Run(t, ctx, chromedp.Evaluate[pageLayout](readPageLayout))
	if l.ScrollWidth > l.InnerWidth {
		t.Errorf("%s: the page scrolls sideways (%d > %d)", what, l.ScrollWidth, l.InnerWidth)
	}
	if len(l.SmallTargets) > 0 {
		t.Errorf("%s: tap targets under 44 px: %q", what, l.SmallTargets)
	}
}

// LogIn opens pageURL (a staff page), signs in on the login form it sends
// a visitor to, and waits until the form is gone (back on the page).
func LogIn(t testing.TB, ctx context.Context, pageURL, username, password string) {
	t.Helper()
	Do(t, ctx,
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitNotPresent(chromedp.ID("password")),
	)
	// The page it lands on, loaded with its scripts: a tap before they run
	// (a loaded machine) would be a tap on a page not listening yet.
	Run(t, ctx, chromedp.Poll[bool](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(60*time.Second)))
}
