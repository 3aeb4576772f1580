package main

import (
	"io"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
)

// The bench's console step on a small load: every page it asks for is
// served (a 403, 404 or login redirect would count as an error).
func TestBenchConsoleStep(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	a, err := openApp(t.Context(), &env{getenv: e.getenv, stdout: io.Discard, stderr: io.Discard}, appOptions{quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	r, err := bench.Console(t.Context(), a.benchGateway(), 60, 20, 2, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 0 || r.QueueP99ms <= 0 || r.ConvP99ms <= 0 {
		t.Errorf("console bench = %+v, want every page served", r)
	}
	var open int
	if err := a.db.QueryRow(`SELECT COUNT(*) FROM handoff_requests WHERE status IN ('open', 'assigned')`).Scan(&open); err != nil || open != 60 {
		t.Errorf("%d active handoffs seeded (%v), want 60", open, err)
	}
}
