package main

import (
	"context"
	"fmt"
	"strings"
)

// warnStaffing logs, when serve starts, what leaves citizens waiting for a
// reply nobody can give: no account that works the queues at all, or
// queues with chats that no active account works (handoff.Desk.Staffing).
// The console's queue page and the city dashboard say the same to
// supervisors and city admins.
func (a *app) warnStaffing(ctx context.Context) {
	s, err := a.desk.Staffing(ctx)
	if err != nil {
		a.logger.Warn("staffing check at start", "err", err)
		return
	}
	if s.NoStaff() {
		a.logger.Warn("no staff account works the queues: handed-off chats are promised a reply nobody can give; create one with `hoiphuong admin create-user`",
			"active_chats", s.Active)
	}
	if len(s.Uncovered) == 0 {
		return
	}
	units := make([]string, len(s.Uncovered))
	chats := 0
	for i, q := range s.Uncovered {
		units[i] = fmt.Sprintf("%s %s (%d)", q.Code, q.Name, q.Chats)
		chats += q.Chats
	}
	a.logger.Warn("queues with chats have no active staff: give an account these units, or transfer the chats",
		"units", strings.Join(units, "; "), "chats", chats)
}
