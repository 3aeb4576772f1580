package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
)

// The dashboard names the queues whose chats no active account works (the
// seed queues chats at five wards, two of them staffed, and at the city
// queue, which the city admin works), live too; a supervisor whose wards
// are staffed sees no notice; it goes once the wards have staff.
func TestStaffingNotice(t *testing.T) {
	r := newRig(t)
	r.seed()
	const notice = "<strong>Chưa có cán bộ nào phụ trách:</strong>"
	page := body(t, r.get("admin", dashboard.BasePath+"/"))
	for _, want := range []string{notice, "Phường Bình Dương (3 cuộc đang mở)", "Phường Chánh Hiệp (", "Phường Phú An (",
		`<a href="/console/users">tạo tài khoản cán bộ</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the admin's dashboard lacks %q", want)
		}
	}
	i := strings.Index(page, notice)
	for _, staffed := range []string{"Phường Sài Gòn (", "Phường Tân Định (", "Cấp Thành phố ("} {
		if i >= 0 && strings.Contains(page[i:i+600], staffed) {
			t.Errorf("the notice names %q, which has staff", staffed)
		}
	}
	if part := body(t, r.get("admin", dashboard.BasePath+"/", "X-Partial", "1")); !strings.Contains(part, notice) {
		t.Errorf("the live part lacks the notice")
	}
	if page := body(t, r.get("binh", dashboard.BasePath+"/")); strings.Contains(page, notice) {
		t.Errorf("a supervisor of staffed wards sees the notice")
	}

	// A clerk for the three wards: the notice goes.
	if _, err := r.dir.Create(context.Background(), staff.NewUser{Username: "moi", Name: "Cán Bộ Mới", Password: password,
		Role: staff.RoleStaff, Units: []string{r.code(2), r.code(3), r.code(4)}}); err != nil {
		t.Fatal(err)
	}
	if page := body(t, r.get("admin", dashboard.BasePath+"/")); strings.Contains(page, notice) {
		t.Errorf("the notice stays once every queue has staff")
	}
}
