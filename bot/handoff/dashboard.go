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

// Dashboard is the city dashboard: the live load of every unit the viewer
// may see and what happened during one day, Vietnam time.
type Dashboard struct {
	Day      time.Time // midnight starting the day, Vietnam time
	Now      time.Time // when the figures were taken, Vietnam time
	Today    bool      // Day is the current day
	CityWide bool      // the viewer sees every unit (a city admin)
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
	// During the day.
	Handoffs, Breaches int
	PerHour            float64 // handoffs per hour of the day so far
	Hourly             [24]int // handoffs per hour, 0:00–1:00 first
	Conversations      int
	HandoffRate        float64 // Handoffs / Conversations (HasRate: Conversations > 0)
	HasRate            bool
	CSAT               float64 // mean rating, 1–5 (CSATCount 0: none)
	CSATCount          int
	Matters            []Matter
	Unresolved         []store.Unresolved
}

// Matter is a procedure and how many handoffs were about it.
type Matter struct {
	ProcedureID, Name string
	Count             int
}

// Dashboard returns the figures of the units u may see for the day
// containing day (Vietnam time): a city admin every unit and the city
// queue, a supervisor their units; anyone else gets ErrForbidden.
func (d *Desk) Dashboard(ctx context.Context, u staff.User, day time.Time) (Dashboard, error) {
	units, cityWide, err := d.dashboardUnits(u)
	if err != nil {
		return Dashboard{}, err
	}
	now := d.cfg.Now().In(zone)
	day = day.In(zone)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone)
	to := from.AddDate(0, 0, 1)
	st, err := d.st.Stats(ctx, store.StatsWindow{From: from, To: to, Now: now, Units: units})
	if err != nil {
		return Dashboard{}, err
	}
	end := to
	if now.Before(to) {
		end = now
	}
	hours := max(end.Sub(from).Hours(), 1) // the day so far, at least an hour
	byCode := make(map[string]store.UnitStats, len(st.Units))
	for _, us := range st.Units {
		byCode[us.UnitCode] = us
	}
	out := Dashboard{Day: from, Now: now, Today: !now.Before(from) && now.Before(to), CityWide: cityWide,
		Matters: d.matters(st.Matters), Unresolved: st.Unresolved}
	out.Rows = make([]DashboardRow, 0, len(units))
	for _, code := range units {
		us := byCode[code]
		us.UnitCode = code
		out.Rows = append(out.Rows, d.dashboardRow(us, hours))
	}
	slices.SortFunc(out.Rows, byLoad)
	out.Total = total(out.Rows, hours)
	out.Total.Matters = out.Matters[:min(len(out.Matters), store.TopMattersPerUnit)]
	return out, nil
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

func (d *Desk) dashboardRow(us store.UnitStats, hours float64) DashboardRow {
	r := DashboardRow{
		UnitCode: us.UnitCode, UnitName: d.UnitName(us.UnitCode),
		Queued: us.Queued, Owned: us.Owned, MaxWait: us.MaxWait, AvgWait: us.AvgWait,
		Handoffs: us.Handoffs, Breaches: us.Breaches, Hourly: us.Hourly, Conversations: us.Conversations,
		CSATCount: us.CSATCount, CSAT: us.CSAT(), Matters: d.matters(us.Matters), Unresolved: us.Unresolved,
	}
	r.PerHour = float64(r.Handoffs) / hours
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
func total(rows []DashboardRow, hours float64) DashboardRow {
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
		t.CSATCount += r.CSATCount
		csatSum += r.CSAT * float64(r.CSATCount)
		for i, n := range r.Hourly {
			t.Hourly[i] += n
		}
	}
	if t.Queued > 0 {
		t.AvgWait = waited / time.Duration(t.Queued)
	}
	if t.CSATCount > 0 {
		t.CSAT = csatSum / float64(t.CSATCount)
	}
	t.PerHour = float64(t.Handoffs) / hours
	if t.Conversations > 0 {
		t.HandoffRate, t.HasRate = float64(t.Handoffs)/float64(t.Conversations), true
	}
	return t
}
