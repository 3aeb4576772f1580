package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PublishResult is the publish step: the full KB published from a draft,
// then rolled back, while citizens keep asking over the chat API.
type PublishResult struct {
	PublishS  float64 // draft → live (indexes built, swapped, engine switched)
	RollbackS float64
	Answers   int64 // answers received during the two swaps
	Failed    int64 // answers that failed or came back empty
	// FeeSeen is whether answers showed the published fee, then the old
	// one again after the rollback.
	FeeSeen, FeeRestored bool
}

// fee is the fee the publish step writes into the draft.
const fee = "Lệ phí thử nghiệm bench: 12.345 đồng"

// Publish edits one procedure's fee in the draft, publishes the whole
// KB and rolls it back, with clients chat-API clients asking a question
// about that procedure (with a place) in a loop meanwhile.
func Publish(ctx context.Context, g *Gateway, clients int) (PublishResult, error) {
	var r PublishResult
	kb := g.Engine.KB()
	before := kb.Version
	var proc = kb.Procedures[0]
	for _, p := range kb.Procedures {
		if p.ID == "khai-sinh" {
			proc = p
		}
	}
	proc.Fee = fee
	if err := g.KBStore.SaveProcedure(ctx, "bench", proc); err != nil {
		return r, err
	}

	base, hc, stopServer, err := serveLoopback(ctx, g, clients)
	if err != nil {
		return r, err
	}
	defer stopServer()

	var seenNew, seenOld atomic.Bool
	var phase atomic.Int32 // 0 publish, 1 rollback
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				text, err := askOnce(hc, base, "đăng ký khai sinh ở phường 5 quận 3")
				atomic.AddInt64(&r.Answers, 1)
				if err != nil || strings.TrimSpace(text) == "" {
					atomic.AddInt64(&r.Failed, 1)
					continue
				}
				has := strings.Contains(text, fee)
				if phase.Load() == 0 && has {
					seenNew.Store(true)
				}
				if phase.Load() == 1 && seenNew.Load() && !has {
					seenOld.Store(true)
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // the load is running before the swap
	t0 := time.Now()
	if _, err := g.Publisher.Publish(ctx, "bench", "bench: lệ phí thử nghiệm", kb.AsOf); err != nil {
		close(stop)
		wg.Wait()
		return r, fmt.Errorf("publish: %w", err)
	}
	r.PublishS = time.Since(t0).Seconds()
	time.Sleep(300 * time.Millisecond)
	phase.Store(1)
	t0 = time.Now()
	if _, err := g.Publisher.Rollback(ctx, "bench", before); err != nil {
		close(stop)
		wg.Wait()
		return r, fmt.Errorf("rollback: %w", err)
	}
	r.RollbackS = time.Since(t0).Seconds()
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	r.FeeSeen, r.FeeRestored = seenNew.Load(), seenOld.Load()
	return r, nil
}

// askOnce opens a conversation and asks one question; it returns the
// answer's text.
func askOnce(hc *http.Client, base, question string) (string, error) {
	c, err := openConversation(hc, base)
	if err != nil {
		return "", err
	}
	body, _ := json.Marshal(map[string]string{"text": question})
	return c.postJSON(hc, "/messages", string(body), http.StatusOK, "text")
}
