package staff_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
)

// clock is an injectable, advanceable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newDirectory opens a real SQLite database under t.TempDir().
func newDirectory(t *testing.T, c *clock) *staff.Directory {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	// Migrations apply once: a second store on the same database is fine.
	if _, err := staffstore.New(ctx, db); err != nil {
		t.Fatalf("second staffstore.New: %v", err)
	}
	d, err := staff.New(st, staff.Config{Now: c.Now, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const goodPassword = "mat-khau-dai-1"

func mustCreate(t *testing.T, d *staff.Directory, nu staff.NewUser) staff.User {
	t.Helper()
	if nu.Password == "" {
		nu.Password = goodPassword
	}
	if nu.Name == "" {
		nu.Name = "Nguyễn Văn A"
	}
	u, err := d.Create(context.Background(), nu)
	if err != nil {
		t.Fatalf("Create(%s): %v", nu.Username, err)
	}
	return u
}

func TestUserPermissions(t *testing.T) {
	t.Parallel()
	staffer := staff.User{Role: staff.RoleStaff, Units: []string{"26734", staff.CityQueue}}
	super := staff.User{Role: staff.RoleSupervisor, Units: []string{"26737"}}
	admin := staff.User{Role: staff.RoleCityAdmin}
	editor := staff.User{Role: staff.RoleEditor}
	disabled := staff.User{Role: staff.RoleCityAdmin, Disabled: true}
	tests := []struct {
		name                                         string
		u                                            staff.User
		unit                                         string
		see, work, reassign, reports, editKB, isCity bool
	}{
		{"staff own unit", staffer, "26734", true, true, false, false, false, false},
		{"staff city queue", staffer, staff.CityQueue, true, true, false, false, false, false},
		{"staff other unit", staffer, "26737", false, true, false, false, false, false},
		{"supervisor own unit", super, "26737", true, true, true, true, false, false},
		{"supervisor other unit", super, "26734", false, true, true, true, false, false},
		{"supervisor city queue", super, staff.CityQueue, false, true, true, true, false, false},
		{"city admin any unit", admin, "27001", true, true, true, true, true, true},
		{"city admin city queue", admin, staff.CityQueue, true, true, true, true, true, true},
		{"city admin empty code", admin, "", false, true, true, true, true, true},
		{"editor", editor, "26734", false, false, false, false, true, false},
		{"disabled", disabled, "26734", false, false, false, false, false, false},
		{"unknown role", staff.User{Role: "root", Units: []string{"26734"}}, "26734", false, false, false, false, false, false},
	}
	for _, tt := range tests {
		u := tt.u
		got := []bool{u.CanSeeUnit(tt.unit), u.CanWorkQueues(), u.CanReassign(), u.CanSeeReports(), u.CanEditKB(), u.IsCityAdmin()}
		want := []bool{tt.see, tt.work, tt.reassign, tt.reports, tt.editKB, tt.isCity}
		names := []string{"CanSeeUnit", "CanWorkQueues", "CanReassign", "CanSeeReports", "CanEditKB", "IsCityAdmin"}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %s = %v, want %v", tt.name, names[i], got[i], want[i])
			}
		}
	}
}

func TestRoleValid(t *testing.T) {
	t.Parallel()
	for _, r := range []staff.Role{staff.RoleStaff, staff.RoleSupervisor, staff.RoleCityAdmin, staff.RoleEditor} {
		if !r.Valid() {
			t.Errorf("%q not valid", r)
		}
	}
	for _, r := range []staff.Role{"", "admin", "Staff"} {
		if r.Valid() {
			t.Errorf("%q valid", r)
		}
	}
}
