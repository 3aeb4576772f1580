package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/zalobot"
	"github.com/hoiphuong/hoiphuong/bot/zalooa"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// zaloConfig is the configuration of the two Zalo channels.
type zaloConfig struct {
	OAAppID        string // ZALO_OA_APP_ID; empty: Zalo OA is off
	OASecretKey    string // ZALO_OA_SECRET_KEY: the OA secret key, signs webhook events
	OAAppSecret    string // ZALO_OA_APP_SECRET: the app's secret for token refreshes (ZALO_OA_SECRET_KEY when empty)
	OAAccessToken  string // ZALO_OA_ACCESS_TOKEN: initial token, used while the database has none
	OARefreshToken string // ZALO_OA_REFRESH_TOKEN: initial refresh token
	OAAPIURL       string // ZALO_OA_API_URL, default https://openapi.zalo.me
	OAuthURL       string // ZALO_OAUTH_URL, default https://oauth.zaloapp.com

	BotToken  string // ZALO_BOT_TOKEN; empty: the Zalo Bot is off
	BotSecret string // ZALO_BOT_WEBHOOK_SECRET (8–256 characters): required in webhook mode
	BotMode   string // ZALO_BOT_MODE: webhook (default) | poll
	BotAPIURL string // ZALO_BOT_API_URL, default https://bot-api.zaloplatforms.com
}

func loadZaloConfig(getenv func(string) string) zaloConfig {
	return zaloConfig{
		OAAppID:        strings.TrimSpace(getenv("ZALO_OA_APP_ID")),
		OASecretKey:    getenv("ZALO_OA_SECRET_KEY"),
		OAAppSecret:    getenv("ZALO_OA_APP_SECRET"),
		OAAccessToken:  getenv("ZALO_OA_ACCESS_TOKEN"),
		OARefreshToken: getenv("ZALO_OA_REFRESH_TOKEN"),
		OAAPIURL:       strings.TrimRight(or(getenv("ZALO_OA_API_URL"), zalooa.DefaultAPIURL), "/"),
		OAuthURL:       strings.TrimRight(or(getenv("ZALO_OAUTH_URL"), zalooa.DefaultOAuthURL), "/"),
		BotToken:       getenv("ZALO_BOT_TOKEN"),
		BotSecret:      getenv("ZALO_BOT_WEBHOOK_SECRET"),
		BotMode:        or(getenv("ZALO_BOT_MODE"), zalobot.ModeWebhook),
		BotAPIURL:      strings.TrimRight(or(getenv("ZALO_BOT_API_URL"), zalobot.DefaultAPIURL), "/"),
	}
}

// check reports every bad Zalo setting; a half-configured channel is an
// error rather than silently off.
func (z zaloConfig) check() []error {
	var errs []error
	for name, u := range map[string]string{"ZALO_OA_API_URL": z.OAAPIURL, "ZALO_OAUTH_URL": z.OAuthURL, "ZALO_BOT_API_URL": z.BotAPIURL} {
		if !isHTTPURL(u) {
			errs = append(errs, fmt.Errorf("%s: %q must start with http:// or https://", name, u))
		}
	}
	if z.OAAppID == "" {
		if z.OASecretKey != "" || z.OAAppSecret != "" || z.OAAccessToken != "" || z.OARefreshToken != "" {
			errs = append(errs, errors.New("ZALO_OA_*: set without ZALO_OA_APP_ID"))
		}
	} else if z.OASecretKey == "" {
		errs = append(errs, errors.New("ZALO_OA_SECRET_KEY: required with ZALO_OA_APP_ID (it verifies webhook signatures)"))
	}
	if z.BotToken == "" {
		if z.BotSecret != "" {
			errs = append(errs, errors.New("ZALO_BOT_WEBHOOK_SECRET: set without ZALO_BOT_TOKEN"))
		}
		return errs
	}
	if id, secret, ok := strings.Cut(z.BotToken, ":"); !ok || id == "" || secret == "" || strings.ContainsAny(z.BotToken, " %/?#") {
		errs = append(errs, errors.New("ZALO_BOT_TOKEN: not a bot token ({bot_id}:{secret}, from Zalo Bot Creator)"))
	}
	switch z.BotMode {
	case zalobot.ModeWebhook:
		if n := len(z.BotSecret); n < 8 || n > 256 {
			errs = append(errs, errors.New("ZALO_BOT_WEBHOOK_SECRET: 8–256 characters, required when ZALO_BOT_MODE=webhook"))
		}
	case zalobot.ModePoll:
	default:
		errs = append(errs, fmt.Errorf("ZALO_BOT_MODE: %q is not webhook or poll", z.BotMode))
	}
	return errs
}

