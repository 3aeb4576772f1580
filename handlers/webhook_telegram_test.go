package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

func postUpdate(t *testing.T, srv *testServer, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+telegram.WebhookPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegram.SecretHeader, secret)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func countRows(t *testing.T, g *telegramtest.Gateway, table string) int {
	t.Helper()
	var n int
	if err := g.DB.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTelegramWebhook(t *testing.T) {
	fake := telegramtest.New(t)
	g := telegramtest.NewGateway(t, fake, telegramtest.Options{}).Start(t)
	g.WaitReady(t)
	srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) {
		d.Webhooks = map[string]webhook.Receiver{telegram.Name: g.Channel}
	})
	update := telegramtest.TextUpdate(4242, 9100, "Phường Đa Kao, Quận 1 giờ là phường nào?")

	t.Run("forged or missing secret", func(t *testing.T) {
		for _, secret := range []string{"", "forged", telegramtest.Secret[:5]} {
			if status := postUpdate(t, srv, secret, update); status != http.StatusUnauthorized {
				t.Errorf("secret %q: status %d, want 401", secret, status)
			}
		}
		if c, m := countRows(t, g, "conversations"), countRows(t, g, "messages"); c+m != 0 {
			t.Errorf("stored %d conversations and %d messages from unauthenticated requests", c, m)
		}
		_, _, body := srv.do(t, http.MethodGet, "/metrics", "", nil)
		if !strings.Contains(string(body), `hoiphuong_channel_rejected_total{channel="telegram"} 3`) {
			t.Errorf("rejected requests not counted")
		}
	})
	t.Run("same update three times", func(t *testing.T) {
		for i := range 3 {
			if status := postUpdate(t, srv, telegramtest.Secret, update); status != http.StatusOK {
				t.Errorf("delivery %d: status %d", i+1, status)
			}
		}
		fake.WaitFor(t, "sendMessage", 1, 5*time.Second)
		time.Sleep(150 * time.Millisecond)
		if sent := fake.Requests("sendMessage"); len(sent) != 1 || sent[0].Form.Get("chat_id") != "9100" {
			t.Errorf("sendMessage calls = %+v, want exactly one to 9100", sent)
		}
	})
	t.Run("malformed and oversized", func(t *testing.T) {
		if status := postUpdate(t, srv, telegramtest.Secret, `{"update_id":`); status != http.StatusBadRequest {
			t.Errorf("malformed: status %d, want 400", status)
		}
		big := `{"update_id":1,"message":{"text":"` + strings.Repeat("a", handlers.MaxBodyBytes) + `"}}`
		if status := postUpdate(t, srv, telegramtest.Secret, big); status != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized: status %d, want 413", status)
		}
	})
	t.Run("GET is not allowed", func(t *testing.T) {
		if status, _, _ := srv.do(t, http.MethodGet, telegram.WebhookPath, "", nil); status != http.StatusMethodNotAllowed {
			t.Errorf("status %d, want 405", status)
		}
	})
}

func TestWebhookOfChannelOffIs404(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	for _, path := range []string{"/webhooks/telegram", "/webhooks/zalo-oa", "/webhooks/zalo-bot", "/webhooks/"} {
		if status, _, body := srv.do(t, http.MethodPost, path, "application/json", strings.NewReader(`{}`)); status != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, status)
		} else {
			assertError(t, body, "not_found")
		}
	}
}

func TestReadyzDegraded(t *testing.T) {
	srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) {
		d.Degraded = func(context.Context) error {
			return handlers.ComponentError{Name: "telegram", Err: errors.New("connect api.telegram.org: unreachable")}
		}
	})
	status, _, body := srv.do(t, http.MethodGet, "/readyz", "", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"degraded"`) || !strings.Contains(string(body), "telegram") || strings.Contains(string(body), "api.telegram.org") {
		t.Errorf("readyz = %d %s, want 200 degraded naming telegram (and no address)", status, body)
	}
}
