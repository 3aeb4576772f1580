// Package telegram is the Telegram channel adapter (go-telegram-bot-api
// v5): it turns a webhook or long-polling Update into an inbox.Update,
// renders the engine's Answer as HTML-escaped chunks with keyboards, sends
// outbox rows, and registers the webhook with its secret_token. The library
// calls getMe in its constructors, so the bot is constructed in the
// background and Ready reports how that goes; nothing here blocks startup.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hoiphuong/hoiphuong/bot/channel"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
)

// Name is the channel's name in conversations, the outbox and metrics.
const Name = "telegram"

// Modes of receiving updates.
const (
	ModeWebhook = "webhook"
	ModePoll    = "poll"
)

// DefaultAPIURL is the Bot API's base URL.
const DefaultAPIURL = "https://api.telegram.org"

// WebhookPath is where Telegram posts updates.
const WebhookPath = "/webhooks/telegram"

// Acceptor persists an inbound update (inbox.Inbox).
type Acceptor interface {
	Accept(ctx context.Context, u inbox.Update) (inbox.Accepted, error)
}

// Store keeps the channel's durable state (chanstore.Telegram): the
// payloads behind button keys and the long-polling offset of each bot.
type Store interface {
	SaveCallback(ctx context.Context, key, payload string, at time.Time) error
	Callback(ctx context.Context, key string) (payload string, ok bool, err error)
	PollOffset(ctx context.Context, botID string) (int, error)
	SavePollOffset(ctx context.Context, botID string, offset int, at time.Time) error
}

// Config holds the channel's settings and dependencies.
type Config struct {
	Token         string // TELEGRAM_BOT_TOKEN
	Secret        string // TELEGRAM_WEBHOOK_SECRET: the webhook's secret_token
	Mode          string // ModeWebhook (default) or ModePoll
	APIURL        string // TELEGRAM_API_URL (DefaultAPIURL)
	PublicBaseURL string // PUBLIC_BASE_URL: where the webhook is registered; empty: not registered
	Store         Store
	Inbox         Acceptor
	Logger        *slog.Logger
	Now           func() time.Time
	Timeout       time.Duration // bound of one API call (10 s)
	PollTimeout   time.Duration // long-polling wait (25 s)
	RetryMax      time.Duration // longest wait between connection attempts (1 min)
	// Leases, when several gateways share the database, make one of them
	// at a time long-poll in ModePoll (channel.Exclusive), renewed every
	// LeaseRenew; nil: this is the only gateway.
	Leases     lease.Claims
	LeaseRenew time.Duration
}

// Channel is the Telegram adapter.
type Channel struct {
	cfg      Config
	botID    string
	endpoint string
	http     *http.Client
	poller   *http.Client

	api     atomic.Pointer[tgbotapi.BotAPI] // nil until getMe succeeded
	ready   channel.Readiness               // why it is not ready
	running sync.WaitGroup                  // callback answers in flight
	saved   savedKeys                       // callback keys stored by this process
}

// New checks the configuration. It makes no network call: Run connects.
func New(cfg Config) (*Channel, error) {
	if cfg.Token == "" || cfg.Store == nil || cfg.Inbox == nil {
		return nil, errors.New("telegram: Token, Store and Inbox are required")
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeWebhook
	}
	if cfg.Mode != ModeWebhook && cfg.Mode != ModePoll {
		return nil, fmt.Errorf("telegram: mode %q is not webhook or poll", cfg.Mode)
	}
	if cfg.Mode == ModeWebhook && cfg.Secret == "" {
		return nil, errors.New("telegram: webhook mode needs a secret")
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if strings.Contains(cfg.APIURL, "%") {
		return nil, errors.New("telegram: API URL must not contain '%'")
	}
	channel.Defaults(&cfg.Logger, &cfg.Now, &cfg.Timeout)
	channel.PollDefaults(&cfg.PollTimeout, &cfg.RetryMax)
	c := &Channel{
		cfg:      cfg,
		botID:    strings.SplitN(cfg.Token, ":", 2)[0],
		endpoint: cfg.APIURL + "/bot%s/%s", // the library's format: token, method
		http:     &http.Client{Timeout: cfg.Timeout, Transport: apiTransport()},
		poller:   &http.Client{Timeout: cfg.PollTimeout + cfg.Timeout},
	}
	c.setErr("connecting")
	return c, nil
}

// Name is the channel's name.
func (c *Channel) Name() string { return Name }

// Mode is how the channel receives updates.
func (c *Channel) Mode() string { return c.cfg.Mode }

// Ready is nil once the Bot API accepted the token (and, in webhook mode
// with a PUBLIC_BASE_URL, the webhook was registered); otherwise it says
// what is wrong. Updates are accepted and queued either way.
func (c *Channel) Ready() error {
	return c.ready.Err("telegram")
}

func (c *Channel) setErr(msg string) { c.ready.Set(msg) }

// apiTransport keeps enough idle connections to the Bot API for the
// outbox's concurrent sends (net/http's default keeps 2 per host, so the
// others would reconnect on every message).
func apiTransport() http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = 32
	return t
}
