package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	"github.com/hoiphuong/hoiphuong/bot/zalobot/zalobottest"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
)

func zaloEnv(t *testing.T, oa *zalooatest.Server, zb *zalobottest.Server) testEnv {
	e := remoteEnv(t)
	e["ZALO_OA_APP_ID"] = zalooatest.AppID
	e["ZALO_OA_SECRET_KEY"] = zalooatest.SecretKey
	e["ZALO_OA_ACCESS_TOKEN"] = zalooatest.AccessToken
	e["ZALO_OA_REFRESH_TOKEN"] = zalooatest.RefreshToken
	e["ZALO_OA_API_URL"] = oa.URL
	e["ZALO_OAUTH_URL"] = oa.URL
	e["ZALO_BOT_TOKEN"] = zalobottest.Token
	e["ZALO_BOT_WEBHOOK_SECRET"] = zalobottest.Secret
	e["ZALO_BOT_API_URL"] = zb.URL
	e["PUBLIC_BASE_URL"] = "https://hoiphuong.example.vn"
	return e
}

// TestServeZalo boots the whole gateway with both Zalo channels against
// fake platforms: signed OA events and secret-bearing bot updates are
// answered once, forged ones are refused, and /metrics and /readyz report
// the channels.
func TestServeZalo(t *testing.T) {
	t.Parallel()
	oa, zb := zalooatest.New(t), zalobottest.New(t)
	g := startGateway(t, zaloEnv(t, oa, zb))

	if p := zb.WaitFor(t, "setWebhook", 1, 10*time.Second)[0].Params; p["url"] != "https://hoiphuong.example.vn/webhooks/zalo-bot" ||
		p["secret_token"] != zalobottest.Secret {
		t.Errorf("setWebhook = %v", p)
	}
	event := zalooatest.TextEvent("3001", "oa-msg-1", "phường 5 quận 3")
	forged := zalooatest.Signed(t, event)
	forged.Set(zalooa.SignatureHeader, "mac=00")
	if status := zalooatest.Post(t, g.http, g.url, event, forged); status != http.StatusUnauthorized {
		t.Errorf("forged OA event: %d, want 401", status)
	}
	for range 3 {
		if status := zalooatest.Post(t, g.http, g.url, event, zalooatest.Signed(t, event)); status != http.StatusOK {
			t.Fatalf("OA webhook status %d", status)
		}
	}
	update := zalobottest.Envelope(zalobottest.TextUpdate("bot-chat-1", "bm1", "Phường Bến Nghé quận 1"))
	for range 2 {
		req, _ := http.NewRequest(http.MethodPost, g.url+zalobot.WebhookPath, strings.NewReader(update))
		req.Header.Set(zalobot.SecretHeader, zalobottest.Secret)
		resp, err := g.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("bot webhook status %d", resp.StatusCode)
		}
	}
	if _, text := oa.WaitFor(t, zalooatest.SendPath, 1, 10*time.Second)[0].JSON(); !strings.Contains(text, "Phường Bàn Cờ") {
		t.Errorf("OA answer %q", text)
	}
	if text := zb.WaitFor(t, "sendMessage", 1, 10*time.Second)[0].Params["text"]; !strings.Contains(text, "Phường Sài Gòn") {
		t.Errorf("bot answer %q", text)
	}
	waitFor(t, 5*time.Second, "metrics", func() bool {
		_, body := g.get(t, "/metrics")
		return strings.Contains(string(body), `hoiphuong_channel_sent_total{channel="zalo-oa"} 1`) &&
			strings.Contains(string(body), `hoiphuong_channel_duplicates_total{channel="zalo-oa"} 2`) &&
			strings.Contains(string(body), `hoiphuong_channel_sent_total{channel="zalo-bot"} 1`)
	})
	if n, m := len(oa.Requests(zalooatest.SendPath)), len(zb.Requests("sendMessage")); n != 1 || m != 1 {
		t.Errorf("%d OA sends, %d bot sends; want 1 each", n, m)
	}
	waitFor(t, 5*time.Second, "ready", func() bool {
		status, body := g.get(t, "/readyz")
		return status == http.StatusOK && strings.Contains(string(body), `"ok"`)
	})
}

