package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
)

// The queue page's header says which units it covers: the whole city for
// a city admin, the member's units by name (folded when many).
func TestQueueHeaderListsItsUnits(t *testing.T) {
	rg := newRig(t, withAllUnits)
	ctx := t.Context()
	_, err := rg.dir.Create(ctx, staff.NewUser{Username: "nhieu", Name: "Cán Bộ Nhiều Phường", Password: password,
		Role: staff.RoleStaff, Units: []string{"26737", "26740", "26743", "27154", "25747"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		user      string
		want, not []string
	}{
		{"admin", []string{"Phụ trách: <strong>toàn thành phố</strong> — 168 phường, xã, đặc khu và hàng chờ cấp Thành phố"}, []string{"covers-more"}},
		{"lan", []string{"Phụ trách: Phường Sài Gòn</p>"}, []string{"covers-more"}},
		{"nhieu", []string{"Phụ trách: Phường Bàn Cờ, Phường Bến Thành, Phường Sài Gòn</p>", "<summary>và 2 đơn vị khác</summary>",
			"<p>Phường Thủ Dầu Một, Phường Tân Định</p>"}, nil},
	}
	for _, tt := range tests {
		body := rg.login(tt.user).get(rg, "/console").body
		head := body[:strings.Index(body, `<div id="live">`)]
		for _, w := range tt.want {
			if !strings.Contains(head, w) {
				t.Errorf("%s: the queue header lacks %q\n%s", tt.user, w, clip(head[strings.Index(head, "<main"):]))
			}
		}
		for _, n := range tt.not {
			if strings.Contains(head, n) {
				t.Errorf("%s: the queue header has %q", tt.user, n)
			}
		}
	}
}

// Supervisors and city admins are told which of their queues have chats
// that no active account works (a ward: its staff or supervisors; the city
// queue: also a city admin); the notice goes once someone works them.
func TestQueueNoticeOfUnstaffedQueues(t *testing.T) {
	rg := newRig(t, withAllUnits)
	ctx := t.Context()
	rg.seed("26737", "telegram", "Hỏi về phường Tân Định") // nobody works Tân Định
	rg.seed(unitB, "web", "Hỏi về phường Bến Thành")
	rg.seed(unitA, "web", "Hỏi về phường Sài Gòn")
	admin, binh := rg.login("admin"), rg.login("binh")
	const notice = "Chưa có cán bộ nào phụ trách:</strong>"
	page := admin.get(rg, "/console").body
	if !strings.Contains(page, notice) || !strings.Contains(page, "Phường Tân Định (1 cuộc đang mở)") ||
		!strings.Contains(page, `<a href="/console/users">tạo tài khoản cán bộ</a>`) {
		t.Errorf("the city admin's queue page lacks the notice of Tân Định:\n%s", clip(page[strings.Index(page, `<div id="live">`):]))
	}
	if strings.Contains(page, "Phường Bến Thành (") || strings.Contains(page, "Phường Sài Gòn (") {
		t.Errorf("the notice names a ward that has staff")
	}
	if page := binh.get(rg, "/console").body; strings.Contains(page, notice) {
		t.Errorf("a supervisor of Sài Gòn (staffed) sees a notice")
	}
	if page := rg.login("lan").get(rg, "/console").body; strings.Contains(page, notice) {
		t.Errorf("staff see the notice")
	}

	// hoa, the only clerk of Bến Thành, is disabled: Bến Thành joins the notice (live part too).
	if err := rg.dir.Update(ctx, rg.users["hoa"].ID, staff.UserUpdate{Name: "Phạm Thị Hoa", Role: staff.RoleStaff,
		Units: []string{unitB}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	r := stafftest.Form(t, admin.c, http.MethodGet, rg.srv.URL+"/console", nil, map[string]string{"X-Partial": "1"})
	if !strings.Contains(r.Body, "Phường Bến Thành (1 cuộc đang mở)") || !strings.Contains(r.Body, "Phường Tân Định (1 cuộc đang mở)") {
		t.Errorf("the live part lacks Bến Thành and Tân Định:\n%s", clip(r.Body))
	}

	// Someone works Tân Định and Bến Thành: no notice.
	if _, err := rg.dir.Create(ctx, staff.NewUser{Username: "tandinh", Name: "Cán Bộ Tân Định", Password: password,
		Role: staff.RoleStaff, Units: []string{"26737", unitB}}); err != nil {
		t.Fatal(err)
	}
	if page := admin.get(rg, "/console").body; strings.Contains(page, notice) {
		t.Errorf("the notice stays once every queue has staff")
	}
}
