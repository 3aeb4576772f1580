package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
)

// utf8BOM makes Excel read the file as UTF-8 (Vietnamese letters).
const utf8BOM = "\ufeff"

// csvHeader are the units' columns: the table's, with raw numbers.
var csvHeader = []string{
	"Mã đơn vị", "Đơn vị", "Đang chờ", "Đang xử lý", "Chờ lâu nhất (phút)", "Chờ trung bình (phút)",
	"Quá hạn SLA", "Số cuộc chuyển", "Cuộc chuyển/giờ", "Số hội thoại", "Hội thoại/giờ", "Tỉ lệ chuyển cán bộ (%)",
	"CSAT", "Lượt đánh giá", "Câu chưa trả lời được", "Việc hỏi nhiều",
}

// trendHeader are the trends' columns.
var trendHeader = []string{"Từ ngày", "Đến ngày", "Chưa hết kỳ", "Hội thoại", "Chuyển cán bộ", "Quá hạn SLA", "CSAT", "Lượt đánh giá"}

// export handles GET /export.csv: what the page shows, for the same window
// and order (readView's parameters). ?table= chooses the table: units
// (default: every unit, then the totals), worst (the ranking), days or
// weeks (the trends). Text cells are kept from being read as formulas.
func (d *Dashboard) export(w http.ResponseWriter, r *http.Request) {
	v := readView(r.URL.Query())
	db, ok := d.figures(w, r, v)
	if !ok {
		return
	}
	table := r.URL.Query().Get("table")
	var rows [][]string
	switch table {
	case "days", "weeks":
		tr, err := d.trends.trends(r.Context(), userOf(r), trendsEnd(db))
		if err != nil {
			d.fail(w, r, err)
			return
		}
		ps := tr.Days
		if table == "weeks" {
			ps = tr.Weeks
		}
		rows = append(rows, trendHeader)
		for _, p := range ps {
			rows = append(rows, trendRow(p))
		}
	case "worst":
		worst, _ := v.worstUnits(db.Rows)
		rows = append(rows, csvHeader)
		for _, row := range worst {
			rows = append(rows, csvRow(row, db))
		}
	default:
		table = "units"
		rows = append(rows, csvHeader)
		for _, row := range v.sortTable(db.Rows) {
			rows = append(rows, csvRow(row, db))
		}
		rows = append(rows, csvRow(db.Total, db))
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	for _, row := range rows {
		_ = cw.Write(csvcell.EscapeRow(row))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		d.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bang-dieu-khien-%s-%s.csv"`, table, fileDate(db)))
	_, _ = w.Write(buf.Bytes())
}

// fileDate names the window in a file name: the day, or the live
// window's end ("2025-07-01-1000").
func fileDate(db handoff.Dashboard) string {
	if db.Live {
		return db.Now.Format("2006-01-02-1504")
	}
	return db.Day.Format(dayLayout)
}

func csvRow(r handoff.DashboardRow, db handoff.Dashboard) []string {
	minutes := func(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', 1, 64) }
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	rate, score, perHour, chatsPerHour := "", "", "", ""
	if r.HasRate {
		rate = strconv.FormatFloat(100*r.HandoffRate, 'f', 1, 64)
	}
	if r.CSATCount > 0 {
		score = num(r.CSAT)
	}
	if db.HasRates {
		perHour, chatsPerHour = num(r.PerHour), num(r.ChatsPerHour)
	}
	matters := make([]string, len(r.Matters))
	for i, m := range r.Matters {
		matters[i] = fmt.Sprintf("%s (%d)", m.Name, m.Count)
	}
	return []string{
		r.UnitCode, r.UnitName, strconv.Itoa(r.Queued), strconv.Itoa(r.Owned),
		minutes(r.MaxWait), minutes(r.AvgWait), strconv.Itoa(r.Breaches), strconv.Itoa(r.Handoffs),
		perHour, strconv.Itoa(r.Conversations), chatsPerHour, rate, score, strconv.Itoa(r.CSATCount),
		strconv.Itoa(r.UnresolvedCount), strings.Join(matters, "; "),
	}
}

func trendRow(p handoff.Period) []string {
	partial, score := "", ""
	if p.Partial {
		partial = "có"
	}
	if s, ok := p.CSAT(); ok {
		score = strconv.FormatFloat(s, 'f', 2, 64)
	}
	return []string{
		p.From.Format(dayLayout), p.To.AddDate(0, 0, -1).Format(dayLayout), partial,
		strconv.Itoa(p.Chats), strconv.Itoa(p.Handoffs), strconv.Itoa(p.Breaches), score, strconv.Itoa(p.CSATCount),
	}
}
