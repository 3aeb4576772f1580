package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

// ChannelResult is the result of the channel step.
type ChannelResult struct {
	Updates  int // accepted (200), both phases
	Errors   int64
	QPS      float64 // saturation phase: as fast as the clients go
	SatP99ms float64 // saturation phase p99 (mostly queueing: clients ÷ QPS)
	Rate     float64 // paced phase: updates offered per second
	PacedQPS float64 // paced phase: updates accepted per second
	P99ms    float64 // paced phase p99, from each update's scheduled send time
	E2EP50ms float64
	E2EP99ms float64
	Lost     int
	Dups     int
}

// ChannelEnv points the gateway's Telegram channel at the local fake
// Bot API (webhook mode, no registration: PUBLIC_BASE_URL is empty).
func ChannelEnv(fakeURL string) map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN":      telegramtest.Token,
		"TELEGRAM_WEBHOOK_SECRET": telegramtest.Secret,
		"TELEGRAM_MODE":           "webhook",
		"TELEGRAM_API_URL":        fakeURL,
		"PUBLIC_BASE_URL":         "",
	}
}

// Channel serves the gateway on 127.0.0.1 with Telegram configured
// against fake and posts updates (each from its own chat, so the per-chat
// limit of 1 msg/s never applies and the measure is the gateway) in two
// phases of dur each: paced at rate updates/s (open loop: a late response
// counts from its scheduled send time, so a stall is not hidden), then as
// fast as clients concurrent clients go, at most n updates. Then it waits
// (at most drain) until each accepted update has its answer at the fake.
func Channel(ctx context.Context, g *Gateway, fake *telegramtest.Server, n, clients int, rate float64, dur, drain time.Duration) (*ChannelResult, error) {
	if g.Telegram == nil || g.Outbox == nil {
		return nil, fmt.Errorf("telegram channel not configured")
	}
	// The real per-bot limit (30 msg/s) would make the answers wait for the
	// limiter; the per-chat interval stays the platform's 1 s.
	g.Outbox.Register(telegram.Name, g.Telegram, outbox.Limits{ChatInterval: time.Second, PerSecond: 1e6})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- g.Serve(sctx, ln) }()
	defer func() { cancel(); <-done }()
	if err := waitUntil(ctx, 10*time.Second, func() bool { return g.Telegram.Ready() == nil }); err != nil {
		return nil, fmt.Errorf("telegram channel not ready: %v", g.Telegram.Ready())
	}
	load := &webhookLoad{
		url: "http://" + ln.Addr().String() + telegram.WebhookPath,
		hc:  &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}},
	}
	r := &ChannelResult{Rate: rate}
	if rate > 0 {
		paced := load.run(ctx, int(rate*dur.Seconds()), clients, rate, dur)
		r.PacedQPS, r.P99ms = paced.qps, pctMS(paced.lat, 99)
	}
	sat := load.run(ctx, n, clients, 0, dur)
	r.QPS, r.SatP99ms = sat.qps, pctMS(sat.lat, 99)
	if rate <= 0 {
		r.P99ms = r.SatP99ms
	}
	r.Updates, r.Errors = len(load.accepted), load.errs.Load()

	// Wait for the answers: the first sendMessage of each accepted chat.
	firstSend := func() map[string]time.Time {
		m := map[string]time.Time{}
		for _, req := range fake.Requests("sendMessage") {
			c := req.Form.Get("chat_id")
			if t, ok := m[c]; !ok || req.At.Before(t) {
				m[c] = req.At
			}
		}
		return m
	}
	// Counting the sends first keeps the polling cheap: it shares the CPU
	// with the answers it waits for.
	_ = waitUntil(ctx, drain, func() bool {
		return len(fake.Requests("sendMessage")) >= r.Updates && len(firstSend()) >= r.Updates
	})
	sent := firstSend()
	var e2e []time.Duration
	for chat, at := range load.accepted {
		s, ok := sent[strconv.FormatInt(chat, 10)]
		if !ok {
			r.Lost++
			continue
		}
		e2e = append(e2e, max(s.Sub(at), 0))
	}
	r.E2EP50ms, r.E2EP99ms = pctMS(e2e, 50), pctMS(e2e, 99)
	r.Dups, err = duplicates(ctx, g, fake)
	return r, err
}

// webhookLoad posts Telegram updates to the gateway, each from a new chat.
type webhookLoad struct {
	url  string
	hc   *http.Client
	next int64 // updates posted so far, over all phases

	mu       sync.Mutex
	accepted map[int64]time.Time // chat id → when its update was acknowledged
	errs     atomic.Int64
}

type loadPhase struct {
	lat []time.Duration
	qps float64
}

// run posts at most n updates from clients clients within dur; rate > 0
// paces them (update i is due at start + i/rate and its latency counts from
// then), rate 0 sends as fast as the clients go.
func (l *webhookLoad) run(ctx context.Context, n, clients int, rate float64, dur time.Duration) loadPhase {
	const chatBase = 7_000_000
	first := l.next
	l.next += int64(n)
	var next atomic.Int64
	per := make([][]time.Duration, clients)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				t0 := time.Now()
				if rate > 0 {
					t0 = start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
					if !t0.Before(deadline) {
						return
					}
					time.Sleep(time.Until(t0))
				}
				chat := int64(chatBase) + first + i
				if at, ok := l.post(ctx, int(first+i+1), chat); ok {
					per[w] = append(per[w], at.Sub(t0))
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var p loadPhase
	for _, d := range per {
		p.lat = append(p.lat, d...)
	}
	p.qps = float64(len(p.lat)) / elapsed.Seconds()
	return p
}

// post sends one update and says when it was acknowledged.
func (l *webhookLoad) post(ctx context.Context, updateID int, chat int64) (time.Time, bool) {
	body := telegramtest.TextUpdate(updateID, chat, "phường 5 quận 3")
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.url, strings.NewReader(body))
	req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.hc.Do(req)
	if err != nil {
		l.errs.Add(1)
		return time.Time{}, false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		l.errs.Add(1)
		return time.Time{}, false
	}
	now := time.Now()
	l.mu.Lock()
	if l.accepted == nil {
		l.accepted = map[int64]time.Time{}
	}
	l.accepted[chat] = now
	l.mu.Unlock()
	return now, true
}

// duplicates counts messages the fake received beyond the outbox's
// rows for their chat (each row is sent once, or it is a duplicate).
func duplicates(ctx context.Context, g *Gateway, fake *telegramtest.Server) (int, error) {
	rows, err := g.Outbox.Rows(ctx, telegram.Name)
	if err != nil {
		return 0, err
	}
	want := map[string]int{}
	for _, r := range rows {
		want[r.ChatID]++
	}
	got := map[string]int{}
	for _, req := range fake.Requests("sendMessage") {
		got[req.Form.Get("chat_id")]++
	}
	dups := 0
	for chat, n := range got {
		dups += max(n-want[chat], 0)
	}
	return dups, nil
}

func pctMS(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return float64(d[int(float64(len(d)-1)*p/100)].Microseconds()) / 1000
}

// waitUntil polls cond every 10 ms until it holds or within has passed.
func waitUntil(ctx context.Context, within time.Duration, cond func() bool) error {
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return nil
}
