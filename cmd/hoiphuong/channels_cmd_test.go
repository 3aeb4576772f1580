package main

import (
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

func TestChannelsCommand(t *testing.T) {
	t.Parallel()
	fake := telegramtest.New(t)
	tg := func(token string) testEnv {
		return testEnv{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_SECRET": telegramtest.Secret,
			"TELEGRAM_API_URL": fake.URL, "PUBLIC_BASE_URL": "https://hoiphuong.example.vn/"}
	}
	tests := []struct {
		name     string
		env      testEnv
		args     []string
		code     int
		stdout   string // substring
		webhooks int    // setWebhook calls made by this case
	}{
		{"check ok", tg(telegramtest.Token), []string{"channels", "check"}, 0, "telegram   OK    getMe: @hoiphuong_bot", 0},
		{"check bad token", tg("999:wrong"), []string{"channels", "check"}, 1, "telegram   FAIL  telegram: getMe: Unauthorized", 0},
		{"setup", tg(telegramtest.Token), []string{"channels", "setup"}, 0,
			"telegram   OK    setWebhook https://hoiphuong.example.vn/webhooks/telegram with secret_token", 1},
		{"setup bad token", tg("999:wrong"), []string{"channels", "setup"}, 1, "telegram   FAIL", 0},
		{"no channel", testEnv{}, []string{"channels", "check"}, 0, "no channel configured", 0},
		{"no subcommand", tg(telegramtest.Token), []string{"channels"}, 2, "", 0},
		{"help", testEnv{}, []string{"channels", "--help"}, 0, "", 0},
	}
	for _, tt := range tests { // in order: the fake's setWebhook log is shared
		before := len(fake.Requests("setWebhook"))
		r := runCLI(t, tt.env, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.name, r.code, r.stdout, r.stderr, tt.code, tt.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, "wrong") || strings.Contains(r.stdout+r.stderr, telegramtest.Token) {
			t.Errorf("%s: output shows the token: %q", tt.name, r.stdout+r.stderr)
		}
		reqs := fake.Requests("setWebhook")
		if got := len(reqs) - before; got != tt.webhooks {
			t.Errorf("%s: %d setWebhook calls, want %d", tt.name, got, tt.webhooks)
			continue
		}
		if tt.webhooks > 0 {
			f := reqs[len(reqs)-1].Form
			if f.Get("url") != "https://hoiphuong.example.vn/webhooks/telegram" || f.Get("secret_token") != telegramtest.Secret {
				t.Errorf("%s: setWebhook form = %v", tt.name, f)
			}
		}
	}
	if r := runCLI(t, testEnv{"TELEGRAM_BOT_TOKEN": telegramtest.Token, "TELEGRAM_WEBHOOK_SECRET": telegramtest.Secret,
		"TELEGRAM_API_URL": fake.URL}, "channels", "setup"); r.code != 1 || !strings.Contains(r.stderr, "PUBLIC_BASE_URL") {
		t.Errorf("setup without PUBLIC_BASE_URL: exit %d, stderr %q", r.code, r.stderr)
	}
}
