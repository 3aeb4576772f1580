package staff_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	d := newDirectory(t, newClock())
	ctx := context.Background()
	mustCreate(t, d, staff.NewUser{Username: "taken", Role: staff.RoleEditor})
	ok := staff.NewUser{Username: "lan.nguyen", Name: "Nguyễn Thị Lan", Password: goodPassword, Role: staff.RoleStaff, Units: []string{"26734"}}
	with := func(f func(*staff.NewUser)) staff.NewUser { nu := ok; f(&nu); return nu }
	tests := []struct {
		name string
		nu   staff.NewUser
		want error
	}{
		{"username too short", with(func(n *staff.NewUser) { n.Username = "ab" }), staff.ErrInvalid},
		{"username too long", with(func(n *staff.NewUser) { n.Username = strings.Repeat("a", 41) }), staff.ErrInvalid},
		{"username with space", with(func(n *staff.NewUser) { n.Username = "lan nguyen" }), staff.ErrInvalid},
		{"username with diacritics", with(func(n *staff.NewUser) { n.Username = "lân" }), staff.ErrInvalid},
		{"username taken", with(func(n *staff.NewUser) { n.Username = "taken" }), staff.ErrUsernameTaken},
		{"username taken, other case", with(func(n *staff.NewUser) { n.Username = " Taken " }), staff.ErrUsernameTaken},
		{"password too short", with(func(n *staff.NewUser) { n.Password = "123456789" }), staff.ErrInvalid},
		{"password of one letter repeated", with(func(n *staff.NewUser) { n.Password = "aaaaaaaaaa" }), staff.ErrInvalid},
		{"password of a short pattern", with(func(n *staff.NewUser) { n.Password = "abababababab" }), staff.ErrInvalid},
		{"common password", with(func(n *staff.NewUser) { n.Password = "1234567890" }), staff.ErrInvalid},
		{"password too long", with(func(n *staff.NewUser) { n.Password = strings.Repeat("x", 73) }), staff.ErrInvalid},
		{"empty name", with(func(n *staff.NewUser) { n.Name = "  " }), staff.ErrInvalid},
		{"unknown role", with(func(n *staff.NewUser) { n.Role = "admin" }), staff.ErrInvalid},
		{"staff without units", with(func(n *staff.NewUser) { n.Units = nil }), staff.ErrInvalid},
		{"supervisor without units", with(func(n *staff.NewUser) { n.Role = staff.RoleSupervisor; n.Units = []string{} }), staff.ErrInvalid},
		{"bad unit code", with(func(n *staff.NewUser) { n.Units = []string{"2673"} }), staff.ErrInvalid},
		{"negative max chats", with(func(n *staff.NewUser) { n.MaxChats = -1 }), staff.ErrInvalid},
		{"ok", ok, nil},
		{"ok: city admin without units", with(func(n *staff.NewUser) { n.Username = "admin"; n.Role = staff.RoleCityAdmin; n.Units = nil }), nil},
		{"ok: city queue", with(func(n *staff.NewUser) { n.Username = "city.1"; n.Units = []string{staff.CityQueue} }), nil},
	}
	for _, tt := range tests {
		_, err := d.Create(ctx, tt.nu)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: Create = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestCreateGetUpdateList(t *testing.T) {
	t.Parallel()
	c := newClock()
	d := newDirectory(t, c)
	ctx := context.Background()
	lan := mustCreate(t, d, staff.NewUser{Username: " Lan.Nguyen ", Name: " Nguyễn Thị Lan ", Role: staff.RoleStaff,
		Units: []string{"26737", "26734", "26737"}})
	if lan.ID == 0 || lan.Username != "lan.nguyen" || lan.Name != "Nguyễn Thị Lan" || lan.MaxChats != staff.DefaultMaxChats ||
		!slices.Equal(lan.Units, []string{"26734", "26737"}) || !lan.CreatedAt.Equal(c.Now()) {
		t.Fatalf("created %+v", lan)
	}
	admin := mustCreate(t, d, staff.NewUser{Username: "admin", Role: staff.RoleCityAdmin, Units: []string{"26734"}, MaxChats: 9})
	if admin.Units != nil || admin.MaxChats != 9 {
		t.Errorf("city admin kept units or lost max chats: %+v", admin)
	}
	editor := mustCreate(t, d, staff.NewUser{Username: "editor", Role: staff.RoleEditor})
	binh := mustCreate(t, d, staff.NewUser{Username: "binh", Role: staff.RoleSupervisor, Units: []string{"26737", staff.CityQueue}})

	for _, get := range []func() (staff.User, error){
		func() (staff.User, error) { return d.Get(ctx, lan.ID) },
		func() (staff.User, error) { return d.ByUsername(ctx, "LAN.NGUYEN") },
	} {
		got, err := get()
		if err != nil || got.ID != lan.ID || !slices.Equal(got.Units, lan.Units) || got.Role != staff.RoleStaff || !got.CreatedAt.Equal(lan.CreatedAt) {
			t.Errorf("get: %+v, %v; want %+v", got, err, lan)
		}
	}
	if _, err := d.Get(ctx, 999); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("Get(999) = %v", err)
	}
	if _, err := d.ByUsername(ctx, "nobody"); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("ByUsername(nobody) = %v", err)
	}

	names := func(us []staff.User, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, u := range us {
			s = append(s, u.Username)
		}
		return strings.Join(s, ",")
	}
	if got := names(d.List(ctx)); got != "admin,binh,editor,lan.nguyen" {
		t.Errorf("List = %s", got)
	}
	byUnit := []struct{ unit, want string }{
		{"26734", "admin,lan.nguyen"},
		{"26737", "admin,binh,lan.nguyen"},
		{staff.CityQueue, "admin,binh"},
		{"27001", "admin"},
	}
	for _, tt := range byUnit {
		if got := names(d.ByUnit(ctx, tt.unit)); got != tt.want {
			t.Errorf("ByUnit(%s) = %s, want %s", tt.unit, got, tt.want)
		}
	}

	if err := d.Update(ctx, lan.ID, staff.UserUpdate{Name: "Lan", Role: staff.RoleSupervisor, Units: []string{"27001"}, MaxChats: 3}); err != nil {
		t.Fatal(err)
	}
	got, _ := d.Get(ctx, lan.ID)
	if got.Name != "Lan" || got.Role != staff.RoleSupervisor || !slices.Equal(got.Units, []string{"27001"}) || got.MaxChats != 3 {
		t.Errorf("after update: %+v", got)
	}
	if err := d.Update(ctx, binh.ID, staff.UserUpdate{Name: "Bình", Role: staff.RoleSupervisor, Units: []string{"26737"}, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	if got := names(d.ByUnit(ctx, "26737")); got != "admin" {
		t.Errorf("ByUnit after disabling binh and moving lan = %s", got)
	}
	if err := d.Update(ctx, editor.ID, staff.UserUpdate{Name: "", Role: staff.RoleEditor}); !errors.Is(err, staff.ErrInvalid) {
		t.Errorf("Update with empty name = %v", err)
	}
	if err := d.Update(ctx, 999, staff.UserUpdate{Name: "X", Role: staff.RoleEditor}); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("Update(999) = %v", err)
	}
	if n, err := d.Count(ctx); err != nil || n != 4 {
		t.Errorf("Count = %d, %v", n, err)
	}
}
