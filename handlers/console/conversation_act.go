package console

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// action is one POST on a conversation.
type action struct {
	ok      string // the okMessages key shown after success
	to      string // where success goes ("": the conversation)
	invalid string // the message for invalid input
	draft   draft  // what the user typed, shown again on failure
	do      func(ctx context.Context, u staff.User, convID string) error
}

// act runs a on the conversation {id}: 303 on success; otherwise the
// conversation page again with the failure as a flash (409, 422), or a page
// of its own (404 with nothing of the chat, 403, 500).
func (c *Console) act(w http.ResponseWriter, r *http.Request, a action) {
	id := chi.URLParam(r, "id")
	err := a.do(r.Context(), user(r), id)
	if err == nil {
		to := a.to
		if to == "" {
			to = basePath + "/c/" + id
		}
		staffpage.Redirect(w, r, to, a.ok)
		return
	}
	f, known := deskFailure(err, a.invalid)
	if !known || !f.page {
		c.fail(w, r, err, a.invalid)
		return
	}
	p, perr := c.conversationPage(r, a.draft)
	if perr != nil {
		c.fail(w, r, perr, "")
		return
	}
	if d, ok := p.Data.(conversationData); ok && f.msg == msgTaken && !d.Active {
		f.msg = msgEnded
	}
	p.Flash, p.Error = f.msg, true
	c.render(w, r, f.status, "conversation.html", p)
}
