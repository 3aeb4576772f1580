package main

import (
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/bot/zalobot/zalobottest"
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

func TestChannelsCommandZaloBot(t *testing.T) {
	t.Parallel()
	zb := zalobottest.New(t)
	env := func(token string) testEnv {
		return testEnv{"ZALO_BOT_TOKEN": token, "ZALO_BOT_WEBHOOK_SECRET": zalobottest.Secret,
			"ZALO_BOT_API_URL": zb.URL, "PUBLIC_BASE_URL": "https://hoiphuong.example.vn"}
	}
	tests := []struct {
		name   string
		env    testEnv
		args   []string
		code   int
		stdout string
	}{
		{"check ok", env(zalobottest.Token), []string{"channels", "check"}, 0, "zalo-bot   OK    getMe: OK"},
		{"check bad token", env("1:wrong"), []string{"channels", "check"}, 1, "zalo-bot   FAIL"},
		{"setup", env(zalobottest.Token), []string{"channels", "setup"}, 0, "setWebhook https://hoiphuong.example.vn/webhooks/zalo-bot"},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.env, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.name, r.code, r.stdout, r.stderr, tt.code, tt.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, zalobottest.Token) {
			t.Errorf("%s: output shows the token", tt.name)
		}
	}
	if got := len(zb.Requests("setWebhook")); got != 1 {
		t.Errorf("%d setWebhook calls, want 1", got)
	}
}
