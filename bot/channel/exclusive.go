package channel

import (
	"context"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Exclusive runs run while this gateway holds the lease name, so that one
// gateway at a time does it (a platform's long polling: two pollers of one
// bot are refused by the platform). The lease is renewed every renew; run's
// context ends when it is lost, and it is taken again when free. Without
// leases (nil: the only gateway) run simply runs. It returns when ctx ends.
// renew <= 0 is 10 s.
func Exclusive(ctx context.Context, leases lease.Claims, name string, renew time.Duration, run func(context.Context)) {
	if leases == nil {
		run(ctx)
		return
	}
	if renew <= 0 {
		renew = 10 * time.Second
	}
	for ctx.Err() == nil {
		l, ok, err := leases.Acquire(ctx, name)
		if err == nil && ok {
			hold(ctx, leases, l, renew, run)
			continue
		}
		Sleep(ctx, renew)
	}
}

// hold runs run until ctx ends or a renewal of l fails, then gives l up.
func hold(ctx context.Context, leases lease.Claims, l lease.Lease, renew time.Duration, run func(context.Context)) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(rctx)
	}()
	t := time.NewTicker(renew)
	defer t.Stop()
	for rctx.Err() == nil {
		select {
		case <-rctx.Done():
		case <-done:
			cancel()
		case <-t.C:
			if _, ok, err := leases.Acquire(rctx, l.Name); err != nil || !ok {
				cancel() // lost: another gateway takes it
			}
		}
	}
	<-done
	_ = leases.Release(context.WithoutCancel(ctx), l) // expires by itself otherwise
}
