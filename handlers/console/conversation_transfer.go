package console

import (
	"context"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgTransferInvalid = "Vui lòng chọn đơn vị nhận (khác đơn vị hiện tại) và ghi lý do chuyển."

// transferForm is the transfer's target queue and reason.
type transferForm struct {
	To, Reason string
}

func (f transferForm) Validate() error {
	if strings.TrimSpace(f.To) == "" || strings.TrimSpace(f.Reason) == "" || len([]rune(f.Reason)) > 500 {
		return errInvalidForm
	}
	return nil
}

// conversationTransfer handles POST /console/c/{id}/transfer: to another
// unit's queue or the city level, with a reason. Success goes back to the
// queue: the chat may now be out of the user's sight.
func (c *Console) conversationTransfer(w http.ResponseWriter, r *http.Request) {
	f := transferForm{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason")}
	c.act(w, r, action{ok: "transfer", to: basePath, invalid: msgTransferInvalid,
		draft: draft{Reason: f.Reason, To: f.To, Form: "transfer"},
		do: func(ctx context.Context, u staff.User, id string) error {
			if err := f.Validate(); err != nil {
				return err
			}
			return c.desk.Transfer(ctx, u, id, f.To, f.Reason)
		}})
}
