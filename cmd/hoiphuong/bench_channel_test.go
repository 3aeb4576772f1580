package main

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
)

// The bench's channel step on a few updates, both phases, with the load
// generator in this process and in a process of its own (the test binary
// as `hoiphuong bench-load`, see TestMain): every accepted update has
// exactly its answer at the fake Bot API.
func TestBenchChannelStep(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		argv []string
	}{
		{"inline", nil},
		{"process", []string{"env", benchLoadChildEnv + "=1", exe}},
	} {
		t.Run(tt.name, func(t *testing.T) {
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
			r, err := bench.Channel(t.Context(), a.benchGateway(), fake, bench.ChannelOptions{
				Updates: 40, Clients: 4, Rate: 10, Duration: 2 * time.Second, Drain: 20 * time.Second, LoadCommand: tt.argv,
			})
			if err != nil {
				t.Fatal(err)
			}
			// 20 paced (10/s for 2 s), then 40 as fast as 4 clients go.
			if r.Updates != 60 || r.Errors != 0 || r.Lost != 0 || r.Dups != 0 || r.QPS <= 0 || r.PacedQPS <= 0 ||
				r.P99ms <= 0 || r.E2EP99ms <= 0 {
				t.Errorf("bench = %+v, want 60 updates answered once each", r)
			}
		})
	}
}
