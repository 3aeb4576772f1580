package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
	"github.com/hoiphuong/hoiphuong/bot/zalobot/zalobottest"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/bot/zalooa/zalooatest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
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

func TestChannelsCommandZaloOA(t *testing.T) {
	t.Parallel()
	oa := zalooatest.New(t)
	env := func(dataDir, token string) testEnv {
		return testEnv{"DATA_DIR": dataDir, "ZALO_OA_APP_ID": zalooatest.AppID, "ZALO_OA_SECRET_KEY": zalooatest.SecretKey,
			"ZALO_OA_ACCESS_TOKEN": token, "ZALO_OA_REFRESH_TOKEN": zalooatest.RefreshToken,
			"ZALO_OA_API_URL": oa.URL, "ZALO_OAUTH_URL": oa.URL, "PUBLIC_BASE_URL": "https://hoiphuong.example.vn"}
	}
	// A gateway that has run keeps the (rotated) pair in its database: the
	// check uses it, not the stale configured token.
	started := t.TempDir()
	db, err := sqldb.Open(t.Context(), filepath.Join(started, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	st, err := chanstore.NewZaloOA(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zalooa.New(t.Context(), zalooa.Config{AppID: zalooatest.AppID, SecretKey: zalooatest.SecretKey,
		AccessToken: zalooatest.AccessToken, RefreshToken: zalooatest.RefreshToken, Store: st, Inbox: noInbox{}}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name   string
		env    testEnv
		args   []string
		code   int
		stdout string
	}{
		{"check ok", env(t.TempDir(), zalooatest.AccessToken), []string{"channels", "check"}, 0,
			`zalo-oa    OK    getoa: "` + zalooatest.OAName + `" (token from ZALO_OA_ACCESS_TOKEN)`},
		{"check rejected token", env(t.TempDir(), "stale-token"), []string{"channels", "check"}, 1,
			"zalo-oa    FAIL  zalooa: access token invalid or expired (-216) (token from ZALO_OA_ACCESS_TOKEN)"},
		{"check stored token", env(started, "stale-token"), []string{"channels", "check"}, 0,
			`zalo-oa    OK    getoa: "` + zalooatest.OAName + `" (token from ` + filepath.Join(started, dbFile) + ")"},
		{"setup says where", env(t.TempDir(), zalooatest.AccessToken), []string{"channels", "setup"}, 0,
			"zalo-oa    OK    no API for this: set the webhook URL https://hoiphuong.example.vn/webhooks/zalo-oa in the Zalo developer console"},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.env, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.name, r.code, r.stdout, r.stderr, tt.code, tt.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, "stale-token") || strings.Contains(r.stdout+r.stderr, zalooatest.AccessToken) {
			t.Errorf("%s: output shows a token", tt.name)
		}
	}
	if n := len(oa.Requests(zalooatest.RefreshPath)); n != 0 {
		t.Errorf("%d token refreshes, want 0: a check must not rotate the single-use refresh token", n)
	}
	if n := len(oa.Requests(zalooatest.InfoPath)); n != 3 {
		t.Errorf("%d getoa calls, want 3", n)
	}
}
