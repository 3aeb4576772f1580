// Package chat serves the chat JSON API used by the web chat page and the
// mobile apps: open a conversation (its id and secret token), send a
// message (text or a location pin, with the client's message id) and
// receive the engine's structured bot.Answer, and follow staff replies. It
// validates every request before the web chat channel (bot/webchat) sees
// it, limits anonymous clients per address, gives a reloaded page its
// conversation back, and holds no business rules.
package chat

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/webchat"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
)

// Channel is the channel name of conversations opened through this API.
const Channel = webchat.Name

// Chats is the web chat channel (bot/webchat).
type Chats interface {
	Open(ctx context.Context) (webchat.Session, error)
	// Authorize: bot.ErrNotFound, or webchat.ErrUnauthorized for a wrong token.
	Authorize(ctx context.Context, id, token string) error
	// Send: *webchat.FloodError over the conversation's flood limit.
	Send(ctx context.Context, id, key string, msg bot.Message) (webchat.Reply, error)
}

// Limits are the per-client-address limits of the anonymous API; a zero
// Rule takes DefaultLimits', a Rule with Burst < 0 is off.
type Limits struct {
	Open    ratelimit.Rule // conversations opened
	Message ratelimit.Rule // messages sent, over all conversations
}

// DefaultLimits leave room for many phones behind one carrier address
// (CGNAT): 20 conversations at once then one every 30 s, 120 messages at
// once then two a second. A conversation's own flood limit is stricter
// (bot/flood), and a conversation can wait in one ward queue at a time, so
// opening conversations is what bounds fake handoffs.
var DefaultLimits = Limits{
	Open:    ratelimit.Rule{Burst: 20, Every: 30 * time.Second},
	Message: ratelimit.Rule{Burst: 120, Every: 500 * time.Millisecond},
}

// DefaultMaxTextRunes is the longest accepted message text, in runes.
const DefaultMaxTextRunes = 2000

// Config is what the chat API needs.
type Config struct {
	Chats        Chats
	Logger       *slog.Logger
	MaxTextRunes int              // 0: DefaultMaxTextRunes
	Now          func() time.Time // nil: time.Now
	Limits       Limits
	// SharedLimits keeps the Limits' buckets where several gateways count
	// together (bot/limitstore); nil: in this process.
	SharedLimits ratelimit.Taker
	// Clients names a request's client for the limits (trusted proxies).
	Clients ratelimit.Clients
	// History and Live serve a conversation's messages (GET /messages)
	// and the live stream of staff replies (/events); nil History: both
	// answer 404.
	History History
	Live    *live.Hub
	// Tickets names the conversation's open request in both (nil: none).
	Tickets Tickets
}

// API serves the chat endpoints.
type API struct {
	chats    Chats
	logger   *slog.Logger
	clients  ratelimit.Clients
	opens    *ratelimit.Limiter
	messages *ratelimit.Limiter
	maxRunes int
	now      func() time.Time
	history  History
	live     *live.Hub
	tickets  Tickets
}

// New checks cfg and returns the API.
func New(cfg Config) (*API, error) {
	if cfg.Chats == nil {
		return nil, errors.New("chat: Chats is required")
	}
	a := &API{chats: cfg.Chats, logger: cfg.Logger, maxRunes: cfg.MaxTextRunes, now: cfg.Now,
		history: cfg.History, live: cfg.Live, tickets: cfg.Tickets}
	if a.live == nil {
		a.live = live.New(0)
	}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	if a.maxRunes <= 0 {
		a.maxRunes = DefaultMaxTextRunes
	}
	if a.now == nil {
		a.now = time.Now
	}
	if cfg.Limits.Open == (ratelimit.Rule{}) {
		cfg.Limits.Open = DefaultLimits.Open
	}
	if cfg.Limits.Message == (ratelimit.Rule{}) {
		cfg.Limits.Message = DefaultLimits.Message
	}
	a.clients = cfg.Clients
	a.opens = ratelimit.New(cfg.Limits.Open, a.now)
	a.messages = ratelimit.New(cfg.Limits.Message, a.now)
	if cfg.SharedLimits != nil {
		a.opens.Shared(cfg.SharedLimits, "chat-open")
		a.messages.Shared(cfg.SharedLimits, "chat-message")
	}
	return a, nil
}

// Routes returns the API's router, meant to be mounted at /api.
func (a *API) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/openapi.json", serveOpenAPI)
	r.Post("/v1/conversations", a.handle(a.createConversation))
	r.Post("/v1/conversations/{id}/messages", a.handle(a.createMessage))
	r.Get("/v1/conversations/{id}/messages", a.handle(a.listMessages))
	r.Get("/v1/conversations/{id}/events", a.handle(a.events))
	return r
}

func (a *API) handle(fn jsonapi.HandlerFunc) http.HandlerFunc {
	return jsonapi.Handle(a.logger, fn)
}
