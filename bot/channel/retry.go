package channel

import (
	"context"
	"time"
)

// Retry runs step until it succeeds (true) or ctx ends (false). After each
// failure it calls failed with the error and the wait, then waits: 1 s (at
// most maxWait) at first, doubling up to maxWait.
func Retry(ctx context.Context, maxWait time.Duration, step func(context.Context) error, failed func(err error, wait time.Duration)) bool {
	wait := min(time.Second, maxWait)
	for {
		err := step(ctx)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		failed(err, wait)
		if !Sleep(ctx, wait) {
			return false
		}
		wait = min(wait*2, maxWait)
	}
}

// Sleep waits for d; false if ctx ended first.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
