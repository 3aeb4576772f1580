// Package channel holds what the channel adapters (Telegram, Zalo OA, Zalo
// Bot) share about their connection: the readiness they report and the
// connect-with-backoff loop.
package channel

import (
	"fmt"
	"sync/atomic"
)

// Readiness keeps why a channel is not ready; the zero value is ready.
type Readiness struct {
	reason atomic.Pointer[string]
}

// Set records why the channel is not ready ("": it is).
func (r *Readiness) Set(reason string) { r.reason.Store(&reason) }

// Err is nil when the channel is ready, else the reason prefixed with the
// channel's name ("telegram: connect: …").
func (r *Readiness) Err(name string) error {
	if msg := r.reason.Load(); msg != nil && *msg != "" {
		return fmt.Errorf("%s: %s", name, *msg)
	}
	return nil
}
