package editor_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// asOfInput reads the publish form's date field: its value and max.
func asOfInput(t *testing.T, body string) (value, max string) {
	t.Helper()
	m := regexp.MustCompile(`<input id="as_of" name="as_of" type="date" required max="([^"]*)" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no as-of field in\n%s", clip(body))
	}
	return m[2], m[1]
}

// TestPublishAsOf: the as-of date is the one the editor confirms. The
// form starts at the published version's date (not today), an empty or
// future date is refused with the reason next to the field and what was
// typed kept, and the date published is the one answers cite. Versions
// are numbered 2, 3, 4 through publish, rollback, publish.
func TestPublishAsOf(t *testing.T) {
	rg := newRig(t) // today: 01/07/2025; version 1 as of 01/07/2025
	s := rg.login("editor")
	s.post(rg, "/console/kb/procedures/khai-sinh", procedureForm("khai-sinh", "8.000 đồng"))

	tests := []struct {
		name, asOf string
		status     int
		want       string
	}{
		{"empty", "", http.StatusUnprocessableEntity, "Hãy chọn ngày dữ liệu được cập nhật đến: ngày bạn đã kiểm tra lại các thông tin của phiên bản này."},
		{"spaces", "   ", http.StatusUnprocessableEntity, "Hãy chọn ngày dữ liệu được cập nhật đến"},
		{"tomorrow", "2025-07-02", http.StatusUnprocessableEntity, "Ngày cập nhật không thể ở tương lai: hãy chọn hôm nay (01/07/2025) hoặc một ngày trước đó."},
		{"next year", "2026-01-01", http.StatusUnprocessableEntity, "Ngày cập nhật không thể ở tương lai"},
		{"not a date", "30/06/2025", http.StatusUnprocessableEntity, "Ngày cập nhật phải là một ngày hợp lệ (ngày/tháng/năm)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lệ phí khai sinh mới"}, "as_of": {tt.asOf}})
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			mustContain(t, "refused publish", r.body, tt.want, `<p class="field-error" id="as_of-error">`, "Lệ phí khai sinh mới")
			if v, _ := asOfInput(t, r.body); v != tt.asOf {
				t.Errorf("the field came back with %q, want what was typed %q", v, tt.asOf)
			}
		})
	}
	if latest, err := rg.store.Latest(t.Context()); err != nil || latest.Version != 1 {
		t.Fatalf("a refused publish published version %d (%v)", latest.Version, err)
	}

	// The editor checked the facts on 20/06: that date is stored and shown.
	r := s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lệ phí khai sinh mới"}, "as_of": {"2025-06-20"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", r.status, clip(r.body))
	}
	mustContain(t, "overview after publish", s.get(rg, "/console/kb").body,
		"Phiên bản 2", "Dữ liệu cập nhật đến</dt><dd>20/06/2025", "dữ liệu cập nhật đến 20/06/2025")
	latest, err := rg.store.Latest(t.Context())
	if err != nil || latest.Version != 2 || !latest.AsOf.Equal(time.Date(2025, 6, 20, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("published version %d as of %v (%v), want 2 as of 20/06/2025", latest.Version, latest.AsOf, err)
	}

	// The next draft's form starts at 20/06 (the version in use), not today.
	s.post(rg, "/console/kb/procedures/khai-sinh", procedureForm("khai-sinh", "9.000 đồng"))
	page := html.UnescapeString(s.get(rg, "/console/kb").body)
	if v, max := asOfInput(t, page); v != "2025-06-20" || max != "2025-07-01" {
		t.Errorf("as-of field value %q max %q, want 2025-06-20 (the published date) and at most today 2025-07-01", v, max)
	}

	// Rollback to 1 is version 3 with version 1's date; the form follows it.
	if r := s.post(rg, "/console/kb/versions/1/rollback", nil); r.status != http.StatusSeeOther {
		t.Fatalf("rollback: %d", r.status)
	}
	page = html.UnescapeString(s.get(rg, "/console/kb").body)
	mustContain(t, "overview after rollback", page, "Phiên bản 3", "Khôi phục phiên bản 1", "Dữ liệu cập nhật đến</dt><dd>01/07/2025")
	if v, _ := asOfInput(t, page); v != "2025-07-01" {
		t.Errorf("as-of after the rollback %q, want version 1's 2025-07-01", v)
	}
	if r := s.post(rg, "/console/kb/publish", url.Values{"changelog": {"Lệ phí 9.000"}, "as_of": {"2025-07-01"}}); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", r.status)
	}
	mustContain(t, "overview after the second publish", s.get(rg, "/console/kb").body, "Phiên bản 4", "Phiên bản 3", "Phiên bản 2", "Phiên bản 1")
	if latest, err := rg.store.Latest(t.Context()); err != nil || latest.Version != 4 {
		t.Errorf("latest %d (%v), want 4: publish, rollback, publish after 1 are 2, 3, 4", latest.Version, err)
	}
}
