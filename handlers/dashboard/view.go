package dashboard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Links of the page.
const (
	queuePath  = "/console"
	logoutPath = "/console/logout"
	usersPath  = "/console/users"
	dayLayout  = "2006-01-02"
)

// pageData is what dashboard.html shows.
type pageData struct {
	UserName, CSRF        string
	QueueURL, LogoutURL   string
	PageURL, LiveURL      string
	DayValue, MaxDayValue string
	Live                  liveData
}

// liveData is the part the page refreshes (template "live").
type liveData struct {
	UpdatedAt  string // HH:MM:SS, Vietnam time
	Window     string // "24 giờ qua (từ 10:00 30/06)", "ngày 28/06/2025" …
	Refresh    bool   // the page refreshes itself (the live 24 hours, or today)
	CityWide   bool
	Cards      []card
	Worst      worstData
	Map        *mapView
	Trends     trendsView
	Table      tableData
	Matters    []handoff.Matter
	Unresolved []store.Unresolved
	Staffing   staffingView // queues nobody works (staffing.go)
	ExportURL  string       // the units' table as shown, as CSV
}

// card is one key figure on top of the page.
type card struct {
	Label, Value, Note string
	Alert              bool
}

// header is a sortable column's header: a link that sorts by it (the
// page's script follows it without reloading).
type header struct {
	Label, URL, Class string
	Sort              string // aria-sort: "descending", "ascending" or ""
}

// worstData is the ranking of the units in trouble.
type worstData struct {
	Headers []header
	Rows    []rowView
	Total   int // units in trouble, shown or not
	By      string
	CSV     string
}

// tableData is every unit's figures.
type tableData struct {
	Headers []header
	Total   rowView
	Rows    []rowView
}

// rowView is one line of a table, formatted.
type rowView struct {
	Rank                int
	Code, Name, Anchor  string
	Queued, Owned       int
	MaxWait, AvgWait    string
	Breaches            int
	Chats, Handoffs     int
	PerHour, Rate, CSAT string
	Unanswered          int
	Matters             string
	Idle                bool // nothing queued, owned or handed off
}

func newPage(db handoff.Dashboard, tr handoff.Trends, v view, m *unitMap, u staff.User, csrf string) pageData {
	return pageData{
		UserName: u.Name, CSRF: csrf, QueueURL: queuePath, LogoutURL: logoutPath,
		PageURL: BasePath + "/", LiveURL: pageURL(v, func(v *view) { v.Day = "" }),
		DayValue: v.Day, MaxDayValue: db.Now.Format(dayLayout),
		Live: newLive(db, tr, v, m),
	}
}

func newLive(db handoff.Dashboard, tr handoff.Trends, v view, m *unitMap) liveData {
	win := windowLabel(db)
	l := liveData{
		UpdatedAt: db.Now.Format("15:04:05"), Window: win, Refresh: db.Live || db.Today, CityWide: db.CityWide,
		Matters: db.Matters, Unresolved: db.Unresolved,
		Cards:     cards(db),
		Map:       newMapView(m, db),
		Trends:    newTrends(tr, exportURL(v, "days"), exportURL(v, "weeks")),
		ExportURL: exportURL(v, ""),
	}
	l.Worst = newWorst(db, v)
	l.Table = tableData{Headers: tableHeaders(v), Total: newRow(db.Total, db)}
	for _, r := range v.sortTable(db.Rows) {
		l.Table.Rows = append(l.Table.Rows, newRow(r, db))
	}
	return l
}

// pageURL is the page's address for v changed by change.
func pageURL(v view, change func(*view)) string { return BasePath + "/" + v.query(change) }

// exportURL is the CSV of a table ("": the units) as v shows it.
func exportURL(v view, table string) string {
	q := v.query(nil)
	if table != "" {
		q += map[bool]string{true: "?", false: "&"}[q == ""] + "table=" + table
	}
	return BasePath + "/export.csv" + q
}