// TestServeZaloBotUnreachable: the gateway starts although the Zalo Bot
// platform does not answer, /readyz names it, its webhook still accepts.
func TestServeZaloBotUnreachable(t *testing.T) {
	t.Parallel()
	oa, zb := zalooatest.New(t), zalobottest.New(t)
	zb.Down.Store(true)
	g := startGateway(t, zaloEnv(t, oa, zb))
	status, body := g.get(t, "/readyz")
	if status != http.StatusOK || !strings.Contains(string(body), `"degraded"`) || !strings.Contains(string(body), "zalo-bot") {
		t.Errorf("readyz = %d %s, want 200 degraded naming zalo-bot", status, body)
	}
	if strings.Contains(string(body), zalobottest.Token) || strings.Contains(g.stderr.String(), zalobottest.Token) {
		t.Error("the bot token leaks into /readyz or the logs")
	}
	req, _ := http.NewRequest(http.MethodPost, g.url+zalobot.WebhookPath, strings.NewReader(zalobottest.TextUpdate("c", "m", "xin chào")))
	req.Header.Set(zalobot.SecretHeader, zalobottest.Secret)
	resp, err := g.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("webhook while the platform is down: %d, want 200", resp.StatusCode)
	}
}

func TestZaloOffByDefault(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	for _, path := range []string{zalooa.WebhookPath, zalobot.WebhookPath} {
		resp, err := g.http.Post(g.url+path, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestZaloConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"oa", map[string]string{"ZALO_OA_APP_ID": "1", "ZALO_OA_SECRET_KEY": "k", "ZALO_OA_REFRESH_TOKEN": "r"}, ""},
		{"oa needs its secret", map[string]string{"ZALO_OA_APP_ID": "1"}, "ZALO_OA_SECRET_KEY"},
		{"oa tokens without app", map[string]string{"ZALO_OA_ACCESS_TOKEN": "a"}, "ZALO_OA_APP_ID"},
		{"bot webhook", map[string]string{"ZALO_BOT_TOKEN": "1:abc", "ZALO_BOT_WEBHOOK_SECRET": "12345678"}, ""},
		{"bot poll", map[string]string{"ZALO_BOT_TOKEN": "1:abc", "ZALO_BOT_MODE": "poll"}, ""},
		{"bot secret too short", map[string]string{"ZALO_BOT_TOKEN": "1:abc", "ZALO_BOT_WEBHOOK_SECRET": "short"}, "ZALO_BOT_WEBHOOK_SECRET"},
		{"bot secret without token", map[string]string{"ZALO_BOT_WEBHOOK_SECRET": "12345678"}, "ZALO_BOT_TOKEN"},
		{"bot bad token", map[string]string{"ZALO_BOT_TOKEN": "abc", "ZALO_BOT_MODE": "poll"}, "ZALO_BOT_TOKEN"},
		{"bot bad mode", map[string]string{"ZALO_BOT_TOKEN": "1:abc", "ZALO_BOT_MODE": "push"}, "ZALO_BOT_MODE"},
		{"bad url", map[string]string{"ZALO_OA_API_URL": "openapi.zalo.me"}, "ZALO_OA_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig(func(k string) string { return tt.env[k] }, "")
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
			for _, k := range []string{"ZALO_OA_SECRET_KEY", "ZALO_OA_REFRESH_TOKEN", "ZALO_BOT_TOKEN", "ZALO_BOT_WEBHOOK_SECRET"} {
				if v := tt.env[k]; v != "" && strings.Contains(c.String(), "="+v+" ") {
					t.Errorf("String() shows %s", k)
				}
			}
		})
	}
}
