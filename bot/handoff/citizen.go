package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// Enqueue implements bot.Queue: the conversation waits in its unit's queue
// with a first-response deadline counted in that unit's office hours.
func (d *Desk) Enqueue(ctx context.Context, convID string, st bot.State, inboundID int64, reason string) (bot.Ticket, error) {
	unit := d.queueOf(st)
	set, err := d.Settings(ctx, unit)
	if err != nil {
		return bot.Ticket{}, err
	}
	now := d.cfg.Now()
	summary := d.summary(ctx, convID, st)
	h, created, err := d.st.OpenHandoff(ctx, store.NewHandoff{
		ConversationID: convID, MessageID: inboundID, Reason: reason, UnitCode: unit,
		ProcedureID: st.ProcedureID, Summary: summary,
		DueAt: set.Hours.AddWorking(now, set.SLA),
	})
	if err != nil {
		return bot.Ticket{}, err
	}
	if created {
		d.publish(live.Event{Kind: live.Queued, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
		d.alert(ctx, h, set, alertQueued)
		d.refineSummary(ctx, h, st, summary) // in the background: the citizen's answer does not wait
	} else {
		// Back from the bot to the request kept for them (the store set
		// the mode again).
		d.publish(live.Event{Kind: live.Returned, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	}
	return d.ticket(ctx, h, set)
}

// Leave implements bot.Queue: the citizen went back to the bot. The request
// keeps its place in the queue (and its owner) for staff, who see it marked
// and may still reply; a reply makes the conversation theirs again.
func (d *Desk) Leave(ctx context.Context, convID string) (bot.Ticket, error) {
	h, err := d.st.LeaveHandoff(ctx, convID)
	if err != nil {
		return bot.Ticket{}, err
	}
	d.publish(live.Event{Kind: live.Left, ConversationID: convID, Unit: h.UnitCode, HandoffID: h.ID})
	set, err := d.Settings(ctx, h.UnitCode)
	if err != nil {
		return bot.Ticket{}, err
	}
	return d.ticket(ctx, h, set)
}

// Ticket implements bot.Queue.
func (d *Desk) Ticket(ctx context.Context, convID string) (bot.Ticket, error) {
	h, err := d.st.ActiveHandoff(ctx, convID)
	if err != nil {
		return bot.Ticket{}, err
	}
	set, err := d.Settings(ctx, h.UnitCode)
	if err != nil {
		return bot.Ticket{}, err
	}
	return d.ticket(ctx, h, set)
}

func (d *Desk) ticket(ctx context.Context, h store.Handoff, set Settings) (bot.Ticket, error) {
	pos, err := d.st.Position(ctx, h)
	if err != nil {
		return bot.Ticket{}, err
	}
	per, ok, err := d.st.AvgClaimWait(ctx, h.UnitCode, 20)
	if err != nil {
		return bot.Ticket{}, err
	}
	if !ok || per < time.Minute {
		per = d.cfg.DefaultWait
	}
	now := d.cfg.Now()
	tk := bot.Ticket{
		Number: TicketNumber(h.ID), Unit: bot.UnitRef{Code: h.UnitCode, Name: d.UnitName(h.UnitCode)},
		Position: pos, Owned: h.Status == store.HandoffAssigned, WithBot: h.WithBot(),
		InHours: set.Hours.Open(now), Hours: set.Hours.String(),
		WaitMinutes: int((time.Duration(max(pos, 1)) * per).Round(time.Minute) / time.Minute),
	}
	if !tk.InHours {
		tk.OpensAt = set.Hours.NextOpen(now)
	}
	return tk, nil
}

// Inbound implements bot.Queue: staff watching see the citizen's message.
func (d *Desk) Inbound(ctx context.Context, convID string, msgID int64) {
	e := live.Event{Kind: live.Message, ConversationID: convID, MessageID: msgID, Direction: "in"}
	if h, err := d.st.ActiveHandoff(ctx, convID); err == nil {
		e.Unit, e.HandoffID = h.UnitCode, h.ID
	}
	d.publish(e)
}

// Rate implements bot.Queue.
func (d *Desk) Rate(ctx context.Context, convID string, score int) error {
	return d.st.Rate(ctx, convID, score)
}

// Comment implements bot.Queue.
func (d *Desk) Comment(ctx context.Context, convID, text string) error {
	return d.st.RateComment(ctx, convID, text)
}

// Resume implements bot.Queue: the conversation is the bot's again.
func (d *Desk) Resume(ctx context.Context, convID string) error {
	return d.st.SetMode(ctx, convID, bot.ModeBot)
}

// summary is what staff read first: the matter, the place and what the bot
// already answered, from the structured state (2–3 lines).
func (d *Desk) summary(ctx context.Context, convID string, st bot.State) string {
	var lines []string
	if name, ok := d.cfg.Catalog.Procedure(st.ProcedureID); ok {
		lines = append(lines, "Việc cần làm: "+name+".")
	}
	var place []string
	if st.OldPlace != "" {
		place = append(place, "địa chỉ cũ "+st.OldPlace)
	}
	if st.Street != "" {
		place = append(place, "đường "+st.Street)
	}
	switch {
	case st.Unit != nil:
		place = append(place, "thuộc "+st.Unit.Name)
	case len(st.Candidates) > 0:
		var names []string
		for _, c := range st.Candidates {
			names = append(names, c.Name)
		}
		place = append(place, "chưa rõ thuộc "+strings.Join(names, " hay "))
	}
	if len(place) > 0 {
		lines = append(lines, "Nơi ở: "+strings.Join(place, ", ")+".")
	}
	msgs, err := d.st.Messages(ctx, convID, 8)
	if err == nil {
		var asked []string
		for _, m := range msgs {
			if m.Direction == store.DirectionIn && strings.TrimSpace(m.Text) != "" && len(asked) < 3 {
				asked = append(asked, "“"+clip(m.Text, 80)+"”")
			}
		}
		if len(asked) > 0 {
			lines = append(lines, "Công dân đã hỏi: "+strings.Join(asked, "; ")+".")
		}
	}
	if len(lines) == 0 {
		return "Công dân muốn gặp cán bộ; chưa nêu việc cần làm hay địa chỉ."
	}
	return strings.Join(lines, "\n")
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// errNotFound maps the store's misses to ErrNotFound.
func errNotFound(err error) error {
	if errors.Is(err, store.ErrNoHandoff) || errors.Is(err, bot.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
