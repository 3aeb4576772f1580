package dashboard

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"github.com/hoiphuong/hoiphuong/knowledge/csvcell"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
)

// utf8BOM makes Excel read the file as UTF-8 (Vietnamese letters).
const utf8BOM = "\ufeff"

// csvHeader are the export's columns: the table's, with raw numbers.
var csvHeader = []string{
	"Mã đơn vị", "Đơn vị", "Đang chờ", "Đang xử lý", "Chờ lâu nhất (phút)", "Chờ trung bình (phút)",
	"Quá hạn SLA", "Số cuộc chuyển", "Cuộc/giờ", "Số hội thoại", "Tỉ lệ chuyển cán bộ (%)",
	"CSAT", "Lượt đánh giá", "Việc hỏi nhiều",
}

// export handles GET /export.csv: one row per unit, then the totals.
func (d *Dashboard) export(w http.ResponseWriter, r *http.Request) {
	db, ok := d.figures(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	_ = cw.Write(csvHeader)
	for _, row := range db.Rows {
		_ = cw.Write(csvcell.EscapeRow(csvRow(row)))
	}
	_ = cw.Write(csvRow(db.Total))
	cw.Flush()
	if err := cw.Error(); err != nil {
		d.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bang-dieu-khien-%s.csv"`, db.Day.Format(dayLayout)))
	_, _ = w.Write(buf.Bytes())
}

func csvRow(r handoff.DashboardRow) []string {
	minutes := func(d time.Duration) string { return strconv.FormatFloat(d.Minutes(), 'f', 1, 64) }
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	rate, score := "", ""
	if r.HasRate {
		rate = strconv.FormatFloat(100*r.HandoffRate, 'f', 1, 64)
	}
	if r.CSATCount > 0 {
		score = num(r.CSAT)
	}
	matters := make([]string, len(r.Matters))
	for i, m := range r.Matters {
		matters[i] = fmt.Sprintf("%s (%d)", m.Name, m.Count)
	}
	return []string{
		r.UnitCode, cell(r.UnitName), strconv.Itoa(r.Queued), strconv.Itoa(r.Owned),
		minutes(r.MaxWait), minutes(r.AvgWait), strconv.Itoa(r.Breaches), strconv.Itoa(r.Handoffs),
		num(r.PerHour), strconv.Itoa(r.Conversations), rate, score, strconv.Itoa(r.CSATCount),
		cell(strings.Join(matters, "; ")),
	}
}

// cell keeps a text from being read as a formula by a spreadsheet.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
