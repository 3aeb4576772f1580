package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	"github.com/hoiphuong/hoiphuong/bot/zalobot/zalobottest"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// postWebhook posts body to path with the headers and returns the status
// and the error code of the answer ("" for none).
func postWebhook(t *testing.T, srv *testServer, path, body string, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var e struct{ Error struct{ Code string } }
	_ = json.Unmarshal(b, &e) // a 200 has no body
	return res.StatusCode, e.Error.Code
}

// The Zalo webhooks through the gateway's router: 401 unsigned, 400 for a
// malformed update or one dated outside the OA's window, 200 once stored.
func TestZaloWebhooks(t *testing.T) {
	oa := zalooatest.NewGateway(t, zalooatest.New(t), zalooatest.Options{}).Start(t)
	zb := zalobottest.NewGateway(t, zalobottest.New(t), zalobottest.Options{}).Start(t)
	srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) {
		d.Webhooks = map[string]webhook.Receiver{zalooa.Name: oa.Channel, zalobot.Name: zb.Channel}
	})
	event := zalooatest.TextEvent("2512523625412515", "msg-1", "phường 5 quận 3")
	stale := zalooatest.TextEventAt("2512523625412515", "old-1", "phường 5 quận 3", time.Now().Add(-400*24*time.Hour))
	update := zalobottest.TextUpdate("c1", "m1", "phường 5 quận 3")
	secret := func(s string) http.Header { return http.Header{zalobot.SecretHeader: {s}} }
	for _, tc := range []struct {
		name, path, body string
		h                http.Header
		status           int
		code             string
	}{
		{"OA unsigned", zalooa.WebhookPath, event, http.Header{}, 401, "unauthorized"},
		{"OA body changed", zalooa.WebhookPath, strings.Replace(event, "quận 3", "quận 4", 1), zalooatest.Signed(t, event), 401, "unauthorized"},
		{"OA 400 days old", zalooa.WebhookPath, stale, zalooatest.Signed(t, stale), 400, "stale_update"},
		{"OA signed", zalooa.WebhookPath, event, zalooatest.Signed(t, event), 200, ""},
		{"bot wrong secret", zalobot.WebhookPath, update, secret("nope"), 401, "unauthorized"},
		{"bot malformed", zalobot.WebhookPath, `{"ok":true}`, secret(zalobottest.Secret), 400, "bad_update"},
		{"bot right secret", zalobot.WebhookPath, update, secret(zalobottest.Secret), 200, ""},
	} {
		status, code := postWebhook(t, srv, tc.path, tc.body, tc.h)
		if status != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, status, code, tc.status, tc.code)
		}
	}
}
