package handoff

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// LiveWindow is the window of the live dashboard: the last 24 hours, so
// that just after midnight a leader still sees a whole day's activity.
const LiveWindow = 24 * time.Hour

// MinRateWindow is the least time a rate (chats per hour) is computed
// over: below it the counts are shown without a rate.
const MinRateWindow = time.Hour

// Dashboard is the city dashboard: the live load of every unit the viewer
// may see, and what happened during a window — the last 24 hours (the live
// view) or one calendar day, Vietnam time.
type Dashboard struct {
	From, To time.Time // the window, Vietnam time (To: Now in the live view)
	Now      time.Time // when the figures were taken, Vietnam time
	Live     bool      // the window is the LiveWindow up to Now
	Day      time.Time // the calendar day shown (its midnight); zero when Live
	Today    bool      // Day is the current day: the window ends at Now
	// Covered is the part of the window the data covers: from the later of
	// From and the first conversation stored, to the earlier of To and
	// Now. Rates are per hour of Covered, and only when it is at least
	// MinRateWindow (HasRates).
	Covered  time.Duration
	HasRates bool
	CityWide bool // the viewer sees every unit (a city admin)
	// Rows are the units, most loaded first: most queued, then longest
	// wait, most breaches, most owned, most handoffs, then by name.
	Rows []DashboardRow
	// Total sums the rows (waits: the longest and the mean over all queued).
	Total DashboardRow
	// Matters and Unresolved are the tops over the viewer's units.
	Matters    []Matter
	Unresolved []store.Unresolved
}

// DashboardRow is one unit's figures.
type DashboardRow struct {
	UnitCode, UnitName string
	// Now.
	Queued, Owned    int
	MaxWait, AvgWait time.Duration
	// During the window.
	Handoffs, Breaches int
	Conversations      int     // conversations about the unit active in the window
	PerHour            float64 // handoffs per hour of Dashboard.Covered (HasRates)
	ChatsPerHour       float64 // conversations per hour of Dashboard.Covered (HasRates)
	HandoffRate        float64 // Handoffs / Conversations (HasRate: Conversations > 0)
	HasRate            bool
	CSAT               float64 // mean rating, 1–5 (CSATCount 0: none)
	CSATCount          int
	Matters            []Matter
	Unresolved         []store.Unresolved // the most asked
	UnresolvedCount    int                // every question the bot could not answer
}

// Matter is a procedure and how many handoffs were about it.
type Matter struct {
	ProcedureID, Name string
	Count             int
}

// Dashboard returns the figures of the units u may see — a city admin
// every unit and the city queue, a supervisor their units; anyone else
// gets ErrForbidden — over the last 24 hours when day is zero, else over
// the calendar day containing day (Vietnam time; today: up to now).
func (d *Desk) Dashboard(ctx context.Context, u staff.User, day time.Time) (Dashboard, error) {
	units, cityWide, err := d.dashboardUnits(u)
	if err != nil {
		return Dashboard{}, err
	}
	now := d.cfg.Now().In(zone)
	out := Dashboard{Now: now, CityWide: cityWide, Live: day.IsZero()}
	if out.Live {
		out.From, out.To = now.Add(-LiveWindow), now
	} else {
		day = day.In(zone)
		out.Day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone)
		out.From, out.To = out.Day, out.Day.AddDate(0, 0, 1)
		out.Today = !now.Before(out.From) && now.Before(out.To)
	}
	to := out.To
	if out.Live {
		to = now.Add(time.Nanosecond) // what happened at this very instant counts
	}
	st, err := d.st.Stats(ctx, store.StatsWindow{From: out.From, To: to, Now: now, Units: units})
	if err != nil {
		return Dashboard{}, err
	}
	out.Covered = covered(out.From, out.To, now, st.DataSince)
	out.HasRates = out.Covered >= MinRateWindow
	byCode := make(map[string]store.UnitStats, len(st.Units))
	for _, us := range st.Units {
		byCode[us.UnitCode] = us
	}
	out.Matters, out.Unresolved = d.matters(st.Matters), st.Unresolved
	out.Rows = make([]DashboardRow, 0, len(units))
	for _, code := range units {
		us := byCode[code]
		us.UnitCode = code
		out.Rows = append(out.Rows, d.dashboardRow(us))
	}
	slices.SortFunc(out.Rows, byLoad)
	out.Total = total(out.Rows)
	out.Total.Matters = out.Matters[:min(len(out.Matters), store.TopMattersPerUnit)]
	for i := range out.Rows {
		out.rates(&out.Rows[i])
	}
	out.rates(&out.Total)
	return out, nil
}

