package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
)

func body(t testing.TB, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAccess(t *testing.T) {
	r := newRig(t)
	r.seed()
	tests := []struct {
		user, path string
		status     int
		has, hasnt []string
	}{
		{"", "/", http.StatusSeeOther, nil, nil},
		{"", "/export.csv", http.StatusSeeOther, nil, nil},
		{"lan", "/", http.StatusForbidden, nil, []string{"Phường Sài Gòn"}},
		{"lan", "/export.csv", http.StatusForbidden, nil, []string{"Phường Sài Gòn"}},
		{"editor", "/", http.StatusForbidden, nil, nil},
		{"binh", "/", http.StatusOK,
			[]string{"Phường Sài Gòn", "Phường Tân Định"},
			[]string{"Phường Bến Thành", "Cấp Thành phố", "Phường Thử Nghiệm 168"}},
		{"binh", "/export.csv", http.StatusOK, []string{"Phường Sài Gòn"}, []string{"Phường Bến Thành"}},
		{"admin", "/", http.StatusOK,
			[]string{"Phường Sài Gòn", "Phường Bến Thành", "Cấp Thành phố", "Phường Thử Nghiệm 168", "(169 đơn vị"}, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s", cmpOr(tt.user, "anonymous"), tt.path), func(t *testing.T) {
			res := r.get(tt.user, dashboard.BasePath+tt.path)
			text := body(t, res)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, tt.status, text)
			}
			if tt.status == http.StatusSeeOther {
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/console/login?next=") {
					t.Errorf("redirect to %q, want the login page", loc)
				}
			}
			for _, s := range tt.has {
				if !strings.Contains(text, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range tt.hasnt {
				if strings.Contains(text, s) {
					t.Errorf("leaks %q", s)
				}
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestPage(t *testing.T) {
	r := newRig(t)
	r.seed()
	res := r.get("admin", dashboard.BasePath+"/")
	page := body(t, res)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, s := range []string{
		"<title>Bảng điều khiển Thành phố — Hỏi Phường</title>", "Hỏi Phường — Bảng điều khiển", `href="/console">Hàng chờ</a>`,
		"Đơn vị", "Đang chờ", "Chờ lâu nhất", "Chờ trung bình", "Quá hạn SLA hôm nay", "Cuộc/giờ",
		"Tỉ lệ chuyển cán bộ", "CSAT", "Việc hỏi nhiều", "Tổng cộng", "Cập nhật lúc 10:00:00",
		"Đăng ký khai sinh", "“Giá vàng hôm nay?”", `class="num breach"`, `data-refresh="10"`,
		`/console/dashboard/export.csv?day=2025-07-01`, `name="csrf"`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	// "Giá vàng hôm nay?", "gia vang hom nay" and "GIÁ VÀNG  hôm nay" are one question.
	if !strings.Contains(page, `<span>“Giá vàng hôm nay?”</span><span class="count">3</span>`) {
		t.Errorf("the three spellings of the gold price question are not grouped")
	}
	// Most loaded first: the first data row after the totals is the busiest unit.
	total := strings.Index(page, "Tổng cộng")
	first := strings.Index(page[total:], `<th scope="row" class="unit">`) + total
	if !strings.Contains(page[first:first+80], "Phường Bến Thành") {
		t.Errorf("first row is %q, want Phường Bến Thành (3 queued, the longest wait)", page[first:first+80])
	}

	links := regexp.MustCompile(`/console/dashboard/static/dashboard\.[0-9a-f]{12}\.(css|js)`).FindAllString(page, -1)
	if len(links) != 2 {
		t.Errorf("asset links %q", links)
	}
	for _, url := range links {
		res := r.get("", url)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s: %d %s", url, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}

	res = r.get("admin", dashboard.BasePath+"/", "X-Partial", "1")
	part := body(t, res)
	if res.StatusCode != http.StatusOK || strings.Contains(part, "<html") || !strings.Contains(part, "Cập nhật lúc") ||
		!strings.Contains(part, "<table>") {
		t.Errorf("partial: %d\n%.300s", res.StatusCode, part)
	}

	res = r.get("admin", dashboard.BasePath+"/?day=2025-06-28")
	old := body(t, res)
	if !strings.Contains(old, "Số liệu ngày 28/06/2025") || !strings.Contains(old, `data-refresh="0"`) ||
		!strings.Contains(old, "Quá hạn SLA trong ngày") {
		t.Errorf("another day's page:\n%.2000s", old)
	}
}

func TestExportCSV(t *testing.T) {
	r := newRig(t)
	r.seed()
	res := r.get("admin", dashboard.BasePath+"/export.csv")
	raw := []byte(body(t, res))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="bang-dieu-khien-2025-07-01.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("no UTF-8 BOM: % x", raw[:min(len(raw), 8)])
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+169+1 {
		t.Errorf("%d rows, want header + 169 units + totals", len(rows))
	}
	want := "Mã đơn vị,Đơn vị,Đang chờ,Đang xử lý,Chờ lâu nhất (phút),Chờ trung bình (phút),Quá hạn SLA,Số cuộc chuyển,Cuộc/giờ,Số hội thoại,Tỉ lệ chuyển cán bộ (%),CSAT,Lượt đánh giá,Việc hỏi nhiều"
	if got := strings.Join(rows[0], ","); got != want {
		t.Errorf("header\n%s\nwant\n%s", got, want)
	}
	// Most loaded first: Phường Bến Thành, queued 21, 66 and 111 minutes
	// ago, all past the 5-minute SLA.
	if first := rows[1]; first[0] != r.code(2) || first[1] != "Phường Bến Thành" || first[2] != "3" ||
		first[4] != "111.0" || first[5] != "66.0" || first[6] != "3" || first[11] != "" {
		t.Errorf("first row %q", first)
	}
	// Phường Sài Gòn: queued 3, 48 and 93 minutes ago (the first not yet
	// due), one answered in time, closed and rated 4.
	var sg []string
	for _, row := range rows {
		if row[0] == r.code(0) {
			sg = row
		}
	}
	if sg == nil || sg[2] != "3" || sg[4] != "93.0" || sg[6] != "2" || sg[7] != "4" || sg[11] != "4.00" || sg[12] != "1" {
		t.Errorf("Phường Sài Gòn row %q", sg)
	}
	if last := rows[len(rows)-1]; last[1] != "Tổng cộng" || last[2] != "15" {
		t.Errorf("totals %q", last)
	}
}

// BenchmarkDashboard renders the city admin's page over 1,000 open handoffs
// across the 168 units (and the city queue), with a day of closed ones.
func BenchmarkDashboard(b *testing.B) {
	r := newRig(b)
	for i := range 1000 {
		unit := r.code(i % 168)
		if i%50 == 0 {
			unit = "city"
		}
		r.queue(now.Add(-time.Duration(i*17)*time.Second), unit, []string{"khai-sinh", "ket-hon", "cu-tru", ""}[i%4])
	}
	for i := range 300 {
		r.talk(now.Add(-time.Duration(i*31)*time.Second), r.code(i%168), fmt.Sprintf("câu hỏi lạ số %d", i%40), "fallback")
	}
	cookie := r.session("admin")
	h := r.srv.Config.Handler
	mux, ok := h.(*chi.Mux)
	if !ok {
		b.Fatalf("handler %T", h)
	}
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, dashboard.BasePath+"/", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Phường Thử Nghiệm 168") {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
