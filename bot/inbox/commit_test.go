package inbox_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// Concurrent accepts share transactions (group commit); each caller still
// learns its own outcome, and every update is answered exactly once.
func TestConcurrentAcceptsGroupCommitted(t *testing.T) {
	r := newRig(t, sqldbtest.Location(t), newEngine(t))
	r.run(t)
	const updates, deliveries = 60, 3 // each update delivered 3 times, concurrently
	var wg sync.WaitGroup
	var fresh, dups atomic.Int64
	for i := range updates * deliveries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := i % updates
			dup, err := r.in.Accept(t.Context(), inbox.Update{Channel: "fake", ChatID: fmt.Sprint(u % 20),
				ID: fmt.Sprint(1000 + u), Message: bot.Message{Text: "/help"}})
			if err != nil {
				t.Error(err)
			}
			if dup.Duplicate {
				dups.Add(1)
			} else {
				fresh.Add(1)
			}
		}()
	}
	wg.Wait()
	if fresh.Load() != updates || dups.Load() != updates*(deliveries-1) {
		t.Errorf("fresh %d, duplicates %d; want %d and %d", fresh.Load(), dups.Load(), updates, updates*(deliveries-1))
	}
	rows := r.waitRows(t, updates*helpLines(t, r))
	keys := map[string]int{}
	for _, row := range rows {
		if row.Chunk == 0 {
			keys[row.Key]++
		}
	}
	if len(keys) != updates {
		t.Errorf("%d updates answered, want %d", len(keys), updates)
	}
	if c := r.in.Counts()["fake"]; c != (inbox.Counts{Received: updates, Duplicates: updates * (deliveries - 1)}) {
		t.Errorf("counts = %+v", c)
	}
}

// helpLines is how many outbox rows the fake channel renders for /help.
func helpLines(t *testing.T, _ *rig) int {
	t.Helper()
	a, _ := fakeChannel{}.Canned(bot.Message{Text: "/help"})
	msgs, err := fakeChannel{}.Render(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}
