package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgReassignInvalid = "Vui lòng chọn một cán bộ đang làm việc ở hàng chờ của đơn vị này."

// conversationReassign handles POST /console/c/{id}/reassign (supervisors
// and city admins): the chat goes to the staff member "to".
func (c *Console) conversationReassign(w http.ResponseWriter, r *http.Request) {
	to, perr := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
	c.act(w, r, action{ok: "reassign", invalid: msgReassignInvalid, draft: draft{Form: "reassign"},
		do: func(ctx context.Context, u staff.User, id string) error {
			if perr != nil || to <= 0 {
				return errInvalidForm
			}
			target, err := c.staff.Get(ctx, to)
			if errors.Is(err, staff.ErrNotFound) {
				return fmt.Errorf("%w: user %d", handoff.ErrInvalid, to)
			}
			if err != nil {
				return err
			}
			return c.desk.Reassign(ctx, u, target, id)
		}})
}
