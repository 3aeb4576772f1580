package handoff

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// Roster lists the console's accounts (staff.Directory).
type Roster interface {
	List(ctx context.Context) ([]staff.User, error)
}

// ErrNoRoster: the desk was built without a Roster and cannot tell who
// works the queues.
var ErrNoRoster = errors.New("handoff: no roster of staff accounts")

// Staffing says whether the chats handed to staff have someone to answer
// them: the citizen was promised a reply by a unit's staff.
type Staffing struct {
	// Accounts is how many active accounts work queues (staff,
	// supervisors, city admins).
	Accounts int
	// Active is how many chats are queued or owned now.
	Active int
	// Uncovered are the queues with active chats that no active account
	// works, most chats first: a ward is worked by its staff and
	// supervisors, the city queue also by any city admin (a city-wide
	// role). A city admin may open any ward's chats but is not that
	// ward's staff.
	Uncovered []QueueLoad
}

// QueueLoad is a queue and how many active chats it has.
type QueueLoad struct {
	Code, Name string
	Chats      int
}

// NoStaff reports whether no active account works any queue.
func (s Staffing) NoStaff() bool { return s.Accounts == 0 }

// For keeps the gaps of the queues u may see.
func (s Staffing) For(u staff.User) Staffing {
	out := s
	out.Uncovered = nil
	for _, q := range s.Uncovered {
		if u.CanSeeUnit(q.Code) {
			out.Uncovered = append(out.Uncovered, q)
		}
	}
	return out
}

// Staffing checks the active chats against the roster (Config.Roster;
// ErrNoRoster without one).
func (d *Desk) Staffing(ctx context.Context) (Staffing, error) {
	if d.cfg.Roster == nil {
		return Staffing{}, ErrNoRoster
	}
	people, err := d.cfg.Roster.List(ctx)
	if err != nil {
		return Staffing{}, err
	}
	active, err := d.st.ActiveByUnit(ctx)
	if err != nil {
		return Staffing{}, err
	}
	var s Staffing
	worked := map[string]bool{}
	for _, p := range people {
		if !p.CanWorkQueues() {
			continue
		}
		s.Accounts++
		if p.IsCityAdmin() {
			worked[staff.CityQueue] = true
		}
		for _, code := range p.Units {
			worked[code] = true
		}
	}
	for code, n := range active {
		s.Active += n
		if !worked[code] {
			s.Uncovered = append(s.Uncovered, QueueLoad{Code: code, Name: d.UnitName(code), Chats: n})
		}
	}
	slices.SortFunc(s.Uncovered, func(a, b QueueLoad) int {
		return cmp.Or(cmp.Compare(b.Chats, a.Chats), cmp.Compare(a.Name, b.Name))
	})
	return s, nil
}
