package staff_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// With the knowledge base's check, only new HCMC unit codes (and the
// city queue) are given to users: an old code is refused with the unit it
// became, a made-up one by its code. A unit a user already has does not
// block other changes (disabling a user created before the check).
func TestUnitsCheckedAgainstTheKB(t *testing.T) {
	ctx := context.Background()
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	c := newClock()
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	unchecked, err := staff.New(st, staff.Config{Now: c.Now, BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	legacy := mustCreate(t, unchecked, staff.NewUser{Username: "cu-1", Role: staff.RoleStaff, Units: []string{"26734"}})
	d, err := staff.New(st, staff.Config{Now: c.Now, BcryptCost: bcrypt.MinCost, CheckUnit: kb.CheckHCMCUnit})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		units []string
		want  string // "" : created
	}{
		{[]string{"26740", "26737"}, ""},
		{[]string{"city"}, ""},
		{[]string{"26740", "26734"}, "26734 is an old ward code (Phường Tân Định, before 1 July 2025); it is now 26737 Phường Tân Định"},
		{[]string{"99999"}, "99999 is not the code of a Ho Chi Minh City unit"},
		{[]string{"00004"}, "00004 is Phường Ba Đình, Thành phố Hà Nội"},
	}
	for i, tt := range tests {
		_, err := d.Create(ctx, staff.NewUser{Username: "can-bo-" + string(rune('a'+i)), Name: "Cán bộ", Password: goodPassword,
			Role: staff.RoleStaff, Units: tt.units})
		var uce *knowledge.UnitCodeError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: %v", tt.units, err)
		case tt.want != "" && (!errors.Is(err, staff.ErrInvalid) || !errors.As(err, &uce) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: %v, want ErrInvalid naming %q", tt.units, err, tt.want)
		}
	}

	if err := d.Update(ctx, legacy.ID, staff.UserUpdate{Name: legacy.Name, Role: legacy.Role, Units: legacy.Units,
		MaxChats: legacy.MaxChats, Disabled: true}); err != nil {
		t.Errorf("disabling a user with an old unit: %v", err)
	}
	err = d.Update(ctx, legacy.ID, staff.UserUpdate{Name: legacy.Name, Role: legacy.Role, Units: []string{"26734", "99999"},
		MaxChats: legacy.MaxChats})
	if !errors.Is(err, staff.ErrInvalid) || !strings.Contains(err.Error(), "99999") {
		t.Errorf("adding a made-up unit: %v", err)
	}
	if u, _ := d.Get(ctx, legacy.ID); strings.Join(u.Units, ",") != "26734" || !u.Disabled {
		t.Errorf("after the refused update: %+v", u)
	}
}
