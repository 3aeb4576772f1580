// Package zalooa is the Zalo Official Account (Open API v3) channel
// adapter: it verifies the X-ZEvent-Signature of webhook events, turns them
// into inbox updates (text, location, follow; other content gets a polite
// notice), renders answers as plain text in chunks of 2,000 characters and
// sends them as customer-service messages. The OA's access token is
// refreshed with its single-use refresh token, the new pair stored (Store,
// chanstore.ZaloOA) before it is used, one refresh at a time. Messages to a
// follower whose last message is older than 48 hours are not sent: the
// outbox marks them failed as undeliverable, for staff.
package zalooa

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channel"
	"github.com/hoiphuong/hoiphuong/bot/chanstore"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Name is the channel's name in conversations, the outbox and metrics.
const Name = "zalo-oa"

// WebhookPath is where Zalo posts OA events.
const WebhookPath = "/webhooks/zalo-oa"

// Default base URLs.
const (
	DefaultAPIURL   = "https://openapi.zalo.me"
	DefaultOAuthURL = "https://oauth.zaloapp.com"
)

// ReplyWindow is how long after a follower's last message the OA may reply.
const ReplyWindow = 48 * time.Hour

// Acceptor persists an inbound update (inbox.Inbox).
type Acceptor interface {
	Accept(ctx context.Context, u inbox.Update) (inbox.Accepted, error)
}

// Store keeps the channel's durable state (chanstore.ZaloOA): each
// follower's last message and the replies sent since, and the token pair.
type Store interface {
	TouchFollower(ctx context.Context, userID string, at time.Time) error
	Follower(ctx context.Context, userID string) (chanstore.Follower, bool, error)
	CountReply(ctx context.Context, userID string) error
	LoadTokens(ctx context.Context, appID string) (chanstore.Tokens, bool, error)
	SaveTokens(ctx context.Context, appID string, t chanstore.Tokens, at time.Time) error
}

// Config holds the channel's settings and dependencies.
type Config struct {
	AppID        string // ZALO_OA_APP_ID
	SecretKey    string // ZALO_OA_SECRET_KEY: signs webhook events
	AppSecret    string // secret_key header of token refreshes (SecretKey when empty)
	AccessToken  string // ZALO_OA_ACCESS_TOKEN: initial token, used when the database has none
	RefreshToken string // ZALO_OA_REFRESH_TOKEN: initial refresh token
	APIURL       string // ZALO_OA_API_URL (DefaultAPIURL)
	OAuthURL     string // ZALO_OAUTH_URL (DefaultOAuthURL)
	Store        Store
	Inbox        Acceptor
	Logger       *slog.Logger
	Now          func() time.Time
	Timeout      time.Duration // bound of one API call (10 s)
	// Leases, when several gateways share the database, lets one of them
	// at a time refresh the token pair (the refresh token works once: two
	// refreshes with it get the OA's authorisation revoked); the others
	// take the pair it stores. Their lifetime must exceed Timeout. nil:
	// this is the only gateway.
	Leases   lease.Claims
	RateWait time.Duration // wait after error -32, too many requests (1 min)
}

// Channel is the Zalo OA adapter.
type Channel struct {
	cfg  Config
	http *http.Client

	refreshMu sync.Mutex // one refresh at a time: the refresh token is single-use
	tokMu     sync.Mutex
	tok       chanstore.Tokens // current pair, loaded lazily

	ready     channel.Readiness
	refreshes atomic.Int64
}

// New checks the configuration and loads the stored token pair (storing
// the configured one when there is none); it makes no network call.
func New(ctx context.Context, cfg Config) (*Channel, error) {
	if cfg.AppID == "" || cfg.SecretKey == "" || cfg.Store == nil || cfg.Inbox == nil {
		return nil, errors.New("zalooa: AppID, SecretKey, Store and Inbox are required")
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = cfg.SecretKey
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	cfg.OAuthURL = strings.TrimRight(cfg.OAuthURL, "/")
	if cfg.OAuthURL == "" {
		cfg.OAuthURL = DefaultOAuthURL
	}
	channel.Defaults(&cfg.Logger, &cfg.Now, &cfg.Timeout)
	if cfg.RateWait <= 0 {
		cfg.RateWait = time.Minute
	}
	c := &Channel{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout}}
	if err := c.seedTokens(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Name is the channel's name.
func (c *Channel) Name() string { return Name }

// Ready is nil unless the last call to Zalo failed for a reason other than
// the citizen (unreachable, token refresh refused); updates are accepted
// and queued either way.
func (c *Channel) Ready() error {
	if err := c.ready.Err("zalo-oa"); err != nil {
		return err
	}
	if t := c.current(); t.Access == "" && t.Refresh == "" {
		return errors.New("zalo-oa: no access or refresh token (set ZALO_OA_REFRESH_TOKEN)")
	}
	return nil
}

// Refreshes is how many token refreshes this process made.
func (c *Channel) Refreshes() int64 { return c.refreshes.Load() }

// Run returns when ctx is done: the OA needs no connection, its webhook is
// registered in the Zalo developer console.
func (c *Channel) Run(ctx context.Context) { <-ctx.Done() }

func (c *Channel) setErr(msg string) { c.ready.Set(msg) }

// Canned answers a follow with a greeting and unsupported content with a
// notice.
func (c *Channel) Canned(msg bot.Message) (bot.Answer, bool) { return zalo.Canned(msg) }

// locationHint tells an OA follower how to share a location.
const locationHint = "Gửi vị trí: bấm dấu “+” trong khung chat rồi chọn “Vị trí”"

// Render turns an answer into plain-text messages of at most 2,000
// characters.
func (c *Channel) Render(_ context.Context, a bot.Answer) ([]outbox.OutMessage, error) {
	return zalo.Render(a, locationHint), nil
}
