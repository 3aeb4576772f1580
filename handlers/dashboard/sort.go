package dashboard

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
)

// column is a sortable column of the units' table or of the worst units'.
type column struct {
	Key, Label string
	Phrase     string // how the worst units' ranking says it is ordered
	// asc: the column sorts ascending by default (names); numbers start
	// with the largest.
	asc bool
	by  func(a, b handoff.DashboardRow) int // ascending
}

// The columns; the table's default order is the desk's (most loaded first).
var (
	colName       = column{Key: "name", Label: "Đơn vị", asc: true, by: func(a, b handoff.DashboardRow) int { return strings.Compare(a.UnitName, b.UnitName) }}
	colQueued     = column{Key: "queued", Label: "Đang chờ", Phrase: "số người đang chờ", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.Queued, b.Queued) }}
	colWait       = column{Key: "wait", Label: "Chờ lâu nhất", Phrase: "thời gian chờ lâu nhất", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.MaxWait, b.MaxWait) }}
	colAvgWait    = column{Key: "avgwait", Label: "Chờ trung bình", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.AvgWait, b.AvgWait) }}
	colBreaches   = column{Key: "breaches", Label: "Quá hạn SLA", Phrase: "số cuộc quá hạn SLA", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.Breaches, b.Breaches) }}
	colChats      = column{Key: "chats", Label: "Hội thoại", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.Conversations, b.Conversations) }}
	colHandoffs   = column{Key: "handoffs", Label: "Chuyển cán bộ", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.Handoffs, b.Handoffs) }}
	colPerHour    = column{Key: "perhour", Label: "Cuộc chuyển/giờ", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.PerHour, b.PerHour) }}
	colRate       = column{Key: "rate", Label: "Tỉ lệ chuyển cán bộ", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(rateKey(a), rateKey(b)) }}
	colCSAT       = column{Key: "csat", Label: "CSAT", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(csatKey(a), csatKey(b)) }}
	colUnanswered = column{Key: "unanswered", Label: "Chưa trả lời được", Phrase: "số câu bot chưa trả lời được", by: func(a, b handoff.DashboardRow) int { return cmp.Compare(a.UnresolvedCount, b.UnresolvedCount) }}

	tableColumns = []column{colName, colQueued, colWait, colAvgWait, colBreaches, colChats, colHandoffs, colPerHour, colRate, colCSAT, colUnanswered}
	worstColumns = []column{colBreaches, colWait, colQueued, colUnanswered}
)

// rateKey and csatKey sort the units without a rate or a rating below all.
func rateKey(r handoff.DashboardRow) float64 {
	if !r.HasRate {
		return -1
	}
	return r.HandoffRate
}

func csatKey(r handoff.DashboardRow) float64 {
	if r.CSATCount == 0 {
		return -1
	}
	return r.CSAT
}

// worstSize is how many units the worst units' ranking shows.
const worstSize = 10

// view is how the page is asked to show things: the day (?day=, absent:
// the live 24 hours), the table's order (?sort=, ?dir=asc|desc) and the
// worst units' ranking (?worst=).
type view struct {
	Day        string // YYYY-MM-DD or ""
	Sort, Dir  string // "" : the default order
	Worst      string // a worstColumns key ("": breaches)
	tableCol   *column
	worstCol   column
	descending bool
}

// readView reads the query; unknown values fall back to the defaults.
func readView(q url.Values) view {
	v := view{Day: q.Get("day"), worstCol: colBreaches}
	if c, ok := findColumn(tableColumns, q.Get("sort")); ok {
		v.Sort, v.tableCol = c.Key, &c
		v.descending = !c.asc
		switch q.Get("dir") {
		case "asc":
			v.Dir, v.descending = "asc", false
		case "desc":
			v.Dir, v.descending = "desc", true
		}
	}
	if c, ok := findColumn(worstColumns, q.Get("worst")); ok && c.Key != colBreaches.Key {
		v.Worst, v.worstCol = c.Key, c
	}
	return v
}

func findColumn(cols []column, key string) (column, bool) {
	i := slices.IndexFunc(cols, func(c column) bool { return c.Key == key })
	if i < 0 {
		return column{}, false
	}
	return cols[i], true
}

// query writes v back as a query string ("" or "?…"), with changes.
func (v view) query(change func(*view)) string {
	if change != nil {
		change(&v)
	}
	q := url.Values{}
	for _, kv := range [][2]string{{"day", v.Day}, {"sort", v.Sort}, {"dir", v.Dir}, {"worst", v.Worst}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// sortTable orders rows by the chosen column (ties: the desk's order).
func (v view) sortTable(rows []handoff.DashboardRow) []handoff.DashboardRow {
	if v.tableCol == nil {
		return rows
	}
	out := slices.Clone(rows)
	by := v.tableCol.by
	slices.SortStableFunc(out, func(a, b handoff.DashboardRow) int {
		if v.descending {
			return by(b, a)
		}
		return by(a, b)
	})
	return out
}

// worstUnits ranks the units that have something wrong — an SLA breach,
// someone waiting, a question the bot could not answer — by the chosen
// column, then by breaches, longest wait, questions unanswered and
// queued, and keeps the first worstSize. total is how many qualified.
func (v view) worstUnits(rows []handoff.DashboardRow) (worst []handoff.DashboardRow, total int) {
	for _, r := range rows {
		if r.Breaches > 0 || r.Queued > 0 || r.UnresolvedCount > 0 {
			worst = append(worst, r)
		}
	}
	first := v.worstCol.by
	slices.SortStableFunc(worst, func(a, b handoff.DashboardRow) int {
		return cmp.Or(first(b, a), colBreaches.by(b, a), colWait.by(b, a), colUnanswered.by(b, a), colQueued.by(b, a),
			colName.by(a, b))
	})
	return worst[:min(len(worst), worstSize)], len(worst)
}
