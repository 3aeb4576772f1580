package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
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
		{"lan", "/", http.StatusForbidden, nil, []string{r.name(0)}},
		{"lan", "/export.csv", http.StatusForbidden, nil, []string{r.name(0)}},
		{"lan", "/export.csv?table=days", http.StatusForbidden, nil, nil},
		{"editor", "/", http.StatusForbidden, nil, nil},
		{"binh", "/", http.StatusOK,
			[]string{r.name(0) + "</th>", r.name(1) + "</th>", "ngoài phạm vi bạn được xem"},
			[]string{r.name(2) + "</th>", "Cấp Thành phố", r.name(167) + "</th>"}},
		{"binh", "/export.csv", http.StatusOK, []string{r.name(0)}, []string{r.name(2)}},
		{"binh", "/export.csv?table=worst", http.StatusOK, []string{r.name(0)}, []string{r.name(2)}},
		{"admin", "/", http.StatusOK,
			[]string{r.name(0), r.name(2), "Cấp Thành phố", r.name(167), "169 đơn vị ·"}, []string{"ngoài phạm vi"}},
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

// TestPage: the first screen — key figures over the window covered, the
// units in trouble ranked, the map, the trends — then every unit; the
// live part alone; another day.
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
		// The data begins with the first chat, 3 h 23 min ago: the window covered.
		"Số liệu 3 giờ 23 phút qua (dữ liệu có từ 06:37 01/07) · cập nhật lúc 10:00:00 · tự làm mới mỗi 10 giây",
		"Đang chờ cán bộ", "Chờ lâu nhất", "Quá hạn SLA", "Hội thoại/giờ", "Chuyển cán bộ/giờ", "Hài lòng (CSAT)",
		"16 cuộc trong 3 giờ 23 phút qua (32,0% số hội thoại)", "50 hội thoại trong 3 giờ 23 phút qua", "Đơn vị cần chú ý", "xếp theo số cuộc quá hạn SLA",
		"6 đơn vị có cuộc quá hạn SLA, người đang chờ hoặc câu bot chưa trả lời được",
		"Bản đồ tải", `<svg class="map" viewBox="0 0 600 `, "Côn Đảo (thu nhỏ, không đúng vị trí)", "có cuộc quá hạn SLA",
		"Theo ngày", "14 ngày (18/06 – 01/07)", "Theo tuần", "8 tuần (12/05 – 06/07)", "16 hôm nay", "16 tuần này",
		"Theo đơn vị", "Tổng cộng", "Việc hỏi nhiều", "Đăng ký khai sinh", "“Giá vàng hôm nay?”", `class="num breach"`,
		`data-refresh="10"`, `/console/dashboard/export.csv`, `/console/dashboard/export.csv?table=days`, `name="csrf"`,
		`aria-current="page">24 giờ qua</a>`,
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
	if got := tableUnits(page); len(got) != 169 || got[0] != r.name(2) {
		t.Errorf("%d rows, first %q; want 169, %s first (3 queued, the longest wait)", len(got), first(got), r.name(2))
	}
	// The worst units: most breaches, then the longest wait.
	want := []string{r.name(2), "Cấp Thành phố", r.name(1), r.name(0), r.name(4), r.name(3)}
	if got := worstUnits(page); !slices.Equal(got, want) {
		t.Errorf("worst units %q, want %q", got, want)
	}
	// The map: 168 units, coloured by chats, outlined red on a breach.
	codes := map[string]int{}
	for _, m := range regexp.MustCompile(`<path class="l\d[^"]*" d="[^"]+" data-code="(\d+)"`).FindAllStringSubmatch(page, -1) {
		codes[m[1]]++
	}
	twice := 0
	for _, n := range codes {
		if n == 2 {
			twice++
		}
	}
	if len(codes) != 168 || twice < 40 || !strings.Contains(page, "Trung tâm (phóng to 4 lần)") {
		t.Errorf("%d units on the map, %d drawn again in the centre's frame; want 168, and the centre's wards", len(codes), twice)
	}
	unit0 := fmt.Sprintf(`data-code="%s"><title>%s: 11 hội thoại, 3 đang chờ, 2 quá hạn SLA, 2 câu chưa trả lời được</title>`, r.code(0), r.name(0))
	if !strings.Contains(page, unit0) || !strings.Contains(page, `class="l4 breach" d="`) {
		t.Errorf("the map does not show %s's load", r.name(0))
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
	if res.StatusCode != http.StatusOK || strings.Contains(part, "<html") || !strings.Contains(part, "cập nhật lúc") ||
		!strings.Contains(part, "<table>") || !strings.Contains(part, `<svg class="map"`) {
		t.Errorf("partial: %d\n%.300s", res.StatusCode, part)
	}

	res = r.get("admin", dashboard.BasePath+"/?day=2025-06-28")
	old := body(t, res)
	if !strings.Contains(old, "Số liệu ngày 28/06/2025") || !strings.Contains(old, `data-refresh="0"`) ||
		!strings.Contains(old, "14 ngày (15/06 – 28/06)") || !strings.Contains(old, `value="2025-06-28"`) {
		t.Errorf("another day's page:\n%.2000s", old)
	}
	res = r.get("admin", dashboard.BasePath+"/?day=2025-07-01")
	today := body(t, res)
	if !strings.Contains(today, "Số liệu hôm nay, 01/07/2025 (00:00 – 10:00)") || !strings.Contains(today, `data-refresh="10"`) {
		t.Errorf("today's page:\n%.2000s", today)
	}
}

