package live

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// Two gateways' hubs joined by relays over a bus that, like Postgres
// NOTIFY, delivers every payload to every listener, the sender included:
// an event published on one reaches the other's subscribers once, and its
// own subscribers once (not again through the echo).
func TestRelayJoinsHubs(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var mu sync.Mutex
	var relays []*Relay
	bus := func(_ context.Context, payload string) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range relays {
			r.Receive(payload)
		}
		return nil
	}
	a, b := New(8), New(8)
	ra := NewRelay(a, "gw-a", bus, slog.New(slog.DiscardHandler))
	rb := NewRelay(b, "gw-b", bus, slog.New(slog.DiscardHandler))
	mu.Lock()
	relays = []*Relay{ra, rb}
	mu.Unlock()
	go ra.Run(ctx)
	go rb.Run(ctx)
	onA, stopA := a.Subscribe(nil)
	defer stopA()
	onB, stopB := b.Subscribe(func(e Event) bool { return e.Unit == "26734" })
	defer stopB()

	a.Publish(Event{Kind: Queued, ConversationID: "c1", Unit: "26734", HandoffID: 7})
	a.Publish(Event{Kind: Queued, ConversationID: "c2", Unit: "27139"}) // not for b's filter
	select {
	case e := <-onB:
		if e.ConversationID != "c1" || e.HandoffID != 7 || e.Kind != Queued {
			t.Errorf("gateway b got %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event never reached the other gateway")
	}
	time.Sleep(50 * time.Millisecond) // an echo or a second copy would arrive now
	if n := len(onA); n != 2 {
		t.Errorf("gateway a's subscriber has %d events, want its 2 (no echo)", n)
	}
	if n := len(onB); n != 0 {
		t.Errorf("gateway b has %d more events, want none", n)
	}
	rb.Receive("not json") // logged, dropped, no panic
	if ra.Dropped() != 0 || rb.Dropped() != 0 {
		t.Errorf("dropped %d and %d", ra.Dropped(), rb.Dropped())
	}
}
