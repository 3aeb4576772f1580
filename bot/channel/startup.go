package channel

import (
	"context"
	"log/slog"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Startup is the start-up of a bot-API adapter (Telegram, Zalo Bot): check
// the token, then either delete the webhook and long-poll, or register the
// webhook at PublicBaseURL (or trust the operator registered it); ready
// from then on. Every step is retried by Retry until ctx ends.
type Startup struct {
	Poll          bool   // long polling instead of a webhook
	PublicBaseURL string // where to register the webhook; "" = registered by the operator
	Retry         func(ctx context.Context, what string, step func(context.Context) error) bool
	Connect       func(context.Context) error
	DeleteWebhook func(context.Context) error
	SetWebhook    func(ctx context.Context, baseURL string) error
	RunPoll       func(context.Context) // returns when ctx ends
	Ready         func()                // clears the readiness error
	// Leases, when several gateways share the database, make one of them
	// at a time poll (the lease PollLease, renewed every Renew; Exclusive).
	Leases    lease.Claims
	PollLease string
	Renew     time.Duration
}

// Run performs the start-up and returns when ctx is done.
func (s Startup) Run(ctx context.Context) {
	if !s.Retry(ctx, "connect", s.Connect) {
		return
	}
	switch {
	case s.Poll:
		if !s.Retry(ctx, "delete webhook", s.DeleteWebhook) {
			return
		}
		s.Ready()
		Exclusive(ctx, s.Leases, s.PollLease, s.Renew, s.RunPoll)
	case s.PublicBaseURL != "":
		if !s.Retry(ctx, "set webhook", func(ctx context.Context) error { return s.SetWebhook(ctx, s.PublicBaseURL) }) {
			return
		}
		s.Ready()
	default:
		s.Ready()
	}
	<-ctx.Done()
}

// Defaults fills the settings every adapter shares: a discarding logger,
// the real clock, and a 10 s bound on one API call.
func Defaults(logger **slog.Logger, now *func() time.Time, timeout *time.Duration) {
	if *logger == nil {
		*logger = slog.New(slog.DiscardHandler)
	}
	if *now == nil {
		*now = time.Now
	}
	if *timeout <= 0 {
		*timeout = 10 * time.Second
	}
}

// PollDefaults fills the long-polling wait (25 s) and the longest wait
// between connection attempts (1 min).
func PollDefaults(pollTimeout, retryMax *time.Duration) {
	if *pollTimeout <= 0 {
		*pollTimeout = 25 * time.Second
	}
	if *retryMax <= 0 {
		*retryMax = time.Minute
	}
}
