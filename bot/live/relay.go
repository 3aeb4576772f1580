package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
)

// Relay carries the events of a hub to the hubs of the other gateways
// sharing the database, and theirs to it (Postgres LISTEN/NOTIFY through
// the send function and Receive). Like the hub it is lossy: a relay that
// cannot keep up drops events (counted), and the views catch up from the
// database.
type Relay struct {
	hub     *Hub
	origin  string // this gateway: its own events coming back are skipped
	send    func(ctx context.Context, payload string) error
	queue   chan Event
	logger  *slog.Logger
	dropped atomic.Int64
}

// relayed is an event on the wire.
type relayed struct {
	Origin string `json:"o"`
	Event  Event  `json:"e"`
}

// NewRelay relays hub's events through send (run by Run, in order) and
// makes hub publish what Receive gets from the other gateways; origin
// names this gateway.
func NewRelay(hub *Hub, origin string, send func(ctx context.Context, payload string) error, logger *slog.Logger) *Relay {
	r := &Relay{hub: hub, origin: origin, send: send, queue: make(chan Event, 1024), logger: logger}
	hub.mu.Lock()
	hub.out = r.enqueue
	hub.mu.Unlock()
	return r
}

func (r *Relay) enqueue(e Event) {
	select {
	case r.queue <- e:
	default:
		r.dropped.Add(1)
	}
}

// Run sends the queued events until ctx is done.
func (r *Relay) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-r.queue:
			b, err := json.Marshal(relayed{Origin: r.origin, Event: e})
			if err == nil {
				err = r.send(ctx, string(b))
			}
			if err != nil && ctx.Err() == nil {
				r.dropped.Add(1)
				r.logger.Warn("live: relay an event to the other gateways", "kind", e.Kind, "err", err)
			}
		}
	}
}

// Receive publishes, on this gateway only, an event another gateway sent.
func (r *Relay) Receive(payload string) {
	var m relayed
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		r.logger.Warn("live: unreadable relayed event", "err", err)
		return
	}
	if m.Origin == r.origin {
		return
	}
	r.hub.deliver(m.Event)
}

// Dropped is how many events were not relayed (queue full, send failed).
func (r *Relay) Dropped() int64 { return r.dropped.Load() }
