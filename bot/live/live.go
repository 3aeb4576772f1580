// Package live fans out what happens in conversations (a citizen's
// message, a staff reply, a claim, a close) to whoever watches live: the
// staff console's event stream and the citizen's web chat. It is in memory
// and lossy by design: a subscriber that does not keep up loses events and
// catches up from the database (its next page load or poll).
package live

import (
	"sync"
)

// Event kinds.
const (
	Message  = "message"  // a message was stored on the conversation
	Queued   = "queued"   // a handoff entered a queue (new, or transferred)
	Claimed  = "claimed"  // a person took the conversation
	Closed   = "closed"   // closed or handed back to the bot
	Escalate = "escalate" // the first-response SLA was breached
	Note     = "note"     // an internal note
	Summary  = "summary"  // a handoff's summary for staff was rewritten
	Left     = "left"     // the citizen went back to the bot; the handoff stays
	Returned = "returned" // the citizen who had left asked for staff again
)

// Event is one thing that happened.
type Event struct {
	Kind           string `json:"kind"`
	ConversationID string `json:"conversation_id"`
	Unit           string `json:"unit,omitempty"` // the handoff's unit queue
	HandoffID      int64  `json:"handoff_id,omitempty"`
	MessageID      int64  `json:"message_id,omitempty"`
	// Direction of a Message event: "in" (citizen) or "out".
	Direction string `json:"direction,omitempty"`
}

// Hub delivers events to subscribers. The zero value is not usable; use New.
type Hub struct {
	mu     sync.Mutex
	subs   map[*sub]struct{}
	buffer int
	out    func(Event) // the relay to the other gateways (relay.go); nil: none
}

type sub struct {
	ch     chan Event
	filter func(Event) bool
}

// New returns a hub whose subscribers each buffer up to buffer events.
func New(buffer int) *Hub {
	if buffer <= 0 {
		buffer = 64
	}
	return &Hub{subs: map[*sub]struct{}{}, buffer: buffer}
}

// Subscribe returns a channel of the events filter accepts (nil: all) and
// a function that ends the subscription and closes the channel.
func (h *Hub) Subscribe(filter func(Event) bool) (<-chan Event, func()) {
	s := &sub{ch: make(chan Event, h.buffer), filter: filter}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, s)
			h.mu.Unlock()
			close(s.ch)
		})
	}
}

// Publish sends e to every subscriber that wants it, never blocking: a
// full subscriber misses it; with a relay, the other gateways' hubs get it
// too.
func (h *Hub) Publish(e Event) {
	h.deliver(e)
	h.mu.Lock()
	out := h.out
	h.mu.Unlock()
	if out != nil {
		out(e)
	}
}

// deliver hands e to this hub's subscribers.
func (h *Hub) deliver(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.filter != nil && !s.filter(e) {
			continue
		}
		select {
		case s.ch <- e:
		default:
		}
	}
}

// Subscribers is the number of live subscriptions.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
