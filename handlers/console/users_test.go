package console_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The city admin's new-user form takes only the codes of the new HCMC
// units (or "city"): an old code is refused with the unit it became, a
// made-up one by its code (422, the form kept, no user made).
func TestUserFormUnitCodes(t *testing.T) {
	rg := newRig(t)
	admin := rg.login("admin")
	form := func(username, units string) url.Values {
		return url.Values{"username": {username}, "name": {"Cán Bộ Mới"}, "role": {"staff"}, "units": {units},
			"max_chats": {"3"}, "password": {"mat-khau-moi-123"}}
	}
	for _, tc := range []struct {
		units, want string
	}{
		{"26740, 26734", "Mã 26734 là mã phường cũ (Phường Tân Định, trước ngày 1/7/2025); nay thuộc Phường Tân Định (mã 26737). Hãy nhập mã đơn vị mới."},
		{"26746", "Mã 26746 là mã phường cũ (Phường Nguyễn Thái Bình, trước ngày 1/7/2025); nay thuộc Phường Sài Gòn (mã 26740), Phường Bến Thành (mã 26743)."},
		{"99999", "Mã đơn vị 99999 không phải mã phường, xã, đặc khu nào của Thành phố Hồ Chí Minh (sau ngày 1/7/2025)."},
		{"00004", "Mã đơn vị 00004 là Phường Ba Đình, Thành phố Hà Nội, không thuộc Thành phố Hồ Chí Minh."},
	} {
		r := admin.post(rg, "/console/users", form("moi-sai", tc.units))
		body := html.UnescapeString(r.body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, `value="`+tc.units+`"`) {
			t.Errorf("units %q: %d\n%s", tc.units, r.status, clip(body))
		}
	}
	if _, err := rg.dir.ByUsername(t.Context(), "moi-sai"); err == nil {
		t.Error("a user was made with a bad unit code")
	}
	for _, units := range []string{"26740, 26737", "city"} {
		if r := admin.post(rg, "/console/users", form("moi-"+strings.ReplaceAll(units, ", ", "-"), units)); r.status != http.StatusSeeOther {
			t.Errorf("units %q: %d\n%s", units, r.status, clip(r.body))
		}
	}
}