// windowLabel says which time the figures cover: "24 giờ qua (từ 10:00
// 30/06)"; when the data begins inside the window, from when ("1 giờ 17
// phút qua, từ 00:00 01/07: hội thoại đầu tiên"); a past day; today.
func windowLabel(db handoff.Dashboard) string {
	switch {
	case db.Live && db.Covered < db.To.Sub(db.From):
		start := db.To.Add(-db.Covered)
		return fmt.Sprintf("%s qua (dữ liệu có từ %s)", span(db.Covered), start.Format("15:04 02/01"))
	case db.Live:
		return fmt.Sprintf("%s qua (từ %s)", span(db.To.Sub(db.From)), db.From.Format("15:04 02/01"))
	case db.Today:
		return fmt.Sprintf("hôm nay, %s (00:00 – %s)", db.Day.Format("02/01/2006"), db.Now.Format("15:04"))
	}
	return "ngày " + db.Day.Format("02/01/2006")
}

// rateWindow is the window a rate is over, as the note under it says it:
// "24 giờ qua", "1 giờ 17 phút qua", "ngày 28/06/2025".
func rateWindow(db handoff.Dashboard) string {
	switch {
	case db.Live || db.Today:
		return span(db.Covered) + " qua"
	case db.Covered < 24*time.Hour:
		return fmt.Sprintf("%s của ngày %s", span(db.Covered), db.Day.Format("02/01/2006"))
	}
	return "ngày " + db.Day.Format("02/01/2006")
}

func cards(db handoff.Dashboard) []card {
	t := db.Total
	win := rateWindow(db)
	perHour := func(n int, x float64, what string) (string, string) {
		if !db.HasRates {
			return "—", fmt.Sprintf("%d %s trong %s · chưa đủ 1 giờ để tính", n, what, win)
		}
		return decimal(x), fmt.Sprintf("%d %s trong %s", n, what, win)
	}
	chatsValue, chatsNote := perHour(t.Conversations, t.ChatsPerHour, "hội thoại")
	handValue, handNote := perHour(t.Handoffs, t.PerHour, "cuộc")
	if t.HasRate {
		handNote += " (" + rate(t) + " số hội thoại)"
	}
	return []card{
		{Label: "Đang chờ cán bộ", Value: strconv.Itoa(t.Queued), Note: fmt.Sprintf("%d đang được xử lý", t.Owned), Alert: t.Queued > 0 && t.Breaches > 0},
		{Label: "Chờ lâu nhất", Value: duration(t.MaxWait, t.Queued), Note: "trung bình " + duration(t.AvgWait, t.Queued)},
		{Label: "Quá hạn SLA", Value: strconv.Itoa(t.Breaches), Note: fmt.Sprintf("trên %d cuộc chuyển cán bộ", t.Handoffs), Alert: t.Breaches > 0},
		{Label: "Hội thoại/giờ", Value: chatsValue, Note: chatsNote},
		{Label: "Chuyển cán bộ/giờ", Value: handValue, Note: handNote},
		{Label: "Hài lòng (CSAT)", Value: csat(t), Note: fmt.Sprintf("%d lượt đánh giá", t.CSATCount)},
	}
}

func newWorst(db handoff.Dashboard, v view) worstData {
	rows, total := v.worstUnits(db.Rows)
	w := worstData{Total: total, By: v.worstCol.Phrase, CSV: exportURL(v, "worst")}
	for _, c := range worstColumns {
		key := c.Key
		if key == colBreaches.Key {
			key = "" // the default
		}
		h := header{Label: c.Label, Class: "num", URL: pageURL(v, func(v *view) { v.Worst = key })}
		if c.Key == v.worstCol.Key {
			h.Sort = "descending"
		}
		w.Headers = append(w.Headers, h)
	}
	for i, r := range rows {
		rv := newRow(r, db)
		rv.Rank = i + 1
		w.Rows = append(w.Rows, rv)
	}
	return w
}

func tableHeaders(v view) []header {
	var hs []header
	for _, c := range tableColumns {
		h := header{Label: c.Label, Class: "num"}
		if c.Key == colName.Key {
			h.Class = "unit"
		}
		desc := !c.asc
		if v.tableCol != nil && v.tableCol.Key == c.Key {
			h.Sort = "ascending"
			if v.descending {
				h.Sort = "descending"
			}
			desc = !v.descending // a second click turns the order round
		}
		dir := ""
		if desc == c.asc { // not the column's usual direction
			dir = map[bool]string{true: "desc", false: "asc"}[desc]
		}
		h.URL = pageURL(v, func(v *view) { v.Sort, v.Dir = c.Key, dir })
		hs = append(hs, h)
	}
	return hs
}

