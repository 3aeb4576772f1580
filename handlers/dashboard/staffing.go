package dashboard

import (
	"context"
	"errors"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// Staffing tells which queues have chats that no active account works;
// *handoff.Desk satisfies it.
type Staffing interface {
	Staffing(ctx context.Context) (handoff.Staffing, error)
}

// staffingShown is how many queues the notice names before it folds the
// rest away.
const staffingShown = 5

// staffingView is the notice (template "staffing") of the viewer's queues
// whose citizens were promised a reply nobody can give: Shown, then the
// folded Rest.
type staffingView struct {
	Shown, Rest []handoff.QueueLoad
	Admin       bool // the viewer can create accounts
	UsersURL    string
}

// staffing is u's notice; none without a Staffing, and none on a failure
// (logged: the figures still show).
func (d *Dashboard) staffing(ctx context.Context, u staff.User) staffingView {
	if d.staffer == nil {
		return staffingView{}
	}
	s, err := d.staffer.Staffing(ctx)
	if err != nil {
		if !errors.Is(err, handoff.ErrNoRoster) {
			d.logger.WarnContext(ctx, "city dashboard: staffing check", "err", err)
		}
		return staffingView{}
	}
	v := staffingView{Shown: s.For(u).Uncovered, Admin: u.IsCityAdmin(), UsersURL: usersPath}
	if len(v.Shown) > staffingShown+1 {
		v.Shown, v.Rest = v.Shown[:staffingShown], v.Shown[staffingShown:]
	}
	return v
}