// String prints the Zalo settings with secrets masked.
func (z zaloConfig) String() string {
	return fmt.Sprintf("ZALO_OA_APP_ID=%s ZALO_OA_SECRET_KEY=%s ZALO_OA_APP_SECRET=%s ZALO_OA_ACCESS_TOKEN=%s ZALO_OA_REFRESH_TOKEN=%s"+
		" ZALO_OA_API_URL=%s ZALO_OAUTH_URL=%s ZALO_BOT_TOKEN=%s ZALO_BOT_WEBHOOK_SECRET=%s ZALO_BOT_MODE=%s ZALO_BOT_API_URL=%s",
		z.OAAppID, mask(z.OASecretKey), mask(z.OAAppSecret), mask(z.OAAccessToken), mask(z.OARefreshToken),
		z.OAAPIURL, z.OAuthURL, mask(z.BotToken), mask(z.BotSecret), z.BotMode, z.BotAPIURL)
}

// zaloChannels are the Zalo adapters (nil when off).
type zaloChannels struct {
	oa  *zalooa.Channel
	bot *zalobot.Channel
}

// openZalo constructs the Zalo channels whose variables are set and
// registers them with the inbox and the outbox. Nothing here touches the
// network.
func (a *app) openZalo(ctx context.Context, db *sql.DB, in *inbox.Inbox, out *outbox.Outbox) (zaloChannels, error) {
	var z zaloChannels
	c := a.cfg.Zalo
	if c.OAAppID != "" {
		st, err := chanstore.NewZaloOA(ctx, db)
		if err != nil {
			return z, err
		}
		oa, err := zalooa.New(ctx, zalooa.Config{
			AppID: c.OAAppID, SecretKey: c.OASecretKey, AppSecret: c.OAAppSecret,
			AccessToken: c.OAAccessToken, RefreshToken: c.OARefreshToken,
			APIURL: c.OAAPIURL, OAuthURL: c.OAuthURL, Store: st, Inbox: in, Logger: a.logger,
			Leases: a.sharedLeases(db),
		})
		if err != nil {
			return z, err
		}
		in.Register(oa)
		out.Register(zalooa.Name, oa, outbox.Limits{})
		z.oa = oa
	}
	if c.BotToken != "" {
		zb, err := zalobot.New(zalobot.Config{
			Token: c.BotToken, Secret: c.BotSecret, Mode: c.BotMode, APIURL: c.BotAPIURL,
			PublicBaseURL: a.cfg.PublicBaseURL, Inbox: in, Logger: a.logger,
			Leases: a.sharedLeases(db), LeaseRenew: a.cfg.LeaseTTL / 3,
		})
		if err != nil {
			return z, err
		}
		in.Register(zb)
		out.Register(zalobot.Name, zb, outbox.Limits{})
		z.bot = zb
	}
	return z, nil
}

// runners are the Zalo adapters' background loops.
func (z zaloChannels) runners() []func(context.Context) {
	var rs []func(context.Context)
	if z.oa != nil {
		rs = append(rs, z.oa.Run)
	}
	if z.bot != nil {
		rs = append(rs, z.bot.Run)
	}
	return rs
}

// addWebhooks adds the receivers of the Zalo channels that use webhooks.
func (z zaloChannels) addWebhooks(hooks map[string]webhook.Receiver) {
	if z.oa != nil {
		hooks[zalooa.Name] = z.oa
	}
	if z.bot != nil && z.bot.Mode() == zalobot.ModeWebhook {
		hooks[zalobot.Name] = z.bot
	}
}

// degraded lists the Zalo channels that cannot reach their platform.
func (z zaloChannels) degraded() []error {
	var errs []error
	if z.oa != nil {
		if err := z.oa.Ready(); err != nil {
			errs = append(errs, handlers.ComponentError{Name: "zalo-oa", Err: err})
		}
	}
	if z.bot != nil {
		if err := z.bot.Ready(); err != nil {
			errs = append(errs, handlers.ComponentError{Name: "zalo-bot", Err: err})
		}
	}
	return errs
}
