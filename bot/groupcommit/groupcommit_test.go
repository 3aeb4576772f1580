package groupcommit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Concurrent callers share rounds; each gets its own outcome; rounds never
// overlap and never exceed max.
func TestGroupBatchesAndAnswersEach(t *testing.T) {
	var rounds, running, overlap atomic.Int32
	var mu sync.Mutex
	var sizes []int
	g := New(8, func(_ context.Context, batch []int) []int {
		if running.Add(1) > 1 {
			overlap.Add(1)
		}
		defer running.Add(-1)
		rounds.Add(1)
		mu.Lock()
		sizes = append(sizes, len(batch))
		mu.Unlock()
		time.Sleep(2 * time.Millisecond) // a commit
		out := make([]int, len(batch))
		for i, v := range batch {
			out[i] = v * 10
		}
		return out
	})
	const callers = 100
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			if got := g.Do(t.Context(), i); got != i*10 {
				t.Errorf("caller %d got %d", i, got)
			}
		})
	}
	wg.Wait()
	if overlap.Load() != 0 {
		t.Error("two rounds ran at once")
	}
	for _, n := range sizes {
		if n > 8 {
			t.Errorf("a round of %d items, max 8", n)
		}
	}
	if r := rounds.Load(); r >= callers {
		t.Errorf("%d rounds for %d callers: nothing was grouped", r, callers)
	}
	// Alone, a write runs at once, in a round of its own.
	if got := g.Do(context.Background(), 7); got != 70 {
		t.Errorf("alone: %d", got)
	}
}

// Under steady arrivals the queue is never empty; a caller still returns
// once its own round is written, not when the arrivals pause.
func TestLeaderReturnsAfterItsOwnRound(t *testing.T) {
	g := New(4, func(_ context.Context, batch []int) []int {
		time.Sleep(time.Millisecond) // a commit
		return batch
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 { // keep the queue busy for the whole test
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					g.Do(t.Context(), 0)
				}
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	var worst time.Duration
	for i := range 50 {
		start := time.Now()
		if got := g.Do(t.Context(), i+1); got != i+1 {
			t.Fatalf("got %d, want %d", got, i+1)
		}
		worst = max(worst, time.Since(start))
	}
	// A round takes about 1 ms and at most 9 callers wait (3 rounds of 4);
	// a leader writing until the queue empties never returns here.
	if worst > 100*time.Millisecond {
		t.Errorf("a caller waited %v for its round", worst)
	}
}
