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
	Replied   bool            // a staff member replied in this handoff
	Outcomes  []outcomeOption // the close outcomes
	Transfer  []unitOption    // the queues it can be transferred to
	CityQueue string
	Draft     draft
	// Pane is what a phone shows first: the chat ("thread") or the
	// details and actions ("side", after one of those failed).
	Pane string
}

// outcomeOption is a close outcome; Disabled while it needs a staff reply
// that was not given.
type outcomeOption struct {
	Code, Name string
	NeedsReply bool
	Disabled   bool
}

// draft is what the user typed into a form that failed, shown again, and
// which form it was (Form: note, transfer, reassign, handback or close —
// forms of the details pane, which a phone then shows; "": the reply box).
type draft struct {
	Reply, Note, Reason, To string
	Form                    string
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
	d := conversationData{View: v, ID: id, Timeline: timeline(v), CityQueue: staff.CityQueue, Draft: dr,
		Replied: !v.FirstResponseAt.IsZero(), Pane: "thread"}
	if dr.Form != "" || r.URL.Query().Get("pane") == "side" {
		d.Pane = "side" // a form that failed, or the toggle tapped before the script ran
	}
	for _, o := range handoff.Outcomes {
		needs := handoff.OutcomeNeedsReply(o)
		d.Outcomes = append(d.Outcomes, outcomeOption{Code: o, Name: handoff.OutcomeName(o), NeedsReply: needs, Disabled: needs && !d.Replied})
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
	p.Live, p.Shell = "conversation", true
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
