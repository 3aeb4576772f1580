package limitstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/limitstore"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

var t0 = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

func TestHitCountsFixedWindows(t *testing.T) {
	s, err := limitstore.New(t.Context(), sqldbtest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at        time.Duration // after t0
		key       string
		wantN     int
		wantStart time.Duration
	}{
		{0, "telegram:1", 1, 0},
		{10 * time.Second, "telegram:1", 2, 0},
		{10 * time.Second, "telegram:2", 1, 10 * time.Second}, // keys apart
		{59 * time.Second, "telegram:1", 3, 0},
		{60 * time.Second, "telegram:1", 1, 60 * time.Second}, // the window ended: a new one from this event
		{61 * time.Second, "telegram:1", 2, 60 * time.Second},
	}
	for i, st := range steps {
		n, start, err := s.Hit(t.Context(), st.key, t0.Add(st.at), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if n != st.wantN || !start.Equal(t0.Add(st.wantStart)) {
			t.Errorf("step %d (%s at +%s): %d since +%s, want %d since +%s", i, st.key, st.at, n, start.Sub(t0), st.wantN, st.wantStart)
		}
	}
}

func TestTakeIsATokenBucket(t *testing.T) {
	s, err := limitstore.New(t.Context(), sqldbtest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	take := func(key string, at time.Duration) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := s.Take(t.Context(), key, t0.Add(at), 3, 6*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return ok, wait
	}
	for i := range 3 { // a burst of three
		if ok, _ := take("a", 0); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if ok, wait := take("a", 0); ok || wait != 6*time.Second {
		t.Errorf("fourth at once: ok=%v wait=%s, want refused, 6s", ok, wait)
	}
	if ok, wait := take("a", 2*time.Second); ok || wait != 4*time.Second {
		t.Errorf("2 s later: ok=%v wait=%s, want refused, 4s (a refusal takes nothing)", ok, wait)
	}
	if ok, _ := take("b", 0); !ok {
		t.Errorf("another key shares the bucket")
	}
	if ok, _ := take("a", 6*time.Second); !ok {
		t.Errorf("a token refilled after 6 s was refused")
	}
	if ok, _ := take("a", 6*time.Second); ok {
		t.Errorf("two tokens taken after one refill")
	}
	if ok, _ := take("a", time.Hour); !ok { // full again, not more than full
		t.Errorf("refused after an hour")
	}
}

// Two gateways (two connection pools on one database) counting the same
// sender and address at once count every event once: 2 × 25 hits give
// 1…50, and a bucket of 10 gives exactly 10 tokens.
func TestTwoGatewaysCountTogether(t *testing.T) {
	loc := sqldbtest.Location(t)
	var stores []*limitstore.Store
	for range 2 {
		s, err := limitstore.New(t.Context(), sqldbtest.OpenAt(t, loc))
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, s)
	}
	var (
		mu     sync.Mutex
		counts = map[int]bool{}
		taken  int
		wg     sync.WaitGroup
	)
	for g, s := range stores {
		for w := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					n, _, err := s.Hit(t.Context(), "zalo:7", t0, time.Minute)
					ok, _, terr := s.Take(t.Context(), "web:203.0.113.9", t0, 10, time.Minute)
					mu.Lock()
					if err != nil || terr != nil {
						t.Errorf("gateway %d worker %d hit %d: %v %v", g, w, i, err, terr)
					}
					if counts[n] {
						t.Errorf("count %d seen twice", n)
					}
					counts[n] = true
					if ok {
						taken++
					}
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	for n := 1; n <= 50; n++ {
		if !counts[n] {
			t.Errorf("count %d missing (%d distinct counts)", n, len(counts))
		}
	}
	if taken != 10 {
		t.Errorf("%d tokens taken from a bucket of 10", taken)
	}
}

func TestPrune(t *testing.T) {
	s, err := limitstore.New(t.Context(), sqldbtest.Open(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, _, err := s.Hit(ctx, "old", t0, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Hit(ctx, "new", t0.Add(2*time.Hour), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.Prune(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// "old" starts over (its row is gone even though its window, read
	// at t0+30s, would still be open); "new" keeps counting.
	if n, _, _ := s.Hit(ctx, "old", t0.Add(30*time.Second), time.Minute); n != 1 {
		t.Errorf("a pruned window counted on: %d", n)
	}
	if n, _, _ := s.Hit(ctx, "new", t0.Add(2*time.Hour), time.Minute); n != 2 {
		t.Errorf("a kept window restarted: %d", n)
	}
}
