package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/periodic"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Item is one line of a queue page.
type Item struct {
	store.Handoff
	Ticket   string
	UnitName string
	Waited   time.Duration // since queued
	Breached bool          // first response overdue
	Mine     bool          // owned by the viewer
}

// zaloWindow is how long after the citizen's last message Zalo OA lets an
// official account reply.
const zaloWindow = 48 * time.Hour

// visibleUnits is what a user's queue pages cover: nil = every unit.
func visibleUnits(u staff.User) []string {
	if u.IsCityAdmin() {
		return nil
	}
	return u.Units
}

// Queue lists the active handoffs the user may see, oldest first: queued
// ones and those owned by someone. unit narrows it to one queue ("": all of
// the user's).
func (d *Desk) Queue(ctx context.Context, u staff.User, unit string) ([]Item, error) {
	if !u.CanWorkQueues() {
		return nil, ErrForbidden
	}
	units := visibleUnits(u)
	if unit != "" {
		if !u.CanSeeUnit(unit) {
			return nil, ErrNotFound
		}
		units = []string{unit}
	}
	hs, err := d.st.Queue(ctx, units, true)
	if err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	out := make([]Item, len(hs))
	for i, h := range hs {
		out[i] = d.item(h, u, now)
	}
	return out, nil
}

func (d *Desk) item(h store.Handoff, u staff.User, now time.Time) Item {
	return Item{
		Handoff: h, Ticket: TicketNumber(h.ID), UnitName: d.UnitName(h.UnitCode), Waited: now.Sub(h.CreatedAt),
		Breached: h.FirstResponseAt.IsZero() && !h.DueAt.IsZero() && now.After(h.DueAt) && h.Status != store.HandoffClosed,
		Mine:     h.AssigneeID == u.ID && h.Status == store.HandoffAssigned,
	}
}

// View is everything the conversation page shows.
type View struct {
	Item
	Active     bool // the handoff is queued or owned (not closed)
	State      bot.State
	Procedure  string // the matter's name
	Messages   []store.StoredMessage
	Events     []store.Event
	Canned     []store.Canned
	WindowOpen bool      // Zalo OA: the 48-hour reply window is open
	WindowEnds time.Time // Zalo OA: when it closes
	Rating     *store.Rating
	// Units are the transfer targets (every HCMC unit).
	Units []bot.UnitRef
	// Staff are who a supervisor may reassign the chat to.
	Staff []staff.User
}

// Conversation returns the page of a conversation that has (or had) a
// handoff the user may see; ErrNotFound otherwise.
func (d *Desk) Conversation(ctx context.Context, u staff.User, convID string, people []staff.User) (View, error) {
	h, err := d.handoffFor(ctx, u, convID)
	if err != nil {
		return View{}, err
	}
	var v View
	v.Item = d.item(h, u, d.cfg.Now())
	v.Active = h.Status != store.HandoffClosed
	if v.State, err = d.st.State(ctx, convID); err != nil {
		return View{}, err
	}
	v.Procedure, _ = d.cfg.Catalog.Procedure(v.State.ProcedureID)
	if v.Messages, err = d.st.Messages(ctx, convID, 200); err != nil {
		return View{}, err
	}
	if v.Events, err = d.st.Events(ctx, convID); err != nil {
		return View{}, err
	}
	if v.Canned, err = d.st.CannedReplies(ctx, []string{h.UnitCode, staff.CityQueue}); err != nil {
		return View{}, err
	}
	if h.Channel == "zalo-oa" && !h.LastInboundAt.IsZero() {
		v.WindowEnds = h.LastInboundAt.Add(zaloWindow)
		v.WindowOpen = d.cfg.Now().Before(v.WindowEnds)
	}
	if r, ok, err := d.st.RatingOf(ctx, h.ID); err != nil {
		return View{}, err
	} else if ok {
		v.Rating = &r
	}
	v.Units = d.Units()
	if u.CanReassign() {
		for _, p := range people {
			if p.CanSeeUnit(h.UnitCode) && p.CanWorkQueues() && !p.Disabled {
				v.Staff = append(v.Staff, p)
			}
		}
	}
	return v, nil
}

