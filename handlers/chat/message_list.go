package chat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// Tickets is the ward queues (bot/handoff): the conversation's open
// request, store.ErrNoHandoff when it has none.
type Tickets interface {
	Ticket(ctx context.Context, convID string) (bot.Ticket, error)
}

// historyLimit is how many of the last messages a page is given back.
const historyLimit = 200

// Senders of a history message.
const (
	fromCitizen = "citizen"
	fromBot     = "bot" // the engine's answers and the gateway's notices
	fromStaff   = "staff"
)

// historyMessage is one message of the conversation as the citizen saw it.
type historyMessage struct {
	ID       int64         `json:"id"`
	From     string        `json:"from"`
	Text     string        `json:"text,omitempty"`     // citizen: what they typed
	Location *bot.Location `json:"location,omitempty"` // citizen: a pin
	// ToStaff: the citizen's message went to staff (the bot stayed silent).
	ToStaff bool        `json:"to_staff,omitempty"`
	Answer  *bot.Answer `json:"answer,omitempty"` // bot and staff
	Staff   string      `json:"staff,omitempty"`  // staff: who wrote
	At      time.Time   `json:"at"`
}

// historyResponse is the body of GET …/messages.
type historyResponse struct {
	Messages []historyMessage `json:"messages"`
	Ticket   *bot.Ticket      `json:"ticket"` // the open request, or null
}

// listMessages handles GET /api/v1/conversations/{id}/messages: for the
// holder of its token, the conversation's last messages in order — what
// the citizen wrote, the answers, staff replies and notices (never staff's
// internal notes, which are no messages) — and its open ticket, so a page
// reloaded (or reopened) draws the conversation again.
func (a *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	if a.history == nil {
		return errConversationNotFound(nil)
	}
	id, err := a.authorize(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	msgs, err := a.history.Messages(ctx, id, historyLimit)
	if errors.Is(err, bot.ErrNotFound) {
		return errConversationNotFound(err)
	}
	if err != nil {
		return engineError(fmt.Errorf("history: %w", err))
	}
	res := historyResponse{Messages: history(msgs)}
	if res.Ticket, err = a.ticket(ctx, id); err != nil {
		return engineError(err)
	}
	w.Header().Set("Cache-Control", "no-store")
	return jsonapi.WriteJSON(w, http.StatusOK, res)
}

// history turns stored messages into what the citizen saw: the bot's
// silences mark the message they followed as sent to staff.
func history(msgs []store.StoredMessage) []historyMessage {
	out := make([]historyMessage, 0, len(msgs))
	at := map[int64]int{} // inbound id → its index in out
	for _, m := range msgs {
		if m.Direction == store.DirectionIn {
			at[m.ID] = len(out)
			out = append(out, historyMessage{ID: m.ID, From: fromCitizen, Text: m.Text, Location: m.Location, At: m.CreatedAt})
			continue
		}
		if m.Answer == nil {
			continue
		}
		if m.Kind == bot.KindNone {
			if i, ok := at[m.ReplyTo]; ok {
				out[i].ToStaff = true
			}
			continue
		}
		h := historyMessage{ID: m.ID, From: fromBot, Answer: m.Answer, At: m.CreatedAt}
		if m.Kind == bot.KindStaff {
			h.From, h.Staff = fromStaff, m.AuthorName
		}
		out = append(out, h)
	}
	return out
}

// ticket is the conversation's open request, nil when it has none (or no
// queues are wired).
func (a *API) ticket(ctx context.Context, id string) (*bot.Ticket, error) {
	if a.tickets == nil {
		return nil, nil
	}
	tk, err := a.tickets.Ticket(ctx, id)
	if errors.Is(err, store.ErrNoHandoff) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ticket: %w", err)
	}
	return &tk, nil
}
