package dbgate

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestOrder queues waiters behind a held turn and checks who gets the
// following turns: urgent first, each class in arrival order.
func TestOrder(t *testing.T) {
	tests := []struct {
		name   string
		queued []Priority
		want   []int // indexes into queued, in the order served
	}{
		{"background only, FIFO", []Priority{Background, Background, Background}, []int{0, 1, 2}},
		{"urgent overtakes", []Priority{Background, Background, Urgent}, []int{2, 0, 1}},
		{"urgent FIFO", []Priority{Urgent, Background, Urgent}, []int{0, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			g := New()
			leave, err := g.Enter(ctx, Background)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var served []int
			var wg sync.WaitGroup
			for i, p := range tt.queued {
				wg.Add(1)
				go func() {
					defer wg.Done()
					l, err := g.Enter(ctx, p)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					served = append(served, i)
					mu.Unlock()
					l()
				}()
				waitQueued(t, g, i+1)
			}
			leave()
			wg.Wait()
			if !slices.Equal(served, tt.want) {
				t.Errorf("served %v, want %v", served, tt.want)
			}
		})
	}
}

func TestCanceledWaiterWithdraws(t *testing.T) {
	g := New()
	leave, _ := g.Enter(t.Context(), Background)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := g.Enter(ctx, Urgent)
		errc <- err
	}()
	waitQueued(t, g, 1)
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("Enter after cancel: no error")
	}
	leave()
	// The gate is free again: a new turn is granted at once.
	done := make(chan struct{})
	go func() {
		l, err := g.Enter(t.Context(), Background)
		if err == nil {
			l()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("gate stuck after a withdrawn waiter")
	}
}

func TestNilGate(t *testing.T) {
	var g *Gate
	ran := false
	if err := g.Do(t.Context(), Urgent, func() error { ran = true; return nil }); err != nil || !ran {
		t.Fatalf("nil gate: ran=%v err=%v", ran, err)
	}
}

// waitQueued waits until n turns are waiting.
func waitQueued(t *testing.T, g *Gate, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g.mu.Lock()
		got := len(g.waiting[Urgent]) + len(g.waiting[Background])
		g.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d waiting, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// An observed gate reports each turn's wait for the connection and its
// hold: the turn asked for while another held it waited about that hold.
func TestObserve(t *testing.T) {
	g := New()
	type turn struct {
		p          Priority
		wait, hold time.Duration
	}
	got := make(chan turn, 2)
	g.Observe(func(p Priority, wait, hold time.Duration) { got <- turn{p, wait, hold} })
	leave, err := g.Enter(context.Background(), Background)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := g.Do(context.Background(), Urgent, func() error { return nil }); err != nil {
			t.Error(err)
		}
	}()
	time.Sleep(30 * time.Millisecond)
	leave()
	<-done
	first, second := <-got, <-got
	if first.p != Background || first.hold < 25*time.Millisecond || first.wait > 5*time.Millisecond {
		t.Errorf("the holding turn: %+v, want background, held ≥ 25 ms, no wait", first)
	}
	if second.p != Urgent || second.wait < 25*time.Millisecond {
		t.Errorf("the waiting turn: %+v, want urgent, waited ≥ 25 ms", second)
	}
	if Urgent.String() != "urgent" || Background.String() != "background" {
		t.Error("priority names")
	}
}
