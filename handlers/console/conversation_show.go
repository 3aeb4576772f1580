package console

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// conversationData is what conversation.html shows.
type conversationData struct {
	handoff.View
	ID        string
	Timeline  []entry
	Outcomes  []unitOption // value and label of each close outcome
	Transfer  []unitOption // the queues it can be transferred to
	CityQueue string
	Draft     draft
}

// draft is what the user typed into a form that failed, shown again.
type draft struct {
	Reply, Note, Reason, To string
}

// conversationShow handles GET /console/c/{id}. X-Partial: 1 returns only
// the history and the side panel, for the script that keeps them live.
func (c *Console) conversationShow(w http.ResponseWriter, r *http.Request) {
	p, err := c.conversationPage(r, draft{})
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	if partial(r) {
		c.renderPartial(w, r, "conversation.html", "conversation_live", p)
		return
	}
	c.render(w, r, http.StatusOK, "conversation.html", p)
}

// conversationPage loads the conversation {id} as the user may see it.
func (c *Console) conversationPage(r *http.Request, dr draft) (page, error) {
	ctx, u, id := r.Context(), user(r), chi.URLParam(r, "id")
	people, err := c.reassignable(ctx, u)
	if err != nil {
		return page{}, err
	}
	v, err := c.desk.Conversation(ctx, u, id, people)
	if err != nil {
		return page{}, err
	}
	d := conversationData{View: v, ID: id, Timeline: timeline(v), CityQueue: staff.CityQueue, Draft: dr}
	for _, o := range handoff.Outcomes {
		d.Outcomes = append(d.Outcomes, unitOption{Code: o, Name: handoff.OutcomeName(o)})
	}
	if v.UnitCode != staff.CityQueue {
		d.Transfer = append(d.Transfer, unitOption{Code: staff.CityQueue, Name: c.desk.UnitName(staff.CityQueue)})
	}
	for _, un := range v.Units {
		if un.Code != v.UnitCode {
			d.Transfer = append(d.Transfer, unitOption{Code: un.Code, Name: un.Name})
		}
	}
	p := c.newPage(r, v.Ticket, "queue", d)
	p.Live = "conversation"
	return p, nil
}

// reassignable is who the user could hand a chat to: every user for a
// supervisor or city admin (the desk keeps those of the chat's unit),
// nobody for staff.
func (c *Console) reassignable(ctx context.Context, u staff.User) ([]staff.User, error) {
	if !u.CanReassign() {
		return nil, nil
	}
	return c.staff.List(ctx)
}
