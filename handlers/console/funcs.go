package console

import (
	"fmt"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"html/template"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
)

func (c *Console) funcs() template.FuncMap {
	fm := template.FuncMap{
		"vnDate":   vnDate,
		"static":   c.assets.URL,
		"clock":    clock,
		"minutes":  minutes,
		"channel":  channelName,
		"unitName": c.desk.UnitName,
		"outcome":  handoff.OutcomeName,
		"firstLine": func(s string) string {
			first, _, _ := strings.Cut(s, "\n")
			return first
		},
		"lines":  func(s string) []string { return strings.Split(s, "\n") },
		"join":   strings.Join,
		"reason": reasonName,
	}
	for k, v := range staffpage.Funcs() {
		fm[k] = v
	}
	return fm
}

// clock is "HH:MM dd/mm" in Vietnam's time ("" for the zero time).
func clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(staffpage.Zone).Format("15:04 02/01")
}

// minutes says a wait: "12 phút", "1 giờ 5 phút".
func minutes(d time.Duration) string {
	m := int(d / time.Minute)
	if m < 60 {
		return fmt.Sprintf("%d phút", max(m, 0))
	}
	return fmt.Sprintf("%d giờ %d phút", m/60, m%60)
}

func channelName(ch string) string {
	switch ch {
	case "web":
		return "Web"
	case "telegram":
		return "Telegram"
	case "zalo-oa":
		return "Zalo OA"
	case "zalo-bot":
		return "Zalo Bot"
	case "cli":
		return "Dòng lệnh"
	}
	return ch
}

// reasonName says why a chat was handed off.
func reasonName(r string) string {
	switch r {
	case bot.ReasonRequested:
		return "Công dân yêu cầu gặp cán bộ"
	case bot.ReasonComplaint:
		return "Công dân phản ánh, khiếu nại"
	case bot.ReasonMisses:
		return "Trợ lý chưa trả lời được"
	}
	return r
}

// vnDate writes a YYYY-MM-DD day as dd/mm/yyyy (as typed; unchanged when
// it is not a date).
func vnDate(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
