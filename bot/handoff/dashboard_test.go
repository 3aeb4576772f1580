package handoff_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// dashCatalog is a small knowledge base: three wards and two procedures.
type dashCatalog struct{}

var dashUnits = []bot.UnitRef{
	{Code: "26734", Name: "Phường Sài Gòn"},
	{Code: "26737", Name: "Phường Tân Định"},
	{Code: "26740", Name: "Phường Bến Thành"},
}

func (dashCatalog) Unit(code string) (string, bool) {
	for _, u := range dashUnits {
		if u.Code == code {
			return u.Name, true
		}
	}
	return "", false
}
func (dashCatalog) Units() []bot.UnitRef { return dashUnits }
func (dashCatalog) Procedure(id string) (string, bool) {
	if id == "khai-sinh" {
		return "Đăng ký khai sinh", true
	}
	return "", false
}

func newDashDesk(t *testing.T, now time.Time) (*handoff.Desk, *store.Store) {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	st, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	at := now
	st.Now = func() time.Time { return at }
	d, err := handoff.New(handoff.Config{Store: st, Catalog: dashCatalog{}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return d, st
}

// dashQueue opens a handoff at unit created at when.
func dashQueue(t *testing.T, st *store.Store, when time.Time, unit, proc string) {
	t.Helper()
	ctx := context.Background()
	st.Now = func() time.Time { return when }
	id, err := st.Create(ctx, "web", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.OpenHandoff(ctx, store.NewHandoff{ConversationID: id, Reason: bot.ReasonRequested,
		UnitCode: unit, ProcedureID: proc, DueAt: when.Add(5 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
}

func TestDashboard(t *testing.T) {
	now := time.Date(2025, 7, 1, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	d, st := newDashDesk(t, now)
	dashQueue(t, st, now.Add(-10*time.Minute), "26737", "khai-sinh")
	dashQueue(t, st, now.Add(-20*time.Minute), "26737", "khai-sinh")
	dashQueue(t, st, now.Add(-2*time.Minute), "26734", "ket-hon")
	dashQueue(t, st, now.Add(-90*time.Minute), staff.CityQueue, "")
	dashQueue(t, st, now.Add(-12*time.Hour), "26740", "") // yesterday 22:00 Vietnam time

	admin := staff.User{ID: 1, Role: staff.RoleCityAdmin}
	sup := staff.User{ID: 2, Role: staff.RoleSupervisor, Units: []string{"26734", "26740"}}
	codes := func(db handoff.Dashboard) []string {
		var out []string
		for _, r := range db.Rows {
			out = append(out, r.UnitCode)
		}
		return out
	}

	t.Run("city admin: every unit and the city, most loaded first", func(t *testing.T) {
		db, err := d.Dashboard(t.Context(), admin, now)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := codes(db), []string{"26737", "26740", "city", "26734"}; !slices.Equal(got, want) {
			t.Errorf("rows %v, want %v", got, want)
		}
		if !db.CityWide || !db.Today || db.Live || db.Day != time.Date(2025, 7, 1, 0, 0, 0, 0, db.Day.Location()) || db.Day.UTC().Hour() != 17 {
			t.Errorf("day %v today %v live %v citywide %v", db.Day, db.Today, db.Live, db.CityWide)
		}
		if db.Covered != 10*time.Hour || !db.HasRates {
			t.Errorf("covered %v (rates %v), want the 10 hours since midnight", db.Covered, db.HasRates)
		}
		r := db.Rows[0]
		if r.UnitName != "Phường Tân Định" || r.Queued != 2 || r.MaxWait != 20*time.Minute || r.AvgWait != 15*time.Minute ||
			r.Breaches != 2 || r.Handoffs != 2 || r.PerHour != 0.2 {
			t.Errorf("first row %+v", r)
		}
		if got := db.Rows[2].UnitName; got != "Cấp Thành phố" {
			t.Errorf("city row named %q", got)
		}
		tot := db.Total
		if tot.Queued != 5 || tot.MaxWait != 12*time.Hour || tot.Handoffs != 4 || tot.Breaches != 3 {
			t.Errorf("total %+v", tot)
		}
		if len(db.Matters) != 2 || db.Matters[0] != (handoff.Matter{ProcedureID: "khai-sinh", Name: "Đăng ký khai sinh", Count: 2}) ||
			db.Matters[1].Name != "ket-hon" {
			t.Errorf("matters %+v", db.Matters)
		}
	})
	t.Run("supervisor: their dashUnits only", func(t *testing.T) {
		db, err := d.Dashboard(t.Context(), sup, now)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := codes(db), []string{"26740", "26734"}; !slices.Equal(got, want) || db.CityWide {
			t.Errorf("rows %v (city-wide %v), want %v", got, db.CityWide, want)
		}
		if db.Total.Queued != 2 || len(db.Matters) != 1 || db.Matters[0].ProcedureID != "ket-hon" {
			t.Errorf("total %+v matters %+v", db.Total, db.Matters)
		}
	})
	t.Run("live: the last 24 hours", func(t *testing.T) {
		db, err := d.Dashboard(t.Context(), admin, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		// The data begins with yesterday's 22:00 handoff: 12 hours covered.
		if !db.Live || db.Today || !db.To.Equal(now) || !db.From.Equal(now.Add(-24*time.Hour)) || db.Covered != 12*time.Hour {
			t.Errorf("live window %v – %v covered %v", db.From, db.To, db.Covered)
		}
		if db.Total.Handoffs != 5 || db.Total.PerHour != 5.0/12 {
			t.Errorf("total %d handoffs, %v an hour; want 5 over 12 hours", db.Total.Handoffs, db.Total.PerHour)
		}
	})
	t.Run("another day: nothing happened, the queues are still live", func(t *testing.T) {
		db, err := d.Dashboard(t.Context(), admin, now.AddDate(0, 0, -3))
		if err != nil {
			t.Fatal(err)
		}
		if db.Today || db.Total.Handoffs != 0 || db.Total.Queued != 5 {
			t.Errorf("today %v total %+v", db.Today, db.Total)
		}
	})
	for _, u := range []staff.User{
		{ID: 3, Role: staff.RoleStaff, Units: []string{"26734"}},
		{ID: 4, Role: staff.RoleEditor},
		{ID: 5, Role: staff.RoleCityAdmin, Disabled: true},
	} {
		t.Run("forbidden: "+string(u.Role), func(t *testing.T) {
			if _, err := d.Dashboard(t.Context(), u, now); !errors.Is(err, handoff.ErrForbidden) {
				t.Errorf("err %v, want ErrForbidden", err)
			}
		})
	}
}

// TestDashboardRatesAt0117: at 01:17 the rates are over the time the data
// really covers — the last 24 hours, or less when the data begins later —
// never over the 77 minutes since midnight when yesterday's data is there,
// and not at all under an hour.
func TestDashboardRatesAt0117(t *testing.T) {
	now := time.Date(2025, 6, 30, 18, 17, 0, 0, time.UTC) // 01:17, 1 July, Vietnam
	vn := func(day, h, m int) time.Time {
		return time.Date(2025, 7, day, h, m, 0, 0, time.FixedZone("ICT", 7*3600))
	}
	admin := staff.User{ID: 1, Role: staff.RoleCityAdmin}
	tonight := func(t *testing.T, st *store.Store, first time.Time) {
		for _, at := range []time.Time{first, vn(1, 1, 0), vn(1, 1, 10)} {
			dashQueue(t, st, at, "26734", "")
		}
	}
	tests := []struct {
		name     string
		seed     func(t *testing.T, st *store.Store)
		covered  time.Duration
		rates    bool
		perHour  float64
		handoffs int
	}{
		{"yesterday's data is there: 24 hours", func(t *testing.T, st *store.Store) {
			dashQueue(t, st, vn(0, 12, 0).AddDate(0, 0, -1), "26737", "") // 29 June: the data begins
			for i := range 21 {
				dashQueue(t, st, vn(0, 9, 0).Add(time.Duration(i)*20*time.Minute), "26737", "") // 30 June, 09:00–15:40
			}
			tonight(t, st, vn(1, 0, 5))
		}, 24 * time.Hour, true, 1.0, 24},
		{"the data begins at midnight: 1 h 17 min", func(t *testing.T, st *store.Store) {
			tonight(t, st, vn(1, 0, 0))
		}, 77 * time.Minute, true, 3 / (77.0 / 60), 3},
		{"the data begins at 00:50: under an hour, no rate", func(t *testing.T, st *store.Store) {
			tonight(t, st, vn(1, 0, 50))
		}, 27 * time.Minute, false, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, st := newDashDesk(t, now)
			tt.seed(t, st)
			db, err := d.Dashboard(t.Context(), admin, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			tot := db.Total
			if db.Covered != tt.covered || db.HasRates != tt.rates || tot.Handoffs != tt.handoffs || math.Abs(tot.PerHour-tt.perHour) > 1e-9 {
				t.Errorf("covered %v rates %v: %d handoffs, %.3f an hour; want %v %v %d %.3f",
					db.Covered, db.HasRates, tot.Handoffs, tot.PerHour, tt.covered, tt.rates, tt.handoffs, tt.perHour)
			}
		})
	}
}

// TestTrends: 14 days and 8 weeks (Monday to Sunday) ending with the day
// asked for; today's and this week's figures are partial.
func TestTrends(t *testing.T) {
	now := time.Date(2025, 7, 2, 3, 0, 0, 0, time.UTC) // Wednesday 2 July, 10:00 in Vietnam
	d, st := newDashDesk(t, now)
	dashQueue(t, st, now.Add(-time.Hour), "26734", "")    // today
	dashQueue(t, st, now.Add(-24*time.Hour), "26734", "") // Tuesday
	dashQueue(t, st, now.AddDate(0, 0, -3), "26737", "")  // Sunday, last week
	dashQueue(t, st, now.AddDate(0, 0, -20), "26740", "") // 12 June: in the weeks, not the days
	dashQueue(t, st, now.AddDate(0, 0, -80), "26740", "") // too old for both
	admin := staff.User{ID: 1, Role: staff.RoleCityAdmin}
	tr, err := d.Trends(t.Context(), admin, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Days) != 14 || len(tr.Weeks) != 8 {
		t.Fatalf("%d days, %d weeks", len(tr.Days), len(tr.Weeks))
	}
	first, last := tr.Days[0], tr.Days[13]
	if first.From.Format("02/01") != "19/06" || last.From.Format("02/01 15:04") != "02/07 00:00" || !last.Partial || tr.Days[12].Partial {
		t.Errorf("days %v … %v (partial %v)", first.From, last.From, last.Partial)
	}
	if last.Handoffs != 1 || last.Chats != 1 || tr.Days[12].Handoffs != 1 || tr.Days[10].Handoffs != 1 {
		t.Errorf("daily handoffs: %+v", tr.Days)
	}
	week := tr.Weeks[7]
	if week.From.Weekday() != time.Monday || week.From.Format("02/01") != "30/06" || !week.Partial || week.Handoffs != 2 {
		t.Errorf("this week %+v", week)
	}
	if tr.Weeks[6].Handoffs != 1 || tr.Weeks[4].Handoffs != 1 || tr.Weeks[0].From.Format("02/01") != "12/05" {
		t.Errorf("weeks %+v", tr.Weeks)
	}
	sum := 0
	for _, w := range tr.Weeks {
		sum += w.Handoffs
	}
	if sum != 4 {
		t.Errorf("%d handoffs over 8 weeks, want 4", sum)
	}
	sup := staff.User{ID: 2, Role: staff.RoleSupervisor, Units: []string{"26737"}}
	if tr, err := d.Trends(t.Context(), sup, now); err != nil || tr.Weeks[6].Handoffs != 1 || tr.Weeks[7].Handoffs != 0 {
		t.Errorf("supervisor of 26737: %+v, %v", tr.Weeks, err)
	}
	if _, err := d.Trends(t.Context(), staff.User{ID: 3, Role: staff.RoleStaff}, now); !errors.Is(err, handoff.ErrForbidden) {
		t.Errorf("staff: %v, want ErrForbidden", err)
	}
}
