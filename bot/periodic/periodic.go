// Package periodic runs background work on a fixed interval.
package periodic

import (
	"context"
	"time"
)

// Every calls fn each interval until ctx is done (the first call after one
// interval); it returns when ctx is done.
func Every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}
