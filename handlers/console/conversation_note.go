package console

import (
	"context"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgNoteInvalid = "Ghi chú phải có từ 1 đến 4000 ký tự."

// conversationNote handles POST /console/c/{id}/note: an internal note,
// never sent to the citizen.
func (c *Console) conversationNote(w http.ResponseWriter, r *http.Request) {
	f := textForm{Text: r.PostFormValue("text")}
	c.act(w, r, action{ok: "note", invalid: msgNoteInvalid, draft: draft{Note: f.Text, Form: "note"},
		do: func(ctx context.Context, u staff.User, id string) error {
			if err := f.Validate(); err != nil {
				return err
			}
			return c.desk.Note(ctx, u, id, f.Text)
		}})
}
