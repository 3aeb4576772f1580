package bench

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strconv"
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

// ChannelOptions shape the channel step.
type ChannelOptions struct {
	Updates  int           // most updates of the saturated phase
	Clients  int           // concurrent clients (Telegram opens at most 40)
	Rate     float64       // updates/s of the paced phase (0: none)
	Duration time.Duration // of each phase
	Drain    time.Duration // most time to wait for the answers
	// LoadCommand runs the load generator in a process of its own
	// (ServeLoad's protocol, e.g. `hoiphuong bench-load`); nil: in this one.
	LoadCommand []string
}

// Channel serves the gateway on 127.0.0.1 with Telegram configured
// against fake and posts updates (each from its own chat, so the per-chat
// limit of 1 msg/s never applies and the measure is the gateway) in two
// phases of o.Duration each: paced at o.Rate updates/s (open loop: a late
// response counts from its scheduled send time, so a stall is not hidden),
// then as fast as o.Clients clients go, at most o.Updates updates. Then it
// waits (at most o.Drain) until each accepted update has its answer at the
// fake.
func Channel(ctx context.Context, g *Gateway, fake *telegramtest.Server, o ChannelOptions) (*ChannelResult, error) {
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
	load, err := startLoader(ctx, o.LoadCommand)
	if err != nil {
		return nil, err
	}
	defer load.close()
	const chatBase = 7_000_000
	spec := LoadSpec{URL: "http://" + ln.Addr().String() + telegram.WebhookPath, First: chatBase,
		Clients: o.Clients, Duration: o.Duration}
	accepted := map[int64]time.Time{}
	r := &ChannelResult{Rate: o.Rate}
	phase := func(n int, rate float64) (LoadResult, error) {
		spec.N, spec.Rate = n, rate
		res, err := load.run(ctx, spec)
		spec.First += int64(n)
		for chat, ns := range res.Accepted {
			accepted[chat] = time.Unix(0, ns)
		}
		r.Errors += res.Errors
		return res, err
	}
	if o.Rate > 0 {
		paced, err := phase(int(o.Rate*o.Duration.Seconds()), o.Rate)
		if err != nil {
			return nil, err
		}
		r.PacedQPS, r.P99ms = paced.QPS, pctMS(paced.Latency, 99)
	}
	sat, err := phase(o.Updates, 0)
	if err != nil {
		return nil, err
	}
	r.QPS, r.SatP99ms = sat.QPS, pctMS(sat.Latency, 99)
	if o.Rate <= 0 {
		r.P99ms = r.SatP99ms
	}
	r.Updates = len(accepted)

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
	_ = waitUntil(ctx, o.Drain, func() bool {
		return fake.Count("sendMessage") >= r.Updates && len(firstSend()) >= r.Updates
	})
	sent := firstSend()
	var e2e []time.Duration
	for chat, at := range accepted {
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
