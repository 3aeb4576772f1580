package console

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// coversShown is how many unit names the queue header shows before it
// folds the rest away.
const coversShown = 3

// covers is what the queue page's header says it covers: the whole city,
// or the user's units by name (Shown, then the folded Rest).
type covers struct {
	CityWide    bool
	Units       int // every unit, for the whole city
	Shown, Rest []string
}

func (c *Console) covers(u staff.User) covers {
	if u.IsCityAdmin() {
		return covers{CityWide: true, Units: len(c.desk.Units())}
	}
	names := make([]string, 0, len(u.Units))
	for _, code := range u.Units {
		names = append(names, c.desk.UnitName(code))
	}
	slices.SortFunc(names, strings.Compare)
	if len(names) <= coversShown+1 { // folding one name away saves nothing
		return covers{Shown: names}
	}
	return covers{Shown: names[:coversShown], Rest: names[coversShown:]}
}

// staffingShown is how many queues the staffing notice names before it
// folds the rest away.
const staffingShown = 5

// staffingNotice names the queues with chats that no active account works
// (Shown, then the folded Rest): their citizens were promised a reply
// nobody can give.
type staffingNotice struct {
	Shown, Rest []handoff.QueueLoad
	Admin       bool // the viewer can create accounts
}

// staffingNotice is the notice for supervisors and city admins (none for
// staff, and none when the desk cannot tell; a failure is logged, the
// queue page still shows).
func (c *Console) staffingNotice(ctx context.Context, u staff.User) staffingNotice {
	if !u.CanReassign() {
		return staffingNotice{}
	}
	s, err := c.desk.Staffing(ctx)
	if err != nil {
		if !errors.Is(err, handoff.ErrNoRoster) {
			c.logger.WarnContext(ctx, "console: staffing check", "user_id", u.ID, "err", err)
		}
		return staffingNotice{}
	}
	n := staffingNotice{Shown: s.For(u).Uncovered, Admin: u.IsCityAdmin()}
	if len(n.Shown) > staffingShown+1 {
		n.Shown, n.Rest = n.Shown[:staffingShown], n.Shown[staffingShown:]
	}
	return n
}
