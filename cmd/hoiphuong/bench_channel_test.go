package main

import (
	"io"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
)

// The bench's channel step on a few updates, both phases: every accepted
// update has exactly its answer at the fake Bot API.
func TestBenchChannelStep(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	e := remoteEnv(t)
	for k, v := range bench.ChannelEnv(fake.URL) {
		e[k] = v
	}
	a, err := openApp(t.Context(), &env{getenv: e.getenv, stdout: io.Discard, stderr: io.Discard}, appOptions{quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	r, err := bench.Channel(t.Context(), a.benchGateway(), fake, 40, 4, 10, 2*time.Second, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// 20 paced (10/s for 2 s), then 40 as fast as 4 clients go.
	if r.Updates != 60 || r.Errors != 0 || r.Lost != 0 || r.Dups != 0 || r.QPS <= 0 || r.PacedQPS <= 0 ||
		r.P99ms <= 0 || r.E2EP99ms <= 0 {
		t.Errorf("bench = %+v, want 60 updates answered once each", r)
	}
}
