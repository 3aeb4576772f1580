package console

import (
	"context"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgCloseInvalid = "Vui lòng chọn kết quả xử lý."

// conversationClose handles POST /console/c/{id}/close with an outcome;
// the citizen is asked for a 1–5 rating.
func (c *Console) conversationClose(w http.ResponseWriter, r *http.Request) {
	outcome := r.PostFormValue("outcome")
	c.act(w, r, action{ok: "close", invalid: msgCloseInvalid,
		do: func(ctx context.Context, u staff.User, id string) error {
			return c.desk.Close(ctx, u, id, outcome)
		}})
}
