// Package handlers mounts every HTTP surface of the gateway on one chi
// router — the web chat page, the chat JSON API, health and metrics — behind
// the shared middleware (request id, access log, metrics, panic recovery,
// security headers, body limit, timeout). Handlers are HTTP only: business
// rules live in bot and knowledge.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/handlers/chat"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
	"github.com/hoiphuong/hoiphuong/handlers/web"
	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// Defaults for the zero values of Deps.
const (
	DefaultMaxTextRunes   = chat.DefaultMaxTextRunes
	DefaultRequestTimeout = 30 * time.Second
	MaxBodyBytes          = 64 << 10
	// MaxConsoleBodyBytes bounds the staff and editor consoles' requests
	// (a knowledge-base CSV upload; the editor sets its own, lower limit).
	MaxConsoleBodyBytes = 10 << 20
)

// Deps is everything the HTTP surfaces need. Only Chats is required.
type Deps struct {
	// Chats is the web chat channel (bot/webchat) behind the chat API.
	Chats chat.Chats
	// ChatLimits are the chat API's per-address limits (zero: defaults).
	ChatLimits chat.Limits
	// SharedLimits, when several gateways serve the chat API, keeps its
	// per-address buckets where they all count (nil: in this process).
	SharedLimits ratelimit.Taker
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (the per-address limits); none: the connection's address.
	TrustedProxies []netip.Prefix
	// Ready reports readiness: nil means ready; an error's text names what
	// is not ready. A nil Ready means always ready.
	Ready func(ctx context.Context) error
	// Degraded reports what works only partly (a channel whose platform is
	// unreachable): /readyz still answers 200, naming it. Nil: nothing.
	Degraded func(ctx context.Context) error
	// Webhooks are the configured channels' webhook receivers, by channel
	// name (/webhooks/{name}); a channel without one answers 404.
	Webhooks map[string]webhook.Receiver
	// Registry receives the HTTP metrics and is served at /metrics. Nil: a
	// fresh registry with only the HTTP metrics.
	Registry *prometheus.Registry
	Logger   *slog.Logger // nil: discard
	// MaxTextRunes is the longest message text accepted (0: 2000).
	MaxTextRunes int
	// RequestTimeout bounds each request's context (0: 30 s).
	RequestTimeout time.Duration
	// History and Live feed a conversation's messages and the citizen's
	// live stream of staff replies (GET /api/v1/conversations/{id}/messages
	// and …/events); nil: neither (404).
	History chat.History
	Live    *live.Hub
	// Tickets names a conversation's open request (the ward queues,
	// bot/handoff) in both; nil: none.
	Tickets chat.Tickets
	// Console is the staff console (handlers/console, with the login and
	// the dashboard), mounted at /console; nil: none.
	Console http.Handler
}

// New builds the router with every surface mounted. It fails when a
// dependency is missing, a template does not parse, or the metrics cannot be
// registered.
func New(deps Deps) (chi.Router, error) {
	if deps.Chats == nil {
		return nil, errors.New("handlers: Deps.Chats is required")
	}
	deps = withDefaults(deps)
	metrics, err := newHTTPMetrics(deps.Registry)
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	api, err := chat.New(chat.Config{
		Chats: deps.Chats, Logger: deps.Logger, MaxTextRunes: deps.MaxTextRunes,
		History: deps.History, Live: deps.Live, Tickets: deps.Tickets, Limits: deps.ChatLimits,
		SharedLimits: deps.SharedLimits, Clients: ratelimit.Clients{Trusted: deps.TrustedProxies},
	})
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	hooks, err := webhook.New(webhook.Config{
		Receivers: deps.Webhooks, Logger: deps.Logger,
		Rejected: func(ch string) { metrics.rejected.WithLabelValues(ch).Inc() },
	})
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	page, err := web.New(web.Config{Logger: deps.Logger, MaxTextRunes: deps.MaxTextRunes})
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}

	r := chi.NewRouter()
	r.Use(
		middleware.GetHead,
		requestID,
		observe(deps.Logger, metrics),
		recoverPanic(deps.Logger),
		SecurityHeaders,
		timeout(deps.RequestTimeout),
	)
	r.NotFound(notFound)
	r.MethodNotAllowed(methodNotAllowed)

	if deps.Console != nil {
		// Behind a staff login; editors upload CSV files of the KB. The
		// consoles answer a body over the limit with their own pages.
		r.With(capBody(MaxConsoleBodyBytes)).Mount("/console", deps.Console)
	}
	r.Group(func(r chi.Router) {
		r.Use(limitBody(MaxBodyBytes))
		r.Get("/healthz", healthz)
		r.Get("/readyz", readyz(deps.Ready, deps.Degraded, deps.Logger))
		r.Method(http.MethodGet, "/metrics",
			promhttp.HandlerFor(deps.Registry, promhttp.HandlerOpts{Registry: deps.Registry}))
		r.Mount("/api", api.Routes())
		r.Mount("/webhooks", hooks.Routes())
		r.Mount("/", page.Routes())
	})
	return r, nil
}

func withDefaults(d Deps) Deps {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.MaxTextRunes <= 0 {
		d.MaxTextRunes = DefaultMaxTextRunes
	}
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = DefaultRequestTimeout
	}
	return d
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	jsonapi.WriteError(w, http.StatusNotFound, jsonapi.CodeNotFound, jsonapi.MessageNotFound)
}

func methodNotAllowed(w http.ResponseWriter, _ *http.Request) {
	jsonapi.WriteError(w, http.StatusMethodNotAllowed, jsonapi.CodeMethodNotAllowed, jsonapi.MessageMethod)
}
