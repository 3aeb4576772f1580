package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
)

// channelOp is what `hoiphuong channels` needs of one configured channel.
// A channel adds an implementation and a line in configuredChannels.
type channelOp interface {
	Name() string
	// Check says whether the credentials work: a short description of the
	// account (the bot's name), or why not.
	Check(ctx context.Context) (string, error)
	// Setup registers the webhook under baseURL and describes what was
	// registered; a channel without a webhook to register says so.
	Setup(ctx context.Context, baseURL string) (string, error)
}

// configuredChannels are the channels whose variables are set.
func configuredChannels(c Config) []channelOp {
	var ops []channelOp
	if c.TelegramToken != "" {
		ops = append(ops, telegramOp{token: c.TelegramToken, secret: c.TelegramSecret, mode: c.TelegramMode, apiURL: c.TelegramAPIURL})
	}
	if z := c.Zalo; z.OAAppID != "" {
		ops = append(ops, zaloOAOp{cfg: z, gateway: c})
	}
	if z := c.Zalo; z.BotToken != "" {
		ops = append(ops, zaloBotOp{zalobot.Config{Token: z.BotToken, Secret: z.BotSecret, Mode: z.BotMode, APIURL: z.BotAPIURL}})
	}
	return ops
}

type telegramOp struct{ token, secret, mode, apiURL string }

func (telegramOp) Name() string { return telegram.Name }

func (t telegramOp) Check(ctx context.Context) (string, error) {
	user, err := telegram.CheckToken(ctx, t.token, t.apiURL)
	if err != nil {
		return "", err
	}
	return "getMe: @" + user, nil
}

func (t telegramOp) Setup(ctx context.Context, baseURL string) (string, error) {
	if t.mode == telegram.ModePoll {
		return "TELEGRAM_MODE=poll: no webhook (the gateway deletes it and polls)", nil
	}
	url, err := telegram.RegisterWebhook(ctx, t.token, t.apiURL, baseURL, t.secret)
	if err != nil {
		return "", err
	}
	return "setWebhook " + url + " with secret_token (TELEGRAM_WEBHOOK_SECRET), updates: message, callback_query", nil
}

