package channel

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

// Two gateways poll one bot: one polls at a time; when it stops, the other
// takes over without waiting for the lease to expire.
func TestExclusiveOnePollerAtATime(t *testing.T) {
	db := sqldbtest.Open(t)
	if err := lease.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	var running, overlaps atomic.Int32
	var mu sync.Mutex
	var ran []string
	poller := func(who string) func(context.Context) {
		return func(ctx context.Context) {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			mu.Lock()
			ran = append(ran, who)
			mu.Unlock()
			<-ctx.Done()
			running.Add(-1)
		}
	}
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	var wg sync.WaitGroup
	for _, g := range []struct {
		ctx context.Context
		who string
	}{{ctxA, "a"}, {ctxB, "b"}} {
		keeper := &lease.Keeper{DB: db, Holder: g.who, TTL: time.Minute}
		wg.Go(func() { Exclusive(g.ctx, keeper, "poll:telegram", 20*time.Millisecond, poller(g.who)) })
		time.Sleep(50 * time.Millisecond) // a starts first
	}
	time.Sleep(100 * time.Millisecond)
	stopA()
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(ran)
		mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopB()
	wg.Wait()
	if overlaps.Load() != 0 {
		t.Errorf("two pollers ran at once %d times", overlaps.Load())
	}
	if len(ran) != 2 || ran[0] != "a" || ran[1] != "b" {
		t.Errorf("pollers ran %q, want a then b (taken over at a's stop, before the lease's minute)", ran)
	}
}
