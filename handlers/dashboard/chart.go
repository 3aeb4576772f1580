package dashboard

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
)

// The trend charts' drawing box (SVG units): bars or a line in the plot
// area, the top value at its left, dates under it.
// The template's viewBox is 0 0 300 112.
const (
	plotLeft, plotRight = 30.0, 296.0
	plotTop, plotBottom = 10.0, 88.0
	csatLow, csatHigh   = 1.0, 5.0
	dayFormat           = "02/01"
)

// trendsView is the trends: four charts by day and four by week.
type trendsView struct {
	DaysLabel, WeeksLabel string
	DaysCSV, WeeksCSV     string
	Days, Weeks           []chartView
}

// chartView is one chart, drawn as SVG by the template.
type chartView struct {
	Title, Latest, Summary string
	Bars                   []barView
	Line                   string // path data (CSAT), "" for bars
	Dots                   []barView
	Top                    string // the value at the top of the plot
	XLabels                []axisLabel
}

type barView struct {
	X, Y, W, H string
	Title      string
	Partial    bool
}

type axisLabel struct {
	X, Text, Anchor string
}

// metric is one series of the trends.
type metric struct {
	title, unit string
	count       func(handoff.Period) int // nil: CSAT
}

var metrics = []metric{
	{"Hội thoại", "hội thoại", func(p handoff.Period) int { return p.Chats }},
	{"Chuyển cán bộ", "cuộc chuyển", func(p handoff.Period) int { return p.Handoffs }},
	{"Quá hạn SLA", "cuộc quá hạn", func(p handoff.Period) int { return p.Breaches }},
	{"Hài lòng (CSAT)", "", nil},
}

func newTrends(tr handoff.Trends, daysCSV, weeksCSV string) trendsView {
	v := trendsView{DaysCSV: daysCSV, WeeksCSV: weeksCSV}
	if len(tr.Days) > 0 {
		v.DaysLabel = fmt.Sprintf("%d ngày (%s – %s)", len(tr.Days), tr.Days[0].From.Format(dayFormat), tr.Days[len(tr.Days)-1].From.Format(dayFormat))
	}
	if len(tr.Weeks) > 0 {
		last := tr.Weeks[len(tr.Weeks)-1]
		v.WeeksLabel = fmt.Sprintf("%d tuần (%s – %s)", len(tr.Weeks), tr.Weeks[0].From.Format(dayFormat), last.To.AddDate(0, 0, -1).Format(dayFormat))
	}
	for _, m := range metrics {
		v.Days = append(v.Days, newChart(m, tr.Days, false))
		v.Weeks = append(v.Weeks, newChart(m, tr.Weeks, true))
	}
	return v
}

// periodName names a period in a title: "02/07", "02/07 (đến 10:00)",
// "tuần 30/06 – 06/07".
func periodName(p handoff.Period, week bool) string {
	s := p.From.Format(dayFormat)
	if week {
		s = "tuần " + s + " – " + p.To.AddDate(0, 0, -1).Format(dayFormat)
	}
	if p.Partial {
		s += " (đến nay)"
	}
	return s
}

func newChart(m metric, ps []handoff.Period, week bool) chartView {
	c := chartView{Title: m.title}
	n := len(ps)
	if n == 0 {
		return c
	}
	slot := (plotRight - plotLeft) / float64(n)
	x := func(i int) float64 { return plotLeft + slot*(float64(i)+0.5) }
	c.XLabels = axis(ps, x, week)
	last := ps[n-1]
	now := "hôm nay"
	if week {
		now = "tuần này"
	}
	if m.count == nil {
		var path strings.Builder
		pen := byte('M')
		for i, p := range ps {
			score, ok := p.CSAT()
			if !ok {
				pen = 'M'
				continue
			}
			y := plotBottom - (score-csatLow)/(csatHigh-csatLow)*(plotBottom-plotTop)
			fmt.Fprintf(&path, "%c%s %s", pen, num(x(i)), num(y))
			pen = 'L'
			c.Dots = append(c.Dots, barView{X: num(x(i)), Y: num(y), Partial: p.Partial,
				Title: fmt.Sprintf("%s: %s/5 (%d lượt)", periodName(p, week), decimal(score), p.CSATCount)})
		}
		c.Line, c.Top = path.String(), "5"
		c.Latest = "chưa có đánh giá " + now
		if score, ok := last.CSAT(); ok {
			c.Latest = fmt.Sprintf("%s/5 %s (%d lượt)", decimal(score), now, last.CSATCount)
		}
		c.Summary = fmt.Sprintf("%s theo %s, thang 1–5: %s", m.title, unitName(week), c.Latest)
		return c
	}
	top := 0
	for _, p := range ps {
		top = max(top, m.count(p))
	}
	scaleTop := max(top, 1)
	c.Top = strconv.Itoa(top)
	for i, p := range ps {
		v := m.count(p)
		h := float64(v) / float64(scaleTop) * (plotBottom - plotTop)
		if v > 0 {
			h = max(h, 1.5) // one chat still shows
		}
		c.Bars = append(c.Bars, barView{X: num(x(i) - slot*0.35), Y: num(plotBottom - h), W: num(slot * 0.7), H: num(h),
			Partial: p.Partial, Title: fmt.Sprintf("%s: %d %s", periodName(p, week), v, m.unit)})
	}
	c.Latest = fmt.Sprintf("%d %s", m.count(last), now)
	c.Summary = fmt.Sprintf("%s theo %s, cao nhất %d; %s", m.title, unitName(week), top, c.Latest)
	return c
}

func unitName(week bool) string {
	if week {
		return "tuần"
	}
	return "ngày"
}

// axis labels the first, middle and last periods.
func axis(ps []handoff.Period, x func(int) float64, week bool) []axisLabel {
	n := len(ps)
	idx := []int{0, n / 2, n - 1}
	if week || n < 3 {
		idx = []int{0, n - 1}
	}
	var out []axisLabel
	for k, i := range idx {
		if k > 0 && i == idx[k-1] {
			continue
		}
		anchor := "middle"
		switch {
		case i == 0:
			anchor = "start"
		case i == n-1:
			anchor = "end"
		}
		xx := x(i)
		if anchor == "start" {
			xx = plotLeft
		} else if anchor == "end" {
			xx = plotRight
		}
		out = append(out, axisLabel{X: num(xx), Text: ps[i].From.Format(dayFormat), Anchor: anchor})
	}
	return out
}

// num writes an SVG number with at most one decimal.
func num(x float64) string { return coord(x) }