func runChannels(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("channels", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 15*time.Second, "bound of each channel's API calls")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong channels check|setup [--timeout 15s]

  check  for each configured channel, call its platform with the credentials
         (Telegram and Zalo Bot: getMe; Zalo OA: the OA information, with the
         access token the gateway stored, else ZALO_OA_ACCESS_TOKEN; never a
         token refresh) and print OK or FAIL with the reason; exit status 1
         if any fails.
  setup  register each configured channel's webhook, with its secret, at
         PUBLIC_BASE_URL + /webhooks/<channel> (Telegram: setWebhook with
         secret_token) and print what was registered; exit status 1 if any fails.

A channel is configured when its variables are set (TELEGRAM_BOT_TOKEN, …);
API base URLs can be overridden (TELEGRAM_API_URL).`)
		fs.PrintDefaults()
	}
	rest, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "check" && rest[0] != "setup") {
		fs.Usage()
		return exitError{2}
	}
	cfg, err := loadConfig(e.getenv, ".env")
	if err != nil {
		return err
	}
	ops := configuredChannels(cfg)
	if len(ops) == 0 {
		fmt.Fprintln(e.stdout, "no channel configured (set TELEGRAM_BOT_TOKEN, …)")
		return nil
	}
	if rest[0] == "setup" && cfg.PublicBaseURL == "" {
		return errors.New("PUBLIC_BASE_URL is not set: the platforms need the gateway's public https:// address")
	}
	return channelsDo(ctx, e.stdout, ops, rest[0], cfg.PublicBaseURL, *timeout)
}

// channelsDo runs check or setup on every channel, printing one line each.
func channelsDo(ctx context.Context, w io.Writer, ops []channelOp, what, baseURL string, timeout time.Duration) error {
	failed := 0
	for _, op := range ops {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		var msg string
		var err error
		if what == "setup" {
			msg, err = op.Setup(cctx, baseURL)
		} else {
			msg, err = op.Check(cctx)
		}
		cancel()
		if err != nil {
			failed++
			fmt.Fprintf(w, "%-10s FAIL  %v\n", op.Name(), err)
			continue
		}
		fmt.Fprintf(w, "%-10s OK    %s\n", op.Name(), msg)
	}
	if failed > 0 {
		return exitError{1}
	}
	return nil
}

// zaloBotOp checks and registers the Zalo Bot Platform channel. The
// channel is built without an inbox: check and setup receive nothing.
type zaloBotOp struct{ cfg zalobot.Config }

func (zaloBotOp) Name() string { return zalobot.Name }

func (z zaloBotOp) channel() (*zalobot.Channel, error) {
	cfg := z.cfg
	cfg.Inbox = noInbox{}
	return zalobot.New(cfg)
}

func (z zaloBotOp) Check(ctx context.Context) (string, error) {
	c, err := z.channel()
	if err != nil {
		return "", err
	}
	if err := c.GetMe(ctx); err != nil {
		return "", err
	}
	return "getMe: OK", nil
}

func (z zaloBotOp) Setup(ctx context.Context, baseURL string) (string, error) {
	if z.cfg.Mode == zalobot.ModePoll {
		return "ZALO_BOT_MODE=poll: no webhook (the gateway polls)", nil
	}
	c, err := z.channel()
	if err != nil {
		return "", err
	}
	if err := c.SetWebhook(ctx, baseURL); err != nil {
		return "", err
	}
	return "setWebhook " + strings.TrimRight(baseURL, "/") + zalobot.WebhookPath + " with secret_token (ZALO_BOT_WEBHOOK_SECRET)", nil
}

// zaloOAOp checks the Zalo OA channel's access token. Its webhook is set in
// the Zalo developer console: there is no API to register it.
type zaloOAOp struct {
	cfg     zaloConfig
	gateway Config // where the gateway's database is: it holds the rotated token pair
}

func (zaloOAOp) Name() string { return zalooa.Name }

func (z zaloOAOp) Check(ctx context.Context) (string, error) {
	token, from, err := z.accessToken(ctx)
	if err != nil {
		return "", err
	}
	name, err := zalooa.CheckToken(ctx, z.cfg.OAAPIURL, token, 0) // ctx bounds the call
	if err != nil {
		return "", fmt.Errorf("%w (token from %s)", err, from)
	}
	return fmt.Sprintf("getoa: %q (token from %s)", name, from), nil
}

// accessToken is the token the gateway would use: the pair stored in its
// database once it has started (a refresh replaces the configured one),
// else ZALO_OA_ACCESS_TOKEN.
func (z zaloOAOp) accessToken(ctx context.Context) (token, from string, err error) {
	const env = "ZALO_OA_ACCESS_TOKEN"
	db, err := openExistingDatabase(ctx, z.gateway)
	if errors.Is(err, fs.ErrNotExist) { // no gateway has run here yet
		return z.cfg.OAAccessToken, env, nil
	}
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	st, err := chanstore.NewZaloOA(ctx, db)
	if err != nil {
		return "", "", err
	}
	t, ok, err := st.LoadTokens(ctx, z.cfg.OAAppID)
	if err != nil || !ok || t.Access == "" { // not started with the OA yet
		return z.cfg.OAAccessToken, env, nil
	}
	return t.Access, z.gateway.databaseName(), nil
}

func (zaloOAOp) Setup(_ context.Context, baseURL string) (string, error) {
	return "no API for this: set the webhook URL " + strings.TrimRight(baseURL, "/") + zalooa.WebhookPath +
		" in the Zalo developer console (events user_send_text, user_send_location, follow)", nil
}

// noInbox refuses updates: the channels command never receives any.
type noInbox struct{}

func (noInbox) Accept(context.Context, inbox.Update) (inbox.Accepted, error) {
	return inbox.Accepted{}, errors.New("channels command: not receiving")
}
