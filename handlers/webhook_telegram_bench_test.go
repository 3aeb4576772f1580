package handlers_test

import (
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// BenchmarkTelegramWebhook measures webhook receive → persisted → 200 over
// real HTTP with durable SQLite writes, while the engine answers and the
// outbox delivers to a fake Bot API; it reports the end-to-end time until
// every update's answer was sent.
func BenchmarkTelegramWebhook(b *testing.B) {
	fake := telegramtest.New(b)
	g := telegramtest.NewGateway(b, fake, telegramtest.Options{}).Start(b)
	g.WaitReady(b)
	h, err := handlers.New(handlers.Deps{Chats: newFakeConversations(),
		Webhooks: map[string]webhook.Receiver{telegram.Name: g.Channel}})
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	ln := newLoopback(b)
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String() + telegram.WebhookPath
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	start := time.Now()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := int(next.Add(1))
			req, _ := http.NewRequest(http.MethodPost, url,
				strings.NewReader(telegramtest.TextUpdate(id, int64(1000+id%500), "phường 5 quận 3")))
			req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.StopTimer()
	accepted := time.Since(start)
	n := int(next.Load())
	fake.WaitFor(b, "sendMessage", n, 5*time.Minute)
	b.ReportMetric(float64(n)/accepted.Seconds(), "updates/s")
	b.ReportMetric(time.Since(start).Seconds(), "s_until_all_answered")
}

func newLoopback(tb testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return ln
}
