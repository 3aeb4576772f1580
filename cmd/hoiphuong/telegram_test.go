package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

// TestServeTelegram boots the whole gateway with Telegram configured
// against a fake Bot API: the webhook is registered with its secret, an
// update posted to /webhooks/telegram is answered once, and /metrics and
// /readyz report the channel.
func TestServeTelegram(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	e := telegramEnv(t, fake)
	e["PUBLIC_BASE_URL"] = "https://hoiphuong.example.vn"
	g := startGateway(t, e)

	if f := fake.WaitFor(t, "setWebhook", 1, 10*time.Second)[0].Form; f.Get("secret_token") != telegramtest.Secret ||
		f.Get("url") != "https://hoiphuong.example.vn/webhooks/telegram" {
		t.Errorf("setWebhook form = %v", f)
	}
	update := telegramtest.TextUpdate(77, 5150, "phường 5 quận 3")
	for range 3 {
		postUpdate(t, g.url, update)
	}
	sent := fake.WaitFor(t, "sendMessage", 1, 10*time.Second)
	if !strings.Contains(sent[0].Form.Get("text"), "Phường Bàn Cờ") {
		t.Errorf("answer: %q", sent[0].Form.Get("text"))
	}
	waitFor(t, 5*time.Second, "metrics", func() bool {
		_, body := g.get(t, "/metrics")
		return strings.Contains(string(body), `hoiphuong_channel_sent_total{channel="telegram"} 1`) &&
			strings.Contains(string(body), `hoiphuong_channel_duplicates_total{channel="telegram"} 2`) &&
			strings.Contains(string(body), `hoiphuong_channel_queue_depth{channel="telegram"} 0`)
	})
	if n := len(fake.Requests("sendMessage")); n != 1 {
		t.Errorf("%d sendMessage calls, want 1", n)
	}
	if status, body := g.get(t, "/readyz"); status != http.StatusOK || !strings.Contains(string(body), `"ok"`) {
		t.Errorf("readyz = %d %s", status, body)
	}
}

// TestServeTelegramUnreachable: the gateway starts although Telegram does
// not answer, says so in /readyz, and its webhook still accepts.
func TestServeTelegramUnreachable(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	fake.Down.Store(true)
	e := telegramEnv(t, fake)
	g := startGateway(t, e)
	status, body := g.get(t, "/readyz")
	if status != http.StatusOK || !strings.Contains(string(body), `"degraded"`) || !strings.Contains(string(body), "telegram") {
		t.Errorf("readyz = %d %s, want 200 degraded naming telegram", status, body)
	}
	if strings.Contains(string(body), telegramtest.Token) || strings.Contains(g.stderr.String(), telegramtest.Token) {
		t.Error("the bot token leaks into /readyz or the logs")
	}
	if status := webhookStatus(t, g.url, telegramtest.TextUpdate(1, 1, "xin chào")); status != http.StatusOK {
		t.Errorf("webhook while Telegram is down: %d, want 200", status)
	}
}

func TestTelegramOffByDefault(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	resp, err := g.http.Post(g.url+telegram.WebhookPath, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
}

func TestChannelConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" = valid
	}{
		{"off", map[string]string{}, ""},
		{"webhook", map[string]string{"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_SECRET": "s_e-c1"}, ""},
		{"poll needs no secret", map[string]string{"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_MODE": "poll"}, ""},
		{"webhook needs a secret", map[string]string{"TELEGRAM_BOT_TOKEN": "1:abc"}, "TELEGRAM_WEBHOOK_SECRET: required"},
		{"secret charset", map[string]string{"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_SECRET": "a b"}, "TELEGRAM_WEBHOOK_SECRET: 1–256"},
		{"secret without token", map[string]string{"TELEGRAM_WEBHOOK_SECRET": "abc"}, "set without TELEGRAM_BOT_TOKEN"},
		{"bad mode", map[string]string{"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_MODE": "push"}, "TELEGRAM_MODE"},
		{"bad token", map[string]string{"TELEGRAM_BOT_TOKEN": "abc", "TELEGRAM_MODE": "poll"}, "TELEGRAM_BOT_TOKEN"},
		{"bad api url", map[string]string{"TELEGRAM_API_URL": "api.telegram.org"}, "TELEGRAM_API_URL"},
		{"bad public url", map[string]string{"PUBLIC_BASE_URL": "example.vn"}, "PUBLIC_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tt.env[k] }, "")
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
			if s := c.String(); tt.env["TELEGRAM_BOT_TOKEN"] != "" && strings.Contains(s, tt.env["TELEGRAM_BOT_TOKEN"]) {
				t.Errorf("String() shows the token: %s", s)
			}
		})
	}
}

// telegramEnv is remoteEnv with Telegram configured against fake.
func telegramEnv(t *testing.T, fake *telegramtest.Server) testEnv {
	t.Helper()
	e := remoteEnv(t)
	e["TELEGRAM_BOT_TOKEN"] = telegramtest.Token
	e["TELEGRAM_WEBHOOK_SECRET"] = telegramtest.Secret
	e["TELEGRAM_API_URL"] = fake.URL
	return e
}

// webhookStatus posts a Telegram update, with the secret, to the gateway
// at base and returns the status.
func webhookStatus(t *testing.T, base, update string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+telegram.WebhookPath, strings.NewReader(update))
	req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// postUpdate posts a Telegram update and wants it accepted.
func postUpdate(t *testing.T, base, update string) {
	t.Helper()
	if status := webhookStatus(t, base, update); status != http.StatusOK {
		t.Fatalf("webhook status %d", status)
	}
}
