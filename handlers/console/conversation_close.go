package console

import (
	"context"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgCloseInvalid = "Vui lòng chọn kết quả xử lý."

// conversationClose handles POST /console/c/{id}/close with an outcome:
// one that says the citizen was helped needs a staff reply first and asks
// the citizen for a 1–5 rating; "not needed" and spam ask for none.
func (c *Console) conversationClose(w http.ResponseWriter, r *http.Request) {
	outcome := r.PostFormValue("outcome")
	ok := "close"
	if !handoff.OutcomeAsksRating(outcome) {
		ok = "closequiet"
	}
	c.act(w, r, action{ok: ok, invalid: msgCloseInvalid, draft: draft{Form: "close"},
		do: func(ctx context.Context, u staff.User, id string) error {
			return c.desk.Close(ctx, u, id, outcome)
		}})
}
