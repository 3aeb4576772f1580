package console

import (
	"context"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

const msgReplyInvalid = "Nội dung trả lời phải có từ 1 đến 4000 ký tự."

// textForm is a form with one text (a reply or a note).
type textForm struct {
	Text string
}

func (f textForm) Validate() error {
	if n := len([]rune(strings.TrimSpace(f.Text))); n == 0 || n > 4000 {
		return errInvalidForm
	}
	return nil
}

// conversationReply handles POST /console/c/{id}/reply: the text goes to
// the citizen on their channel through the desk (claiming a queued chat).
func (c *Console) conversationReply(w http.ResponseWriter, r *http.Request) {
	f := textForm{Text: r.PostFormValue("text")}
	c.act(w, r, action{ok: "reply", invalid: msgReplyInvalid, draft: draft{Reply: f.Text},
		do: func(ctx context.Context, u staff.User, id string) error {
			if err := f.Validate(); err != nil {
				return err
			}
			return c.desk.Reply(ctx, u, id, f.Text)
		}})
}