// handoffFor is the conversation's active handoff, else its last one,
// provided the user may see its unit.
func (d *Desk) handoffFor(ctx context.Context, u staff.User, convID string) (store.Handoff, error) {
	if !u.CanWorkQueues() {
		return store.Handoff{}, ErrForbidden
	}
	h, err := d.st.ActiveHandoff(ctx, convID)
	if errors.Is(err, store.ErrNoHandoff) {
		h, err = d.st.LastHandoff(ctx, convID)
	}
	if err != nil {
		return h, errNotFound(err)
	}
	if !u.CanSeeUnit(h.UnitCode) {
		return h, ErrNotFound
	}
	return h, nil
}

// active is handoffFor limited to queued or owned handoffs.
func (d *Desk) active(ctx context.Context, u staff.User, convID string) (store.Handoff, error) {
	h, err := d.handoffFor(ctx, u, convID)
	if err == nil && h.Status == store.HandoffClosed {
		return h, ErrTaken
	}
	return h, err
}

// Claim gives the queued conversation to u, within u's capacity.
func (d *Desk) Claim(ctx context.Context, u staff.User, convID string) error {
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if err := d.st.Claim(ctx, h.ID, actor(u), u.MaxChats); err != nil {
		return err
	}
	d.publish(live.Event{Kind: live.Claimed, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	return nil
}

// mayAct checks that u owns the handoff, or may act for the owner (a
// supervisor or city admin); a queued handoff is claimed for u first,
// within u's capacity like Claim (ErrCapacity at the limit: the check and
// the claim are one transaction).
func (d *Desk) mayAct(ctx context.Context, u staff.User, h store.Handoff) error {
	switch {
	case h.Status == store.HandoffOpen:
		if err := d.st.Claim(ctx, h.ID, actor(u), u.MaxChats); err != nil {
			return err
		}
		d.publish(live.Event{Kind: live.Claimed, ConversationID: h.ConversationID, Unit: h.UnitCode, HandoffID: h.ID})
		return nil
	case h.AssigneeID == u.ID || u.CanReassign():
		return nil
	}
	return ErrNotOwner
}

// Reply sends text to the citizen through their channel (claiming a queued
// conversation first, within u's capacity) and records the first response.
func (d *Desk) Reply(ctx context.Context, u staff.User, convID, text string) error {
	text, err := checkText("reply", text)
	if err != nil {
		return err
	}
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if err := d.mayAct(ctx, u, h); err != nil {
		return err
	}
	a := bot.Answer{Kind: bot.KindStaff, Text: text, Staff: u.Name}
	id, err := d.st.StaffReply(ctx, h.ID, actor(u), a)
	if err != nil {
		return err
	}
	return d.deliver(ctx, h, id, a)
}

// checkText trims a staff member's text and checks its length.
func checkText(what, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 4000 {
		return "", fmt.Errorf("%w: %s must have 1–4000 characters", ErrInvalid, what)
	}
	return text, nil
}

// deliver sends a stored outbound message on the citizen's channel and
// tells the live views.
func (d *Desk) deliver(ctx context.Context, h store.Handoff, msgID int64, a bot.Answer) error {
	if d.cfg.Courier != nil && h.ExternalID != "" {
		out := a
		if a.Kind == bot.KindStaff {
			out.Text = "👤 Cán bộ " + a.Staff + ":\n" + a.Text
		}
		if err := d.cfg.Courier.Deliver(ctx, h.Channel, h.ExternalID, fmt.Sprintf("staff:%d", msgID), out); err != nil {
			return fmt.Errorf("deliver to %s: %w", h.Channel, err)
		}
	}
	d.publish(live.Event{Kind: live.Message, ConversationID: h.ConversationID, Unit: h.UnitCode,
		HandoffID: h.ID, MessageID: msgID, Direction: "out"})
	return nil
}

// Note adds an internal note (staff only, never sent).
func (d *Desk) Note(ctx context.Context, u staff.User, convID, text string) error {
	text, err := checkText("note", text)
	if err != nil {
		return err
	}
	h, err := d.handoffFor(ctx, u, convID)
	if err != nil {
		return err
	}
	if err := d.st.AddNote(ctx, h.ID, actor(u), text); err != nil {
		return err
	}
	d.publish(live.Event{Kind: live.Note, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	return nil
}

// Transfer moves the conversation to another unit's queue (or the city
// level, staff.CityQueue) with a reason; it waits there unowned, and the
// citizen is told on their channel (same ticket, the new place and wait).
func (d *Desk) Transfer(ctx context.Context, u staff.User, convID, toUnit, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("%w: a transfer needs a reason", ErrInvalid)
	}
	if toUnit != staff.CityQueue {
		if _, ok := d.cfg.Catalog.Unit(toUnit); !ok {
			return fmt.Errorf("%w: unknown unit %q", ErrInvalid, toUnit)
		}
	}
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if h.UnitCode == toUnit {
		return fmt.Errorf("%w: already in that queue", ErrInvalid)
	}
	if h.Status == store.HandoffAssigned && h.AssigneeID != u.ID && !u.CanReassign() {
		return ErrNotOwner
	}
	set, err := d.Settings(ctx, toUnit)
	if err != nil {
		return err
	}
	if err := d.st.Transfer(ctx, h.ID, toUnit, set.Hours.AddWorking(d.cfg.Now(), set.SLA), actor(u), reason); err != nil {
		return err
	}
	d.publish(live.Event{Kind: live.Closed, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	d.publish(live.Event{Kind: live.Queued, ConversationID: convID, Unit: toUnit, HandoffID: h.ID})
	h.UnitCode, h.Status, h.AssigneeID = toUnit, store.HandoffOpen, 0
	d.alert(ctx, h, set, alertQueued)
	return d.tellTransfer(ctx, h, set)
}

// tellTransfer tells the citizen where their transferred request waits now.
func (d *Desk) tellTransfer(ctx context.Context, h store.Handoff, set Settings) error {
	tk, err := d.ticket(ctx, h, set)
	if err != nil {
		return err
	}
	notice := bot.Transferred(tk)
	id, err := d.st.SystemMessage(ctx, h.ConversationID, notice)
	if err != nil {
		return err
	}
	return d.deliver(ctx, h, id, notice)
}

// Reassign gives the conversation to another staff member of its unit
// (supervisors and city admins).
func (d *Desk) Reassign(ctx context.Context, u, to staff.User, convID string) error {
	if !u.CanReassign() {
		return ErrForbidden
	}
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if !to.CanSeeUnit(h.UnitCode) || !to.CanWorkQueues() || to.Disabled {
		return fmt.Errorf("%w: %s does not work this unit's queue", ErrInvalid, to.Username)
	}
	if err := d.st.Reassign(ctx, h.ID, actor(to), actor(u)); err != nil {
		return err
	}
	d.publish(live.Event{Kind: live.Claimed, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	return nil
}

// HandBack gives the conversation back to the bot and tells the citizen.
func (d *Desk) HandBack(ctx context.Context, u staff.User, convID string) error {
	return d.end(ctx, u, convID, OutcomeHandedBack, bot.ModeBot, bot.HandedBack())
}

// Close ends the conversation with one of Outcomes. An outcome that says
// the citizen was helped needs a staff reply in this handoff (ErrNoReply
// otherwise, and nothing changes); it asks the citizen for a 1–5 rating.
// The others (not needed, spam) give the conversation back to the bot at
// once with a short notice, and ask for no rating.
func (d *Desk) Close(ctx context.Context, u staff.User, convID, outcome string) error {
	if !slices.Contains(Outcomes, outcome) {
		return fmt.Errorf("%w: unknown outcome %q", ErrInvalid, outcome)
	}
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if OutcomeNeedsReply(outcome) && h.FirstResponseAt.IsZero() {
		return fmt.Errorf("%w: %s needs a staff reply in handoff %d", ErrNoReply, outcome, h.ID)
	}
	if !OutcomeAsksRating(outcome) {
		return d.end(ctx, u, convID, outcome, bot.ModeBot, bot.ClosedQuietly(TicketNumber(h.ID)))
	}
	return d.end(ctx, u, convID, outcome, bot.ModeClosed, bot.RatingQuestion(d.UnitName(h.UnitCode)))
}

func (d *Desk) end(ctx context.Context, u staff.User, convID, outcome, mode string, notice bot.Answer) error {
	h, err := d.active(ctx, u, convID)
	if err != nil {
		return err
	}
	if h.Status == store.HandoffAssigned && h.AssigneeID != u.ID && !u.CanReassign() {
		return ErrNotOwner
	}
	if err := d.st.Close(ctx, h.ID, outcome, mode, actor(u)); err != nil {
		return err
	}
	id, err := d.st.SystemMessage(ctx, convID, notice)
	if err != nil {
		return err
	}
	d.publish(live.Event{Kind: live.Closed, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	return d.deliver(ctx, h, id, notice)
}

// Mine lists the conversations u owns.
func (d *Desk) Mine(ctx context.Context, u staff.User) ([]Item, error) {
	hs, err := d.st.OwnedBy(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	out := make([]Item, len(hs))
	for i, h := range hs {
		out[i] = d.item(h, u, now)
	}
	return out, nil
}

// Canned lists the canned replies of the units u may see (and the city's).
func (d *Desk) Canned(ctx context.Context, u staff.User) ([]store.Canned, error) {
	units := append([]string{staff.CityQueue}, u.Units...)
	if u.IsCityAdmin() {
		units = append(units, unitCodes(d.Units())...)
	}
	return d.st.CannedReplies(ctx, units)
}

func unitCodes(us []bot.UnitRef) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Code
	}
	return out
}

// AddCanned stores a canned reply for a unit u supervises.
func (d *Desk) AddCanned(ctx context.Context, u staff.User, unit, title, text string) error {
	if !u.CanSeeUnit(unit) {
		return ErrNotFound
	}
	if !u.CanReassign() {
		return ErrForbidden
	}
	title, text = strings.TrimSpace(title), strings.TrimSpace(text)
	if title == "" || text == "" || len([]rune(title)) > 80 || len([]rune(text)) > 2000 {
		return fmt.Errorf("%w: a canned reply needs a title (≤ 80) and a text (≤ 2000)", ErrInvalid)
	}
	_, err := d.st.AddCanned(ctx, store.Canned{UnitCode: unit, Title: title, Text: text, CreatedBy: u.Name})
	return err
}

// DeleteCanned removes a canned reply of a unit u supervises.
func (d *Desk) DeleteCanned(ctx context.Context, u staff.User, id int64) error {
	c, err := d.st.CannedByID(ctx, id)
	if errors.Is(err, store.ErrNoCanned) || (err == nil && !u.CanSeeUnit(c.UnitCode)) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if !u.CanReassign() {
		return ErrForbidden
	}
	return d.st.DeleteCanned(ctx, id)
}

// Escalate marks every handoff past its first-response deadline as
// escalated and tells the live views (supervisors see it highlighted and
// get an alert). It returns how many were escalated.
func (d *Desk) Escalate(ctx context.Context) (int, error) {
	hs, err := d.st.Overdue(ctx, d.cfg.Now())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hs {
		if err := d.st.MarkEscalated(ctx, h.ID); err != nil {
			if errors.Is(err, store.ErrTaken) {
				continue
			}
			return n, err
		}
		n++
		d.cfg.Logger.Warn("handoff SLA breached", "unit", h.UnitCode, "handoff", h.ID)
		d.publish(live.Event{Kind: live.Escalate, ConversationID: h.ConversationID, Unit: h.UnitCode, HandoffID: h.ID})
		if set, err := d.Settings(ctx, h.UnitCode); err == nil {
			d.alert(ctx, h, set, alertOverdue)
		}
	}
	return n, nil
}

// escalationJob is the lease of the SLA check among several gateways.
const escalationJob = "job:sla-escalation"

// Run escalates SLA breaches every interval until ctx is done; with
// Config.Leases only the gateway holding the job's lease does (it keeps
// it by running; another takes it once it stops).
func (d *Desk) Run(ctx context.Context, interval time.Duration) {
	periodic.Every(ctx, interval, func(ctx context.Context) {
		if d.cfg.Leases != nil {
			if _, ok, err := d.cfg.Leases.Acquire(ctx, escalationJob); err != nil || !ok {
				if err != nil && ctx.Err() == nil {
					d.cfg.Logger.Warn("escalate overdue handoffs: take the job's lease", "err", err)
				}
				return // another gateway runs it
			}
		}
		if _, err := d.Escalate(ctx); err != nil && ctx.Err() == nil {
			d.cfg.Logger.Warn("escalate overdue handoffs", "err", err)
		}
	})
}
