package inbox_test

import (
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// Run prunes dedupe keys past the retention (7 days by default): the same
// update id delivered again after that is a new message, within it a
// duplicate.
func TestDedupeKeysPrunedAfterRetention(t *testing.T) {
	r := newRig(t, sqldbtest.Location(t), newEngine(t))
	accept := func(id string, at time.Time) bool {
		t.Helper()
		dup, err := r.in.Accept(t.Context(), inbox.Update{Channel: "fake", ChatID: "9", ID: id,
			Message: bot.Message{Text: "phường 1 quận 3", At: at}})
		if err != nil {
			t.Fatal(err)
		}
		return dup.Duplicate
	}
	now := time.Now()
	tests := []struct {
		id      string
		at      time.Time
		wantDup bool // when delivered again after Run pruned
	}{
		{"old", now.Add(-8 * 24 * time.Hour), false},
		{"recent", now.Add(-6 * 24 * time.Hour), true},
	}
	for _, tt := range tests {
		if accept(tt.id, tt.at) {
			t.Fatalf("%s: first delivery is a duplicate", tt.id)
		}
	}
	r.run(t) // prunes on start
	deadline := time.Now().Add(10 * time.Second)
	for accept("old", now) { // a duplicate until the prune has run
		if time.Now().After(deadline) {
			t.Fatal("the 8-day-old key was not pruned")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, tt := range tests[1:] {
		if got := accept(tt.id, now); got != tt.wantDup {
			t.Errorf("%s delivered again: duplicate=%v, want %v", tt.id, got, tt.wantDup)
		}
	}
}