// rowUnit reads the units' names from a table's rows.
var rowUnit = regexp.MustCompile(`<th scope="row" class="unit">(?:<a href="#u-[^"]+">)?([^<]+)`)

// tableUnits are the units of the full table, in order (not the totals).
func tableUnits(page string) []string {
	i := strings.Index(page, `id="units"`)
	if i < 0 {
		return nil
	}
	var out []string
	for _, m := range rowUnit.FindAllStringSubmatch(page[i:], -1) {
		if m[1] != "Tổng cộng" {
			out = append(out, m[1])
		}
	}
	return out
}

// worstUnits are the units of the worst units' ranking, in order.
func worstUnits(page string) []string {
	i, j := strings.Index(page, `id="worst"`), strings.Index(page, `id="units"`)
	if i < 0 || j < i {
		return nil
	}
	var out []string
	for _, m := range rowUnit.FindAllStringSubmatch(page[i:j], -1) {
		out = append(out, m[1])
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// TestSort: every column of both tables sorts by a plain link (?sort=,
// ?dir=, ?worst=); the header says which (aria-sort) and links to the
// other direction; the page's script follows the same links.
func TestSort(t *testing.T) {
	r := newRig(t)
	r.seed()
	byName := slices.Sorted(slices.Values(tableUnits(body(t, r.get("admin", dashboard.BasePath+"/")))))
	tests := []struct {
		query      string
		table      []string // the first units of the full table
		worst      []string
		sortedBy   string // the header marked, and how
		toggleLink string // a link the page must hold
	}{
		{"?sort=name", byName[:3], nil, `aria-sort="ascending"><a href="/console/dashboard/?dir=desc&amp;sort=name#units"`, ""},
		{"?sort=name&dir=desc", []string{byName[168], byName[167]}, nil, `aria-sort="descending"><a href="/console/dashboard/?sort=name#units"`, ""},
		{"?sort=breaches", []string{r.name(2)}, nil, `aria-sort="descending"><a href="/console/dashboard/?dir=asc&amp;sort=breaches#units"`, ""},
		{"?sort=wait", []string{"Cấp Thành phố", r.name(2), r.name(1), r.name(0)}, nil, "", ""},
		{"?sort=csat", []string{r.name(0)}, nil, "", ""},
		{"?sort=unanswered", []string{r.name(1), r.name(0)}, nil, "", ""},
		{"?sort=chats", []string{r.name(0), r.name(1), r.name(2)}, nil, "", ""}, // 11, 10, 8
		{"?worst=wait", nil, []string{"Cấp Thành phố", r.name(2), r.name(1), r.name(0), r.name(4), r.name(3)},
			`aria-sort="descending"><a href="/console/dashboard/?worst=wait#worst"`, "xếp theo thời gian chờ lâu nhất"},
		{"?worst=unanswered", nil, []string{r.name(1), r.name(0), r.name(2), "Cấp Thành phố", r.name(4), r.name(3)}, "", ""},
		{"?worst=queued&sort=name", byName[:1], []string{r.name(2), r.name(1), r.name(0), "Cấp Thành phố", r.name(4), r.name(3)},
			`<a href="/console/dashboard/?sort=name#worst" data-sort>Quá hạn SLA</a>`, ""},
		{"?sort=nonsense&worst=nonsense", []string{r.name(2)}, []string{r.name(2), "Cấp Thành phố"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			page := body(t, r.get("admin", dashboard.BasePath+"/"+tt.query))
			if got := tableUnits(page); len(got) < len(tt.table) || !slices.Equal(got[:len(tt.table)], tt.table) {
				t.Errorf("table starts %q, want %q", got[:min(len(got), 5)], tt.table)
			}
			if got := worstUnits(page); tt.worst != nil && (len(got) < len(tt.worst) || !slices.Equal(got[:len(tt.worst)], tt.worst)) {
				t.Errorf("worst %q, want %q", got, tt.worst)
			}
			for _, s := range []string{tt.sortedBy, tt.toggleLink} {
				if s != "" && !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			// The CSV has the same order.
			rows := readCSV(t, r.get("admin", dashboard.BasePath+"/export.csv"+tt.query))
			for i, name := range tt.table {
				if rows[1+i][1] != name {
					t.Errorf("CSV row %d is %q, want %q", 1+i, rows[1+i][1], name)
				}
			}
		})
	}
}

func readCSV(t *testing.T, res *http.Response) [][]string {
	t.Helper()
	raw := []byte(body(t, res))
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatalf("CSV: status %d, starts % x", res.StatusCode, raw[:min(len(raw), 8)])
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExportCSV(t *testing.T) {
	r := newRig(t)
	r.seed()
	r.queue(now.Add(-time.Minute), r.code(7), "cong-thuc") // a procedure named like a formula
	res := r.get("admin", dashboard.BasePath+"/export.csv")
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="bang-dieu-khien-units-2025-07-01-1000.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows := readCSV(t, res)
	if len(rows) != 1+169+1 {
		t.Errorf("%d rows, want header + 169 units + totals", len(rows))
	}
	want := "Mã đơn vị,Đơn vị,Đang chờ,Đang xử lý,Chờ lâu nhất (phút),Chờ trung bình (phút),Quá hạn SLA,Số cuộc chuyển,Cuộc chuyển/giờ,Số hội thoại,Hội thoại/giờ,Tỉ lệ chuyển cán bộ (%),CSAT,Lượt đánh giá,Câu chưa trả lời được,Việc hỏi nhiều"
	if got := strings.Join(rows[0], ","); got != want {
		t.Errorf("header\n%s\nwant\n%s", got, want)
	}
	// Most loaded first: queued 21, 66 and 111 minutes ago, all past the
	// 5-minute SLA.
	if first := rows[1]; first[0] != r.code(2) || first[1] != r.name(2) || first[2] != "3" ||
		first[4] != "111.0" || first[5] != "66.0" || first[6] != "3" || first[12] != "" {
		t.Errorf("first row %q", first)
	}
	// Unit 0: queued 3, 48 and 93 minutes ago (the first not yet due), one
	// answered in time, closed and rated 4; 11 chats over the 3 h 23 min the
	// data covers; 2 questions unanswered.
	var u0, u7 []string
	for _, row := range rows {
		switch row[0] {
		case r.code(0):
			u0 = row
		case r.code(7):
			u7 = row
		}
	}
	if u0 == nil || u0[2] != "3" || u0[4] != "93.0" || u0[6] != "2" || u0[7] != "4" || u0[8] != "1.18" ||
		u0[9] != "11" || u0[10] != "3.25" || u0[12] != "4.00" || u0[13] != "1" || u0[14] != "2" {
		t.Errorf("%s row %q", r.name(0), u0)
	}
	if u7 == nil || u7[15] != "'=HYPERLINK(\"http://x\") (1)" {
		t.Errorf("a formula-like cell is not neutralised: %q", u7)
	}
	if last := rows[len(rows)-1]; last[1] != "Tổng cộng" || last[2] != "16" {
		t.Errorf("totals %q", last)
	}

	worst := readCSV(t, r.get("admin", dashboard.BasePath+"/export.csv?table=worst&worst=wait"))
	if len(worst) != 1+7 || worst[1][1] != "Cấp Thành phố" || worst[0][0] != "Mã đơn vị" {
		t.Errorf("worst CSV %q", worst)
	}
	days := readCSV(t, r.get("admin", dashboard.BasePath+"/export.csv?table=days"))
	if len(days) != 1+14 || strings.Join(days[0], ",") != "Từ ngày,Đến ngày,Chưa hết kỳ,Hội thoại,Chuyển cán bộ,Quá hạn SLA,CSAT,Lượt đánh giá" ||
		strings.Join(days[14], ",") != "2025-07-01,2025-07-01,có,51,17,13,4.00,1" {
		t.Errorf("days CSV %q", days)
	}
	weeks := readCSV(t, r.get("admin", dashboard.BasePath+"/export.csv?table=weeks&day=2025-06-28"))
	if len(weeks) != 1+8 || weeks[8][0] != "2025-06-23" || weeks[8][1] != "2025-06-29" || weeks[8][2] != "" || weeks[8][3] != "0" {
		t.Errorf("weeks CSV (to 28/06) %q", weeks)
	}
}

// TestRatesAt0117: at 01:17 the rates are over the time the data covers,
// and the page says which: the last 24 hours when yesterday's data is
// there, since the first chat when the data begins after midnight, and no
// rate under an hour — never "3 chats in the 1.28 hours since midnight"
// when a whole day's data is there.
func TestRatesAt0117(t *testing.T) {
	at0117 := time.Date(2025, 6, 30, 18, 17, 0, 0, time.UTC)
	vn := func(h, m int) time.Time { return time.Date(2025, 6, 30, 17+h, m, 0, 0, time.UTC) } // 1 July, Vietnam
	tests := []struct {
		name      string
		yesterday bool
		first     time.Time
		want      []string
	}{
		{"yesterday's data is there", true, vn(0, 5), []string{
			"Số liệu 24 giờ qua (từ 01:17 30/06)", `<span class="value">1,0</span>`, "24 cuộc trong 24 giờ qua"}},
		{"the data begins at midnight", false, vn(0, 0), []string{
			"Số liệu 1 giờ 17 phút qua (dữ liệu có từ 00:00 01/07)", `<span class="value">2,3</span>`, "3 cuộc trong 1 giờ 17 phút qua"}},
		{"the data begins at 00:50", false, vn(0, 50), []string{
			"Số liệu 27 phút qua (dữ liệu có từ 00:50 01/07)", "3 cuộc trong 27 phút qua · chưa đủ 1 giờ để tính"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.now = at0117
			if tt.yesterday {
				r.queue(at0117.Add(-48*time.Hour), r.code(3), "") // the data begins on 29 June
				for i := range 21 {
					r.queue(vn(9, 0).Add(-24*time.Hour+time.Duration(i)*20*time.Minute), r.code(3), "")
				}
			}
			for _, at := range []time.Time{tt.first, vn(1, 0), vn(1, 10)} {
				r.queue(at, r.code(4), "")
			}
			page := body(t, r.get("admin", dashboard.BasePath+"/"))
			for _, s := range tt.want {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q\n%s", s, cards(page))
				}
			}
		})
	}
}

// cards is the page's key figures, for a failure message.
func cards(page string) string {
	i, j := strings.Index(page, `<p class="updated">`), strings.Index(page, `<div class="lead">`)
	if i < 0 || j < i {
		return page
	}
	return page[i:j]
}

// TestMapSize: the map of the 168 units, simplified from the KB's 5 MB
// of boundaries, stays small.
func TestMapSize(t *testing.T) {
	r := newRig(t)
	page := body(t, r.get("admin", dashboard.BasePath+"/"))
	i, j := strings.Index(page, `<svg class="map"`), strings.Index(page, `</svg>`)
	if i < 0 || j < i {
		t.Fatal("no map")
	}
	size := j - i
	t.Logf("map SVG: %d bytes; whole page: %d bytes", size, len(page))
	if size > 300_000 || size < 20_000 {
		t.Errorf("the map is %d bytes, want 20–300 KB", size)
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
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), r.name(167)) {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
