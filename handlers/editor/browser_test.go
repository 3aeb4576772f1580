package editor_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// TestEditorInChromium: an editor logs in (and comes back to the editor
// console), changes a procedure's fee in the form, sees the preview answer
// the new fee from the draft beside the old published one, publishes, and
// the published knowledge base answers the new fee. Each page is checked
// at 360×740 and 1280×800 (screenshots under $SCREENSHOT_DIR).
func TestEditorInChromium(t *testing.T) {
	rg := newRig(t)
	for range 3 { // asking for a person is not a question editors can answer
		rg.reply("gặp cán bộ", bot.KindHandoff)
		rg.reply("còn bao lâu nữa vậy", bot.KindHandoff)
	}
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)

	b := browsertest.New(t, 120*time.Second)
	browsertest.Do(t, b, browsertest.EmulatePhone())
	browsertest.LogIn(t, b, srv.URL+"/console/kb", "editor", password)
	browsertest.Do(t, b, chromedp.WaitVisible(chromedp.ID("ver-h")))
	if loc := browsertest.Run(t, b, chromedp.Location()); !strings.HasSuffix(loc, "/console/kb") {
		t.Errorf("the editor landed on %s, want /console/kb", loc)
	}
	console := browsertest.WatchConsole(b)
	both(t, b, srv.URL+"/console/kb", "ver-h", "overview-before")

	// Edit the fee.
	browsertest.Do(t, b,
		chromedp.Navigate(srv.URL+"/console/kb/procedures?q=khai+sinh"),
		chromedp.WaitVisible(chromedp.CSS("a.rec")),
		chromedp.Click(chromedp.CSS("a.rec")),
		chromedp.WaitVisible(chromedp.ID("fee")),
		chromedp.SetValue(chromedp.ID("fee"), "8.000 đồng (bản sao trích lục)"),
		chromedp.Submit(chromedp.ID("fee")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
	)
	if v := browsertest.Run(t, b, chromedp.Value(chromedp.ID("fee"))); v != "8.000 đồng (bản sao trích lục)" {
		t.Errorf("fee after saving: %q", v)
	}
	both(t, b, srv.URL+"/console/kb/procedures/khai-sinh", "fee", "procedure-form")

	// A form error on the phone: the reason next to the field.
	browsertest.Do(t, b,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('name').value = ''`),
		chromedp.Submit(chromedp.ID("name")),
		chromedp.WaitVisible(chromedp.CSS(".field-error")),
	)
	shoot(t, b, "editor-procedure-error-360.png")

	// Preview: draft beside published.
	q := url.QueryEscape("làm giấy khai sinh ở phường Sài Gòn lệ phí bao nhiêu")
	both(t, b, srv.URL+"/console/kb/preview?q="+q, "pane-draft", "preview")
	draft := browsertest.Run(t, b, chromedp.Text(chromedp.ID("pane-draft-box")))
	published := browsertest.Run(t, b, chromedp.Text(chromedp.ID("pane-published-box")))
	if !strings.Contains(draft, "8.000 đồng") || !strings.Contains(published, "Miễn lệ phí") || strings.Contains(published, "8.000 đồng") {
		t.Errorf("preview: draft %q, published %q", draft, published)
	}

	// Overview with the draft, then publish. The as-of date starts at the
	// published version's, is required and cannot be in the future: the
	// browser says so, and so does the server when the browser does not.
	both(t, b, srv.URL+"/console/kb", "publish", "overview")
	if v := browsertest.Run(t, b, chromedp.Value(chromedp.ID("as_of"))); v != "2025-07-01" {
		t.Errorf("as-of field starts at %q, want the published version's 2025-07-01", v)
	}
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.ID("changelog"), "Lệ phí khai sinh theo Thông tư mới"),
		chromedp.SetValue(chromedp.ID("as_of"), "2025-07-02"),
	)
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById('as_of').validity.rangeOverflow`)) {
		t.Error("the browser accepts a future as-of date")
	}
	browsertest.Do(t, b,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('publish').submit()`),
		chromedp.WaitVisible(chromedp.ID("as_of-error")),
	)
	if msg := browsertest.Run(t, b, chromedp.Text(chromedp.ID("as_of-error"))); !strings.Contains(msg, "Ngày cập nhật không thể ở tương lai: hãy chọn hôm nay (01/07/2025)") {
		t.Errorf("future as-of: %q", msg)
	}
	browsertest.CheckPageLayout(t, b, "publish error 360")
	browsertest.Do(t, b, chromedp.ScrollIntoView(chromedp.ID("as_of")))
	browsertest.Screenshot(t, b, "editor-publish-error-360.png")
	browsertest.Do(t, b, chromedp.SetValue(chromedp.ID("as_of"), ""))
	if !browsertest.Run(t, b, chromedp.Evaluate[bool](`document.getElementById('as_of').validity.valueMissing`)) {
		t.Error("the browser accepts an empty as-of date")
	}
	browsertest.Do(t, b,
		chromedp.SetValue(chromedp.ID("as_of"), "2025-06-30"),
		chromedp.Submit(chromedp.ID("changelog")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")),
	)
	body := browsertest.Run(t, b, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(body, "Phiên bản 2") || !strings.Contains(body, "Lệ phí khai sinh theo Thông tư mới") ||
		!strings.Contains(body, "30/06/2025") {
		t.Errorf("overview after publish: %s", body)
	}
	kb, err := rg.store.Latest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	answers, err := preview(t.Context(), kb, []string{"làm giấy khai sinh ở phường Sài Gòn lệ phí bao nhiêu"})
	if err != nil || !strings.Contains(answers[0].Text, "8.000 đồng") {
		t.Errorf("the published knowledge base answers %q (%v)", answers[0].Text, err)
	}

	// Import preview: a file with a bad row and two changes.
	csvPath := filepath.Join(t.TempDir(), "thu-tuc.csv")
	csv := "id,name,authority,office_levels,fee\n" +
		"khai-sinh,Đăng ký khai sinh,UBND cấp xã,xa,10.000 đồng\n" +
		"ket-hon,Đăng ký kết hôn,UBND cấp xã,xa,Miễn lệ phí\n" +
		"xin-phep,Thủ tục lỗi,UBND cấp xã,tinh,\n"
	if err := os.WriteFile(csvPath, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, b, browsertest.EmulatePhone(),
		chromedp.Navigate(srv.URL+"/console/kb/import"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{csvPath}),
		chromedp.Submit(chromedp.ID("file")),
		chromedp.WaitVisible(chromedp.ID("diff")),
	)
	browsertest.CheckPageLayout(t, b, "import preview 360")
	shoot(t, b, "editor-import-preview-360.png")
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 800))
	browsertest.CheckPageLayout(t, b, "import preview 1280")
	shoot(t, b, "editor-import-preview-1280.png")
	if txt := browsertest.Run(t, b, chromedp.Text(chromedp.ID("row-errors"))); !strings.Contains(txt, "office_levels") {
		t.Errorf("import preview errors: %q", txt)
	}

	// The other pages on a phone.
	for _, p := range []struct{ path, name string }{
		{"/console/kb/offices", "offices"}, {"/console/kb/synonyms", "synonyms"}, {"/console/kb/unanswered", "unanswered"},
		{"/console/kb/audit", "audit"}, {"/console/kb/import", "import"}, {"/console/kb/curated/new?group=lam+can+cuoc+gan+chip+o+dau", "curated-form"},
	} {
		browsertest.Do(t, b, browsertest.EmulatePhone(), chromedp.Navigate(srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		browsertest.CheckPageLayout(t, b, p.name+" 360")
		shoot(t, b, "editor-"+p.name+"-360.png")
	}
	// The unanswered list: real questions, most asked first, with their
	// count and when they were last asked; no requests for a person.
	browsertest.Do(t, b, chromedp.Navigate(srv.URL+"/console/kb/unanswered"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	groups := browsertest.Run(t, b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.group h2')).map(h => h.textContent.trim())`))
	if len(groups) != 2 || !strings.HasPrefix(groups[0], "lam can cuoc gan chip o dau 2 lần · lần gần nhất 01/07/2025") ||
		!strings.HasPrefix(groups[1], "doi bang lai xe quoc te 1 lần") {
		t.Errorf("unanswered groups in the browser: %q", groups)
	}
	for _, m := range console.Errors() {
		if strings.Contains(m, "status of 422") {
			continue // the form error shown on purpose
		}
		t.Errorf("browser console: %s", m)
	}
}

// both loads url at 360×740 and at 1280×800, checks the layout and saves
// a screenshot of each (name-360.png, name-1280.png).
func both(t *testing.T, b context.Context, url, readyID, name string) {
	t.Helper()
	browsertest.Do(t, b, browsertest.EmulatePhone(), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID(readyID)))
	browsertest.CheckPageLayout(t, b, name+" 360")
	shoot(t, b, "editor-"+name+"-360.png")
	browsertest.Do(t, b, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID(readyID)))
	browsertest.CheckPageLayout(t, b, name+" 1280")
	shoot(t, b, "editor-"+name+"-1280.png")
	browsertest.Do(t, b, browsertest.EmulatePhone())
}

// shoot saves the whole page (also under $SCREENSHOT_DIR).
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := browsertest.Run(t, ctx, chromedp.FullScreenshot(100))
	dirs := []string{t.TempDir()}
	if d := os.Getenv("SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
