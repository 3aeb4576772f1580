package browsertest

import (
	"context"
	"sync"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Dialogs counts the JavaScript dialogs a page opened (and dismisses them).
type Dialogs struct {
	mu sync.Mutex
	n  int
}

// Count is the number of dialogs opened so far.
func (d *Dialogs) Count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

// WatchDialogs starts counting and dismissing the tab's dialogs.
func WatchDialogs(ctx context.Context) *Dialogs {
	d := &Dialogs{}
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

// Console collects console errors and uncaught exceptions (CSP violations
// show up here too).
type Console struct {
	mu   sync.Mutex
	msgs []string
}

// Errors returns the messages collected so far.
func (c *Console) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// WatchConsole starts collecting the tab's console errors.
func WatchConsole(ctx context.Context) *Console {
	c := &Console{}
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
