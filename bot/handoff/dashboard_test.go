package handoff_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
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
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "hoiphuong.db"))
	if err != nil {
		t.Fatal(err)
	}
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
		if !db.CityWide || !db.Today || db.Day != time.Date(2025, 7, 1, 0, 0, 0, 0, db.Day.Location()) || db.Day.UTC().Hour() != 17 {
			t.Errorf("day %v today %v citywide %v", db.Day, db.Today, db.CityWide)
		}
		r := db.Rows[0]
		if r.UnitName != "Phường Tân Định" || r.Queued != 2 || r.MaxWait != 20*time.Minute || r.AvgWait != 15*time.Minute ||
			r.Breaches != 2 || r.Handoffs != 2 || r.Hourly[9] != 2 || r.PerHour != 0.2 {
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
