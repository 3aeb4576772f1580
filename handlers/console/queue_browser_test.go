package console_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/browsertest"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// The queue page's header and the notice of queues nobody works, as a
// city admin and a clerk of five wards see them on a phone and a desktop.
func TestQueueHeaderInChromium(t *testing.T) {
	rg := newRig(t, withAllUnits)
	if _, err := rg.dir.Create(t.Context(), staff.NewUser{Username: "nhieu", Name: "Cán Bộ Nhiều Phường", Password: password,
		Role: staff.RoleStaff, Units: []string{"26737", "26740", "26743", "27154", "25747"}}); err != nil {
		t.Fatal(err)
	}
	for _, unit := range []string{"26737", "25747", "25777", "25750", "25760", "25768", "25771"} {
		rg.seed(unit, "telegram", "Cho tôi hỏi thủ tục khai sinh")
	}
	srv := httptest.NewServer(stafftest.WithSecurityHeaders(rg.srv.Config.Handler))
	t.Cleanup(srv.Close)

	admin := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, admin, browsertest.EmulatePhone())
	browsertest.LogIn(t, admin, srv.URL+"/console", "admin", password)
	browsertest.Do(t, admin, chromedp.WaitVisible(chromedp.ID("staffing")))
	notice := browsertest.Run(t, admin, chromedp.Text(chromedp.ID("staffing")))
	// Tân Định and Thủ Dầu Một have a clerk now; five wards do not.
	if !strings.Contains(notice, "Chưa có cán bộ nào phụ trách:") || strings.Contains(notice, "Tân Định") || strings.Contains(notice, "Thủ Dầu Một") {
		t.Errorf("notice = %q", notice)
	}
	if head := browsertest.Run(t, admin, chromedp.Text(chromedp.ID("covers"))); !strings.Contains(head, "toàn thành phố") {
		t.Errorf("admin's header = %q", head)
	}
	browsertest.CheckPageLayout(t, admin, "admin queue 360")
	shoot(t, admin, "console-queue-admin-360.png")
	browsertest.Do(t, admin, chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("staffing")))
	shoot(t, admin, "console-queue-admin-1280.png")

	clerk := browsertest.New(t, 90*time.Second)
	browsertest.Do(t, clerk, browsertest.EmulatePhone())
	browsertest.LogIn(t, clerk, srv.URL+"/console", "nhieu", password)
	browsertest.Do(t, clerk, chromedp.WaitVisible(chromedp.ID("covers")),
		chromedp.Tap(chromedp.Search(`//summary[normalize-space(.)="và 2 đơn vị khác"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#covers details[open]`))) // the tap has opened it
	if head := browsertest.Run(t, clerk, chromedp.Text(chromedp.ID("covers"))); !strings.Contains(head, "Phường Bàn Cờ, Phường Bến Thành, Phường Sài Gòn") ||
		!strings.Contains(head, "Phường Thủ Dầu Một, Phường Tân Định") {
		t.Errorf("clerk's header = %q", head)
	}
	if n := browsertest.Run(t, clerk, chromedp.Evaluate[int](`document.querySelectorAll('#staffing').length`)); n != 0 {
		t.Errorf("a clerk sees the notice of unstaffed queues")
	}
	browsertest.CheckPageLayout(t, clerk, "clerk queue 360")
	shoot(t, clerk, "console-queue-units-360.png")
}