// covered is the part of [from, to) the data covers at now, the data
// beginning at since (zero: no data, nothing covered).
func covered(from, to, now, since time.Time) time.Duration {
	if since.IsZero() {
		return 0
	}
	start, end := from, to
	if since.After(start) {
		start = since
	}
	if now.Before(end) {
		end = now
	}
	return max(end.Sub(start), 0)
}

// rates fills a row's per-hour figures over the covered window.
func (db Dashboard) rates(r *DashboardRow) {
	if !db.HasRates {
		return
	}
	hours := db.Covered.Hours()
	r.PerHour = float64(r.Handoffs) / hours
	r.ChatsPerHour = float64(r.Conversations) / hours
}

// dashboardUnits is what u's dashboard covers.
func (d *Desk) dashboardUnits(u staff.User) (units []string, cityWide bool, err error) {
	switch {
	case !u.CanSeeReports():
		return nil, false, ErrForbidden
	case u.IsCityAdmin():
		refs := d.cfg.Catalog.Units()
		units = make([]string, 0, len(refs)+1)
		for _, r := range refs {
			units = append(units, r.Code)
		}
		return append(units, staff.CityQueue), true, nil
	}
	return slices.Clone(u.Units), false, nil
}

func (d *Desk) dashboardRow(us store.UnitStats) DashboardRow {
	r := DashboardRow{
		UnitCode: us.UnitCode, UnitName: d.UnitName(us.UnitCode),
		Queued: us.Queued, Owned: us.Owned, MaxWait: us.MaxWait, AvgWait: us.AvgWait,
		Handoffs: us.Handoffs, Breaches: us.Breaches, Conversations: us.Conversations,
		CSATCount: us.CSATCount, CSAT: us.CSAT(), Matters: d.matters(us.Matters),
		Unresolved: us.Unresolved, UnresolvedCount: us.UnresolvedCount,
	}
	if r.Conversations > 0 {
		r.HandoffRate, r.HasRate = float64(r.Handoffs)/float64(r.Conversations), true
	}
	return r
}

func (d *Desk) matters(ms []store.MatterCount) []Matter {
	out := make([]Matter, len(ms))
	for i, m := range ms {
		name, ok := d.cfg.Catalog.Procedure(m.ProcedureID)
		if !ok {
			name = m.ProcedureID
		}
		out[i] = Matter{ProcedureID: m.ProcedureID, Name: name, Count: m.Count}
	}
	return out
}

// byLoad orders the most loaded unit first.
func byLoad(a, b DashboardRow) int {
	return cmp.Or(
		cmp.Compare(b.Queued, a.Queued),
		cmp.Compare(b.MaxWait, a.MaxWait),
		cmp.Compare(b.Breaches, a.Breaches),
		cmp.Compare(b.Owned, a.Owned),
		cmp.Compare(b.Handoffs, a.Handoffs),
		strings.Compare(a.UnitName, b.UnitName),
	)
}

// total sums the rows into the totals row.
func total(rows []DashboardRow) DashboardRow {
	t := DashboardRow{UnitName: "Tổng cộng"}
	var waited time.Duration
	var csatSum float64
	for _, r := range rows {
		t.Queued += r.Queued
		t.Owned += r.Owned
		t.MaxWait = max(t.MaxWait, r.MaxWait)
		waited += r.AvgWait * time.Duration(r.Queued)
		t.Handoffs += r.Handoffs
		t.Breaches += r.Breaches
		t.Conversations += r.Conversations
		t.UnresolvedCount += r.UnresolvedCount
		t.CSATCount += r.CSATCount
		csatSum += r.CSAT * float64(r.CSATCount)
	}
	if t.Queued > 0 {
		t.AvgWait = waited / time.Duration(t.Queued)
	}
	if t.CSATCount > 0 {
		t.CSAT = csatSum / float64(t.CSATCount)
	}
	if t.Conversations > 0 {
		t.HandoffRate, t.HasRate = float64(t.Handoffs)/float64(t.Conversations), true
	}
	return t
}
