package periodic

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryRunsUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var n atomic.Int32
	done := make(chan struct{})
	go func() {
		Every(ctx, 5*time.Millisecond, func(context.Context) { n.Add(1) })
		close(done)
	}()
	time.Sleep(60 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Every did not return after the cancel")
	}
	got := n.Load()
	if got < 3 {
		t.Errorf("%d calls in 60 ms at 5 ms, want several", got)
	}
	time.Sleep(20 * time.Millisecond)
	if n.Load() != got {
		t.Error("a call after the cancel")
	}
}
