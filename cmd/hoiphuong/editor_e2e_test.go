package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
)

// TestEditorPublishesAFeeEndToEnd is an editor and a citizen against the
// full gateway: the editor logs in, changes the birth registration fee in
// the draft, previews the answer (draft beside published), publishes; the
// citizen's web chat then answers with the new fee and cites the new
// version's as-of date.
func TestEditorPublishesAFeeEndToEnd(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	if _, err := g.app.staff.Create(t.Context(), staff.NewUser{Username: "mai", Name: "Phạm Thị Mai", Password: "mat-khau-bien-tap",
		Role: staff.RoleEditor}); err != nil {
		t.Fatal(err)
	}
	const fee = "Miễn lệ phí nếu đăng ký đúng hạn; quá hạn 9.000 đồng (thử nghiệm)"

	ed := browsertest.New(t, 60*time.Second)
	edErrors := browsertest.WatchConsole(ed)
	browsertest.Do(t, ed, chromedp.EmulateViewport(1280, 800))
	browsertest.LogIn(t, ed, g.url+"/console", "mai", "mat-khau-bien-tap")
	browsertest.Do(t, ed,
		chromedp.WaitVisible(chromedp.ID("pub-h")), // an editor lands on the KB overview
		chromedp.Navigate(g.url+"/console/kb/procedures/khai-sinh"),
		chromedp.WaitVisible(chromedp.ID("fee")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('fee').value = ''`),
		chromedp.SendKeys(chromedp.ID("fee"), fee),
		chromedp.Submit(chromedp.ID("fee")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
		chromedp.Navigate(g.url+"/console/kb/preview?q="+url.QueryEscape("phường 5 quận 3\nđăng ký khai sinh")),
		chromedp.WaitVisible(chromedp.ID("pane-published-box")),
	)
	draft := browsertest.Run(t, ed, chromedp.Text(chromedp.ID("pane-draft-box")))
	published := browsertest.Run(t, ed, chromedp.Text(chromedp.ID("pane-published-box")))
	if !strings.Contains(draft, fee) || strings.Contains(published, fee) {
		t.Errorf("preview: draft has the new fee %v, published has it %v", strings.Contains(draft, fee), strings.Contains(published, fee))
	}
	browsertest.Screenshot(t, ed, "editor-preview-1280.png")
	browsertest.Do(t, ed,
		chromedp.Navigate(g.url+"/console/kb"),
		chromedp.WaitVisible(chromedp.ID("changelog")),
		chromedp.SendKeys(chromedp.ID("changelog"), "Cập nhật lệ phí khai sinh quá hạn"),
		chromedp.Submit(chromedp.ID("changelog")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
	)
	if errs := edErrors.Errors(); len(errs) > 0 {
		t.Errorf("editor's browser console: %q", errs)
	}
	if v := g.app.engine.KB().Version; v < 2 {
		t.Fatalf("the engine still answers from version %d after the publish", v)
	}

	citizen := browsertest.New(t, 60*time.Second)
	browsertest.Do(t, citizen, browsertest.EmulatePhone(), chromedp.Navigate(g.url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#messages .reply")),
		chromedp.SendKeys(chromedp.ID("text"), "dang ky khai sinh o phuong 5 quan 3"),
		chromedp.Tap(chromedp.ID("send")))
	st := browsertest.WaitBotTurns(t, citizen, 2)
	if !strings.Contains(st.LastBot+st.Details, "quá hạn 9.000 đồng (thử nghiệm)") { // the fee is in the folded details
		t.Errorf("the citizen's answer lacks the published fee:\n%s\n— details —\n%s", st.LastBot, st.Details)
	}
	browsertest.Screenshot(t, citizen, "editor-published-fee-360.png")
}
