package handoff

import (
	"context"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// How long the trends reach back.
const (
	TrendDays  = 14
	TrendWeeks = 8
)

// Trends are the dashboard's series: by day and by week (Monday to
// Sunday, Vietnam time), oldest first, the last period holding end.
type Trends struct {
	Days, Weeks []Period
}

// Period is what happened during a day or a week.
type Period struct {
	From, To time.Time // Vietnam time, To excluded
	// Partial: the period is still going on; its figures are so far.
	Partial                   bool
	Chats, Handoffs, Breaches int
	CSATSum, CSATCount        int
}

// CSAT is the mean rating, ok false when there is none.
func (p Period) CSAT() (score float64, ok bool) {
	if p.CSATCount == 0 {
		return 0, false
	}
	return float64(p.CSATSum) / float64(p.CSATCount), true
}

// Trends returns the last TrendDays days and TrendWeeks weeks up to the
// day containing end (Vietnam time) at the units u may see.
func (d *Desk) Trends(ctx context.Context, u staff.User, end time.Time) (Trends, error) {
	units, _, err := d.dashboardUnits(u)
	if err != nil {
		return Trends{}, err
	}
	now := d.cfg.Now().In(zone)
	end = end.In(zone)
	lastDay := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, zone)
	lastWeek := lastDay.AddDate(0, 0, -(int(lastDay.Weekday())+6)%7) // its Monday
	var t Trends
	t.Days = periods(lastDay.AddDate(0, 0, 1-TrendDays), TrendDays, 1, now)
	t.Weeks = periods(lastWeek.AddDate(0, 0, 7*(1-TrendWeeks)), TrendWeeks, 7, now)
	from, to := t.Weeks[0].From, lastDay.AddDate(0, 0, 1)
	hours, err := d.st.Activity(ctx, store.StatsWindow{From: from, To: to, Now: now, Units: units})
	if err != nil {
		return Trends{}, err
	}
	for _, h := range hours {
		at := h.Hour.In(zone)
		add(t.Days, at, h)
		add(t.Weeks, at, h)
	}
	return t, nil
}

// periods are n periods of days days each from first.
func periods(first time.Time, n, days int, now time.Time) []Period {
	out := make([]Period, n)
	for i := range out {
		from := first.AddDate(0, 0, i*days)
		to := from.AddDate(0, 0, days)
		out[i] = Period{From: from, To: to, Partial: now.Before(to)}
	}
	return out
}

// add counts an hour's activity in the period holding at, if any.
func add(ps []Period, at time.Time, h store.HourActivity) {
	for i := range ps {
		p := &ps[i]
		if at.Before(p.From) || !at.Before(p.To) {
			continue
		}
		p.Chats += h.Chats
		p.Handoffs += h.Handoffs
		p.Breaches += h.Breaches
		p.CSATSum += h.CSATSum
		p.CSATCount += h.CSATCount
		return
	}
}
