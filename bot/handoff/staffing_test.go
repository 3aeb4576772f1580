package handoff

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// roster is a fixed list of accounts (staff.Directory in the gateway).
type roster []staff.User

func (r roster) List(context.Context) ([]staff.User, error) { return r, nil }

// Staffing names the queues whose chats nobody can answer: a ward is
// worked by an active staff member or supervisor of that ward; the city
// queue also by a city admin (a city-wide role). Editors and disabled
// accounts work nothing.
func TestStaffingFindsQueuesNobodyWorks(t *testing.T) {
	const banCo, tanDinh = "27154", "26737"
	clerk := func(units ...string) staff.User {
		return staff.User{ID: 10, Name: "Cán bộ", Role: staff.RoleStaff, Units: units}
	}
	disabled := clerk(banCo)
	disabled.Disabled = true
	cityAdmin := staff.User{ID: 11, Name: "Quản trị", Role: staff.RoleCityAdmin}
	tests := []struct {
		name      string
		people    roster
		accounts  int
		uncovered []string // unit codes, by name
	}{
		{"nobody at all", nil, 0, []string{banCo, staff.CityQueue}},
		{"only an editor", roster{editor}, 0, []string{banCo, staff.CityQueue}},
		{"only the first city admin", roster{cityAdmin}, 1, []string{banCo}},
		{"a disabled clerk of the ward", roster{cityAdmin, disabled}, 1, []string{banCo}},
		{"a clerk of another ward", roster{clerk(tanDinh)}, 1, []string{banCo, staff.CityQueue}},
		{"a supervisor of the ward and a clerk of the city queue", roster{supA, clerk(staff.CityQueue)}, 2, nil},
		{"a city admin and a clerk of the ward", roster{cityAdmin, staffA}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			r := newRig(t, at(0, 9, 0), func(c *Config) { c.Roster = tt.people })
			r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ") // Phường Bàn Cờ
			r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
			r.chat(t, "", "tôi muốn gặp cán bộ") // no unit known: the city queue
			s, err := r.desk.Staffing(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s.Accounts != tt.accounts || s.Active != 3 || s.NoStaff() != (tt.accounts == 0) {
				t.Errorf("accounts %d, active %d, no staff %v; want %d, 3", s.Accounts, s.Active, s.NoStaff(), tt.accounts)
			}
			var got []string
			for _, q := range s.Uncovered {
				got = append(got, q.Code)
				if want := map[string]int{banCo: 2, staff.CityQueue: 1}[q.Code]; q.Chats != want || q.Name != r.desk.UnitName(q.Code) {
					t.Errorf("uncovered %+v, want %d chats", q, want)
				}
			}
			if !slices.Equal(got, tt.uncovered) {
				t.Errorf("uncovered = %v, want %v", got, tt.uncovered)
			}
		})
	}
}

// A viewer sees the gaps of the queues they may see; with no roster the
// desk cannot tell and says so.
func TestStaffingForAViewer(t *testing.T) {
	ctx := t.Context()
	r := newRig(t, at(0, 9, 0), func(c *Config) { c.Roster = roster{} })
	r.chat(t, "", "Phường 5, Quận 3", "cho tôi gặp cán bộ")
	r.chat(t, "", "tôi muốn gặp cán bộ")
	s, err := r.desk.Staffing(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.For(admin).Uncovered); n != 2 {
		t.Errorf("a city admin sees %d gaps, want 2", n)
	}
	if got := s.For(supA).Uncovered; len(got) != 1 || got[0].Code != "27154" {
		t.Errorf("a supervisor of Bàn Cờ sees %+v, want Bàn Cờ only", got)
	}
	if got := s.For(staffB).Uncovered; len(got) != 0 {
		t.Errorf("a clerk of another ward sees %+v", got)
	}
	bare := newRig(t, at(0, 9, 0))
	if _, err := bare.desk.Staffing(ctx); !errors.Is(err, ErrNoRoster) {
		t.Errorf("Staffing without a roster: %v, want ErrNoRoster", err)
	}
}
