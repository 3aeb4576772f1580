package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/store"
)

// History reads a conversation's stored messages (bot/store).
type History interface {
	// Messages: the last limit messages, oldest first; bot.ErrNotFound
	// for an unknown conversation.
	Messages(ctx context.Context, id string, limit int) ([]store.StoredMessage, error)
	MessagesAfter(ctx context.Context, id string, after int64, recent time.Time, limit int) ([]store.StoredMessage, error)
}

// liveMessage is what the stream sends of a message that did not come
// back as the answer to the citizen's own request: a staff member's reply
// or a notice about the conversation (closed, handed back, the rating
// question).
type liveMessage struct {
	ID     int64      `json:"id"`
	Kind   bot.Kind   `json:"kind"`
	Text   string     `json:"text"`
	Staff  string     `json:"staff,omitempty"`
	Answer bot.Answer `json:"answer"`
	At     time.Time  `json:"at"`
}

// The stream's events: a message, and the conversation's open ticket
// (sent at the start and whenever it changes: claimed, moved up the
// queue, closed; its data null when there is none).
const (
	eventMessage = "message"
	eventTicket  = "ticket"
)

// streamFor bounds one event stream: the browser reconnects by itself
// (EventSource, with Last-Event-ID), staying under the request timeout.
const streamFor = 25 * time.Second

// events handles GET /api/v1/conversations/{id}/events: a Server-Sent
// Events stream of the staff replies and notices of the conversation,
// from the Last-Event-ID (or ?after=) on, and of its open ticket, for the
// holder of its token.
func (a *API) events(w http.ResponseWriter, r *http.Request) error {
	if a.history == nil {
		return errConversationNotFound(nil)
	}
	id, err := a.authorize(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	after := parseAfter(r)
	sub, stop := a.live.Subscribe(func(e live.Event) bool {
		return e.ConversationID == id && (e.Direction == "out" || e.Kind != live.Message)
	})
	defer stop()

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	fmt.Fprint(w, "retry: 2000\n\n")
	ctx, cancel := context.WithTimeout(ctx, streamFor)
	defer cancel()
	// The ticket is read when the stream starts and after the
	// conversation's own events; its place in the queue is read again at
	// each reconnection (every streamFor), not at every keep-alive.
	lastTicket, woke := "", true
	sent := map[int64]time.Time{}
	for {
		var err error
		if after, err = a.sendAfter(ctx, w, id, after, sent); err != nil {
			return nil // the client went away or the stream ended: nothing to answer
		}
		if woke {
			if lastTicket, err = a.sendTicket(ctx, w, id, lastTicket); err != nil {
				return nil
			}
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-sub:
			woke = true
		case <-time.After(10 * time.Second):
			woke = false
			fmt.Fprint(w, ": keep-alive\n\n")
		}
	}
}

// lookback is how far back each read of the stream looks again: a message
// whose id is below one already read but whose transaction committed later
// (Postgres hands ids out before commit) is still sent.
const lookback = 10 * time.Second

// sendAfter writes the stored staff messages and the system notices no
// POST returned (those not replying to a citizen's message) with an id
// above after, or created within the lookback and not yet in sent, and
// returns the highest id read.
func (a *API) sendAfter(ctx context.Context, w http.ResponseWriter, id string, after int64, sent map[int64]time.Time) (int64, error) {
	now := time.Now()
	for m, at := range sent {
		if now.Sub(at) > 2*lookback {
			delete(sent, m)
		}
	}
	msgs, err := a.history.MessagesAfter(ctx, id, after, now.Add(-lookback), 100)
	if err != nil {
		return after, err
	}
	for _, m := range msgs {
		after = max(after, m.ID)
		if _, done := sent[m.ID]; done {
			continue
		}
		sent[m.ID] = now
		if m.Direction != store.DirectionOut || m.Answer == nil || (m.Kind != bot.KindStaff && m.Kind != bot.KindSystem) {
			continue
		}
		if m.Kind == bot.KindSystem && m.ReplyTo != 0 {
			continue // a notice replying to the citizen (a 👍/👎, a rating): the POST returned it
		}
		b, err := json.Marshal(liveMessage{ID: m.ID, Kind: m.Kind, Text: m.Text, Staff: m.AuthorName, Answer: *m.Answer, At: m.CreatedAt})
		if err != nil {
			return after, err
		}
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", m.ID, eventMessage, b); err != nil {
			return after, err
		}
	}
	return after, nil
}

// sendTicket writes the conversation's open ticket (JSON, or null) when it
// differs from last, the one written before, and returns what it wrote.
// It carries no id: the stream resumes after the last message.
func (a *API) sendTicket(ctx context.Context, w http.ResponseWriter, id, last string) (string, error) {
	if a.tickets == nil {
		return last, nil
	}
	tk, err := a.ticket(ctx, id)
	if err != nil {
		return last, err
	}
	b, err := json.Marshal(tk)
	if err != nil || string(b) == last {
		return last, err
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", eventTicket, b); err != nil {
		return last, err
	}
	return string(b), nil
}

func parseAfter(r *http.Request) int64 {
	for _, s := range []string{r.Header.Get("Last-Event-ID"), r.URL.Query().Get("after")} {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return 0
}
