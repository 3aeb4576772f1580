package main

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

// channelBench is the result of the channel step.
type channelBench struct {
	Updates  int // accepted (200)
	Errors   int64
	QPS      float64
	P99ms    float64
	E2EP50ms float64
	E2EP99ms float64
	Lost     int
	Dups     int
}

// benchChannelEnv points the gateway's Telegram channel at the local fake
// Bot API (webhook mode, no registration: PUBLIC_BASE_URL is empty).
func benchChannelEnv(fakeURL string) map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN":      telegramtest.Token,
		"TELEGRAM_WEBHOOK_SECRET": telegramtest.Secret,
		"TELEGRAM_MODE":           "webhook",
		"TELEGRAM_API_URL":        fakeURL,
		"PUBLIC_BASE_URL":         "",
	}
}

// benchChannel serves the gateway on 127.0.0.1 with Telegram configured
// against fake, posts up to n updates (each from its own chat, so the
// per-chat limit of 1 msg/s never applies and the measure is the gateway)
// from clients concurrent clients within dur, then waits (at most drain)
// until each accepted update has its answer at the fake.
func benchChannel(ctx context.Context, a *app, fake *telegramtest.Server, n, clients int, dur, drain time.Duration) (*channelBench, error) {
	if a.channels == nil || a.channels.telegram == nil {
		return nil, fmt.Errorf("telegram channel not configured")
	}
	// The real per-bot limit (30 msg/s) would make the answers wait for the
	// limiter; the per-chat interval stays the platform's 1 s.
	a.channels.outbox.Register(telegram.Name, a.channels.telegram, outbox.Limits{ChatInterval: time.Second, PerSecond: 1e6})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.serve(sctx, ln) }()
	defer func() { cancel(); <-done }()
	if err := waitUntil(ctx, 10*time.Second, func() bool { return a.channels.telegram.Ready() == nil }); err != nil {
		return nil, fmt.Errorf("telegram channel not ready: %v", a.channels.telegram.Ready())
	}
	url := "http://" + ln.Addr().String() + telegram.WebhookPath
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	const chatBase = 7_000_000
	accepted := make([]time.Time, n) // by update index; zero: not accepted
	var next atomic.Int64
	var errs atomic.Int64
	per := make([][]time.Duration, clients)
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				body := telegramtest.TextUpdate(i+1, int64(chatBase+i), "phường 5 quận 3")
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
				req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs.Add(1)
					continue
				}
				now := time.Now()
				accepted[i] = now
				per[w] = append(per[w], now.Sub(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var lat []time.Duration
	for _, p := range per {
		lat = append(lat, p...)
	}
	r := &channelBench{Updates: len(lat), Errors: errs.Load()}
	r.QPS = float64(len(lat)) / elapsed.Seconds()
	r.P99ms = pctMS(lat, 99)

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
	_ = waitUntil(ctx, drain, func() bool { return len(firstSend()) >= r.Updates })
	sent := firstSend()
	var e2e []time.Duration
	for i, at := range accepted {
		if at.IsZero() {
			continue
		}
		s, ok := sent[strconv.Itoa(chatBase+i)]
		if !ok {
			r.Lost++
			continue
		}
		e2e = append(e2e, max(s.Sub(at), 0))
	}
	r.E2EP50ms, r.E2EP99ms = pctMS(e2e, 50), pctMS(e2e, 99)
	r.Dups, err = benchDuplicates(ctx, a, fake)
	return r, err
}

// benchDuplicates counts messages the fake received beyond the outbox's
// rows for their chat (each row is sent once, or it is a duplicate).
func benchDuplicates(ctx context.Context, a *app, fake *telegramtest.Server) (int, error) {
	rows, err := a.channels.outbox.Rows(ctx, telegram.Name)
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
