// Package zalobot is the Zalo Bot Platform channel adapter (the
// Telegram-like bot API): it checks the webhook's X-Bot-Api-Secret-Token,
// accepts both documented body shapes (a bare update and an {ok, result}
// envelope), turns text messages into inbox updates (other content gets a
// polite notice), renders answers as plain text in chunks of 2,000
// characters and sends them with sendMessage. For development it long-polls
// getUpdates, which has no offset: the inbox's dedupe on event_name +
// message_id absorbs repeats. Nothing here blocks startup: Run connects in
// the background and Ready reports how that goes.
package zalobot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channel"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
)

// Name is the channel's name in conversations, the outbox and metrics.
const Name = "zalo-bot"

// WebhookPath is where the platform posts updates.
const WebhookPath = "/webhooks/zalo-bot"

// DefaultAPIURL is the Bot API's base URL: <base>/bot<token>/<method>.
const DefaultAPIURL = "https://bot-api.zaloplatforms.com"

// Modes of receiving updates.
const (
	ModeWebhook = "webhook"
	ModePoll    = "poll"
)

// Acceptor persists an inbound update (inbox.Inbox).
type Acceptor interface {
	Accept(ctx context.Context, u inbox.Update) (inbox.Accepted, error)
}

// Config holds the channel's settings and dependencies.
type Config struct {
	Token         string // ZALO_BOT_TOKEN
	Secret        string // ZALO_BOT_WEBHOOK_SECRET (8–256 characters): required in webhook mode
	Mode          string // ModeWebhook (default) or ModePoll
	APIURL        string // ZALO_BOT_API_URL (DefaultAPIURL)
	PublicBaseURL string // PUBLIC_BASE_URL: where the webhook is registered; empty: not registered
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

// Channel is the Zalo Bot Platform adapter.
type Channel struct {
	cfg    Config
	http   *http.Client
	poller *http.Client
	ready  channel.Readiness
}

// New checks the configuration; it makes no network call.
func New(cfg Config) (*Channel, error) {
	if cfg.Token == "" || cfg.Inbox == nil {
		return nil, errors.New("zalobot: Token and Inbox are required")
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeWebhook
	}
	if cfg.Mode != ModeWebhook && cfg.Mode != ModePoll {
		return nil, fmt.Errorf("zalobot: mode %q is not webhook or poll", cfg.Mode)
	}
	if cfg.Mode == ModeWebhook && cfg.Secret == "" {
		return nil, errors.New("zalobot: webhook mode needs a secret")
	}
	if strings.ContainsAny(cfg.Token, "/?# ") {
		return nil, errors.New("zalobot: the token must not contain '/', '?', '#' or spaces")
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	channel.Defaults(&cfg.Logger, &cfg.Now, &cfg.Timeout)
	channel.PollDefaults(&cfg.PollTimeout, &cfg.RetryMax)
	c := &Channel{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout},
		poller: &http.Client{Timeout: cfg.PollTimeout + cfg.Timeout}}
	c.setErr("connecting")
	return c, nil
}

// Name is the channel's name.
func (c *Channel) Name() string { return Name }

// Mode is how the channel receives updates.
func (c *Channel) Mode() string { return c.cfg.Mode }

// Ready is nil once the platform accepted the token (and, in webhook mode
// with a PUBLIC_BASE_URL, the webhook was registered).
func (c *Channel) Ready() error {
	return c.ready.Err("zalo-bot")
}

func (c *Channel) setErr(msg string) { c.ready.Set(msg) }

// Canned answers /start, /help and unsupported content.
func (c *Channel) Canned(msg bot.Message) (bot.Answer, bool) { return zalo.Canned(msg) }

// Render turns an answer into plain-text messages of at most 2,000
// characters; the Bot Platform cannot receive locations, so a "send your
// location" reply is left out.
func (c *Channel) Render(_ context.Context, a bot.Answer) ([]outbox.OutMessage, error) {
	return zalo.Render(a, ""), nil
}
