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
	PageURL, ExportURL    string
	DayValue, MaxDayValue string
	Live                  liveData
}

// liveData is the part the page refreshes (template "live").
type liveData struct {
	UpdatedAt  string // HH:MM:SS, Vietnam time
	DayLabel   string // "hôm nay, 01/07/2025"
	Today      bool
	CityWide   bool
	Cards      []card
	Total      rowView
	Rows       []rowView
	Matters    []handoff.Matter
	Unresolved []store.Unresolved
	Staffing   staffingView // queues nobody works (staffing.go)
}

// card is one key figure on top of the page.
type card struct {
	Label, Value, Note string
	Alert              bool
}

// rowView is one line of the table, formatted.
type rowView struct {
	Code, Name       string
	Queued, Owned    int
	MaxWait, AvgWait string
	Breaches         int
	PerHour          string
	Spark            string // SVG polyline points of the hourly series
	Rate, CSAT       string
	Matters          string
	Idle             bool // nothing queued, owned or handed off
}

func newPage(db handoff.Dashboard, u staff.User, csrf string) pageData {
	day := db.Day.Format(dayLayout)
	return pageData{
		UserName: u.Name, CSRF: csrf, QueueURL: queuePath, LogoutURL: logoutPath,
		PageURL: BasePath + "/", ExportURL: BasePath + "/export.csv?day=" + day,
		DayValue: day, MaxDayValue: db.Now.Format(dayLayout),
		Live: newLive(db),
	}
}

func newLive(db handoff.Dashboard) liveData {
	label := db.Day.Format("02/01/2006")
	if db.Today {
		label = "hôm nay, " + label
	}
	l := liveData{
		UpdatedAt: db.Now.Format("15:04:05"), DayLabel: label, Today: db.Today, CityWide: db.CityWide,
		Total: newRow(db.Total), Matters: db.Matters, Unresolved: db.Unresolved,
	}
	l.Rows = make([]rowView, len(db.Rows))
	for i, r := range db.Rows {
		l.Rows[i] = newRow(r)
	}
	t := db.Total
	breachLabel := "Quá hạn SLA hôm nay"
	if !db.Today {
		breachLabel = "Quá hạn SLA trong ngày"
	}
	l.Cards = []card{
		{Label: "Đang chờ", Value: strconv.Itoa(t.Queued), Note: fmt.Sprintf("%d đang được xử lý", t.Owned)},
		{Label: "Chờ lâu nhất", Value: duration(t.MaxWait, t.Queued), Note: "trung bình " + duration(t.AvgWait, t.Queued)},
		{Label: breachLabel, Value: strconv.Itoa(t.Breaches), Note: fmt.Sprintf("trên %d cuộc chuyển", t.Handoffs), Alert: t.Breaches > 0},
		{Label: "Cuộc/giờ", Value: decimal(t.PerHour), Note: fmt.Sprintf("%d cuộc trong ngày", t.Handoffs)},
		{Label: "Tỉ lệ chuyển cán bộ", Value: rate(t), Note: fmt.Sprintf("%d hội thoại", t.Conversations)},
		{Label: "CSAT", Value: csat(t), Note: fmt.Sprintf("%d lượt đánh giá", t.CSATCount)},
	}
	return l
}

func newRow(r handoff.DashboardRow) rowView {
	names := make([]string, 0, 3)
	for _, m := range r.Matters[:min(len(r.Matters), 3)] {
		names = append(names, fmt.Sprintf("%s (%d)", m.Name, m.Count))
	}
	return rowView{
		Code: r.UnitCode, Name: r.UnitName, Queued: r.Queued, Owned: r.Owned,
		MaxWait: duration(r.MaxWait, r.Queued), AvgWait: duration(r.AvgWait, r.Queued),
		Breaches: r.Breaches, PerHour: decimal(r.PerHour), Spark: spark(r.Hourly),
		Idle: r.Queued == 0 && r.Owned == 0 && r.Handoffs == 0,
		Rate: rate(r), CSAT: csatShort(r), Matters: strings.Join(names, "; "),
	}
}

// duration reads a wait: "—" with nobody queued, "40 giây", "12 phút",
// "2 giờ 5 phút", "1 ngày 3 giờ".
func duration(d time.Duration, queued int) string {
	switch {
	case queued == 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%d giây", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d phút", int(d.Minutes()))
	case d < 24*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d giờ", h)
		}
		return fmt.Sprintf("%d giờ %d phút", h, m)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%d ngày", days)
	}
	return fmt.Sprintf("%d ngày %d giờ", days, h)
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

// spark draws the hourly series as polyline points in a 48×14 box; ""
// when there is nothing to draw.
func spark(hourly [24]int) string {
	top := 0
	for _, n := range hourly {
		top = max(top, n)
	}
	if top == 0 {
		return ""
	}
	var b strings.Builder
	for i, n := range hourly {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d,%.1f", i*2, 13-12*float64(n)/float64(top))
	}
	return b.String()
}

// sampleDashboard is what New renders once to check the page.
func sampleDashboard() handoff.Dashboard {
	row := handoff.DashboardRow{UnitCode: "26740", UnitName: "Phường Sài Gòn", Queued: 2, MaxWait: time.Hour,
		Breaches: 1, Handoffs: 3, HasRate: true, HandoffRate: 0.1, CSAT: 4.5, CSATCount: 2,
		Matters: []handoff.Matter{{ProcedureID: "p", Name: "Đăng ký khai sinh", Count: 2}}}
	return handoff.Dashboard{Day: time.Now(), Now: time.Now(), Today: true, Rows: []handoff.DashboardRow{row}, Total: row,
		Matters: row.Matters, Unresolved: []store.Unresolved{{Key: "gia vang", Example: "Giá vàng?", Count: 2}}}
}
