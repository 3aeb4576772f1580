// Package chat serves the chat JSON API used by the web chat page and the
// mobile apps: open a conversation, send a message (text or a location pin)
// and receive the engine's structured bot.Answer. It validates every request
// before the engine sees it and holds no business rules.
package chat

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// Channel is the channel name of conversations opened through this API.
const Channel = "web"

// DefaultMaxTextRunes is the longest accepted message text, in runes.
const DefaultMaxTextRunes = 2000

// Config is what the chat API needs.
type Config struct {
	Conversations bot.Conversations
	Logger        *slog.Logger
	MaxTextRunes  int              // 0: DefaultMaxTextRunes
	Now           func() time.Time // nil: time.Now
	// History and Live serve the live stream of staff replies
	// (/events); nil History: the stream answers 404.
	History History
	Live    *live.Hub
}

// API serves the chat endpoints.
type API struct {
	conv     bot.Conversations
	logger   *slog.Logger
	maxRunes int
	now      func() time.Time
	history  History
	live     *live.Hub
}

// New checks cfg and returns the API.
func New(cfg Config) (*API, error) {
	if cfg.Conversations == nil {
		return nil, errors.New("chat: Conversations is required")
	}
	a := &API{conv: cfg.Conversations, logger: cfg.Logger, maxRunes: cfg.MaxTextRunes, now: cfg.Now,
		history: cfg.History, live: cfg.Live}
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
	return a, nil
}

// Routes returns the API's router, meant to be mounted at /api.
func (a *API) Routes() chi.Router {
	r := chi.NewRouter()
	r.Get("/openapi.json", serveOpenAPI)
	r.Post("/v1/conversations", a.handle(a.createConversation))
	r.Post("/v1/conversations/{id}/messages", a.handle(a.createMessage))
	r.Get("/v1/conversations/{id}/events", a.handle(a.events))
	return r
}

func (a *API) handle(fn jsonapi.HandlerFunc) http.HandlerFunc {
	return jsonapi.Handle(a.logger, fn)
}