func newRow(r handoff.DashboardRow, db handoff.Dashboard) rowView {
	names := make([]string, 0, 3)
	for _, m := range r.Matters[:min(len(r.Matters), 3)] {
		names = append(names, fmt.Sprintf("%s (%d)", m.Name, m.Count))
	}
	perHour := "—"
	if db.HasRates {
		perHour = decimal(r.PerHour)
	}
	rv := rowView{
		Code: r.UnitCode, Name: r.UnitName, Queued: r.Queued, Owned: r.Owned,
		MaxWait: unbroken(duration(r.MaxWait, r.Queued)), AvgWait: unbroken(duration(r.AvgWait, r.Queued)),
		Breaches: r.Breaches, Chats: r.Conversations, Handoffs: r.Handoffs, PerHour: perHour,
		Unanswered: r.UnresolvedCount,
		Idle:       r.Queued == 0 && r.Owned == 0 && r.Handoffs == 0,
		Rate:       rate(r), CSAT: csatShort(r), Matters: strings.Join(names, "; "),
	}
	if r.UnitCode != "" {
		rv.Anchor = "u-" + r.UnitCode
	}
	return rv
}

// duration reads a wait: "—" with nobody queued, "40 giây", "12 phút",
// "2 giờ 5 phút", "1 ngày 3 giờ".
func duration(d time.Duration, queued int) string {
	switch {
	case queued == 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%d giây", int(d.Seconds()))
	case d < 24*time.Hour:
		return span(d)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%d ngày", days)
	}
	return fmt.Sprintf("%d ngày %d giờ", days, h)
}

// unbroken keeps each number with its unit on a narrow screen: "1 giờ 51
// phút" breaks only between "1 giờ" and "51 phút".
func unbroken(s string) string {
	words := strings.Split(s, " ")
	pairs := make([]string, 0, (len(words)+1)/2)
	for i := 0; i < len(words); i += 2 {
		if i+1 < len(words) {
			pairs = append(pairs, words[i]+"\u00a0"+words[i+1])
		} else {
			pairs = append(pairs, words[i])
		}
	}
	return strings.Join(pairs, " ")
}

// span reads a length of time in hours and minutes: "27 phút", "1 giờ 17
// phút", "24 giờ".
func span(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d phút", m)
	case m == 0:
		return fmt.Sprintf("%d giờ", h)
	}
	return fmt.Sprintf("%d giờ %d phút", h, m)
}

// decimal writes x with one decimal and a decimal comma ("2,5").
func decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}

func rate(r handoff.DashboardRow) string {
	if !r.HasRate {
		return "—"
	}
	return decimal(100*r.HandoffRate) + "%"
}

func csat(r handoff.DashboardRow) string {
	if r.CSATCount == 0 {
		return "—"
	}
	return decimal(r.CSAT) + "/5"
}

func csatShort(r handoff.DashboardRow) string {
	if r.CSATCount == 0 {
		return "—"
	}
	return fmt.Sprintf("%s (%d)", decimal(r.CSAT), r.CSATCount)
}

// sampleDashboard is what New renders once to check the page.
func sampleDashboard() (handoff.Dashboard, handoff.Trends) {
	row := handoff.DashboardRow{UnitCode: "26740", UnitName: "Phường Sài Gòn", Queued: 2, MaxWait: time.Hour,
		Breaches: 1, Handoffs: 3, Conversations: 30, HasRate: true, HandoffRate: 0.1, CSAT: 4.5, CSATCount: 2,
		PerHour: 0.5, ChatsPerHour: 5, UnresolvedCount: 2,
		Matters: []handoff.Matter{{ProcedureID: "p", Name: "Đăng ký khai sinh", Count: 2}}}
	now := time.Now()
	db := handoff.Dashboard{From: now.Add(-24 * time.Hour), To: now, Now: now, Live: true, Covered: 6 * time.Hour, HasRates: true,
		Rows: []handoff.DashboardRow{row}, Total: row, Matters: row.Matters,
		Unresolved: []store.Unresolved{{Key: "gia vang", Example: "Giá vàng?", Count: 2}}}
	day := handoff.Period{From: now.Add(-24 * time.Hour), To: now, Partial: true, Chats: 3, Handoffs: 1, Breaches: 1, CSATSum: 4, CSATCount: 1}
	return db, handoff.Trends{Days: []handoff.Period{day, day}, Weeks: []handoff.Period{day}}
}
