package live

import "testing"

func TestHubFiltersAndDropsWhenFull(t *testing.T) {
	h := New(2)
	all, stopAll := h.Subscribe(nil)
	unit, stopUnit := h.Subscribe(func(e Event) bool { return e.Unit == "26734" })
	for _, u := range []string{"26734", "27139", "26734", "26734"} {
		h.Publish(Event{Kind: Queued, Unit: u})
	}
	if got := len(all); got != 2 {
		t.Errorf("unfiltered subscriber buffered %d events, want 2 (the rest dropped, not blocked)", got)
	}
	if got := len(unit); got != 2 {
		t.Errorf("filtered subscriber got %d events, want 2", got)
	}
	if e := <-unit; e.Unit != "26734" {
		t.Errorf("filtered event for unit %q", e.Unit)
	}
	stopUnit()
	stopUnit() // twice is harmless
	if h.Subscribers() != 1 {
		t.Errorf("%d subscribers after one stopped, want 1", h.Subscribers())
	}
	if _, open := <-unit; open {
		// drain what was buffered before the close
		for range unit {
		}
	}
	stopAll()
	h.Publish(Event{Kind: Message}) // no subscriber: no panic
}
