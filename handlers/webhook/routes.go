// Package webhook serves the channels' webhooks at /webhooks/{channel}: it
// reads the body, checks the channel's signature or secret, and answers 200
// once the channel has persisted the update (answering happens later, from
// the inbox). Only configured channels have a route: any other path is 404.
package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// Receiver is one channel's webhook logic (bot/telegram.Channel, …).
type Receiver interface {
	// Authentic reports, in constant time, whether the request is signed
	// by the platform.
	Authentic(h http.Header, body []byte) bool
	// Receive parses and durably persists the update; an error wrapping
	// inbox.ErrMalformed or inbox.ErrStale is the sender's fault.
	Receive(ctx context.Context, body []byte) error
}

// Config is what the webhooks need.
type Config struct {
	Receivers map[string]Receiver // by channel name, the path segment
	Logger    *slog.Logger
	// Rejected is told about every request with a missing or wrong
	// signature (metrics); nil: not counted.
	Rejected func(channel string)
}

// Webhooks serves the channels' webhooks.
type Webhooks struct {
	cfg Config
}

// New returns the webhooks of the configured channels.
func New(cfg Config) (*Webhooks, error) {
	for name, r := range cfg.Receivers {
		if name == "" || r == nil {
			return nil, errors.New("webhook: a receiver needs a name")
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Rejected == nil {
		cfg.Rejected = func(string) {}
	}
	return &Webhooks{cfg: cfg}, nil
}

// Routes returns the router, meant to be mounted at /webhooks.
func (h *Webhooks) Routes() chi.Router {
	r := chi.NewRouter()
	r.NotFound(func(w http.ResponseWriter, _ *http.Request) {
		jsonapi.WriteError(w, http.StatusNotFound, jsonapi.CodeNotFound, jsonapi.MessageNotFound)
	})
	for name, rc := range h.cfg.Receivers {
		r.Post("/"+name, jsonapi.Handle(h.cfg.Logger, h.receive(name, rc)))
	}
	return r
}
