package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// readyTimeout bounds one readiness check.
const readyTimeout = 3 * time.Second

type status struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// healthz handles GET /healthz: 200 whenever the process serves HTTP.
func healthz(w http.ResponseWriter, _ *http.Request) {
	_ = jsonapi.WriteJSON(w, http.StatusOK, status{Status: "ok"})
}

// ComponentError names the part of the gateway an error is about
// ("meilisearch", "database", "telegram"): /readyz shows the names to
// anyone, the errors themselves (addresses, internal messages) only in
// the log.
type ComponentError struct {
	Name string
	Err  error
}

func (e ComponentError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e ComponentError) Unwrap() error { return e.Err }

// publicReason lists the components named in err (joined errors walked),
// or says where to look.
func publicReason(err error) string {
	var names []string
	var walk func(error)
	walk = func(e error) {
		switch x := e.(type) {
		case nil:
		case ComponentError:
			if !slices.Contains(names, x.Name) {
				names = append(names, x.Name)
			}
		case *ComponentError:
			walk(*x)
		case interface{ Unwrap() []error }:
			for _, c := range x.Unwrap() {
				walk(c)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	if len(names) == 0 {
		return "see the gateway's log"
	}
	return strings.Join(names, ", ")
}

// readyz handles GET /readyz: 200 when ready returns nil, else 503; when
// degraded returns an error it is still 200, with status "degraded" (e.g.
// a channel whose platform is unreachable: its webhook still accepts).
// The reason names only the components; the errors go to the log.
func readyz(ready, degraded func(context.Context) error, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if ready != nil {
			if err := ready(ctx); err != nil {
				logger.WarnContext(ctx, "not ready", "err", err)
				_ = jsonapi.WriteJSON(w, http.StatusServiceUnavailable, status{Status: "unavailable", Reason: publicReason(err)})
				return
			}
		}
		if degraded != nil {
			if err := degraded(ctx); err != nil {
				logger.DebugContext(ctx, "degraded", "err", err)
				_ = jsonapi.WriteJSON(w, http.StatusOK, status{Status: "degraded", Reason: publicReason(err)})
				return
			}
		}
		_ = jsonapi.WriteJSON(w, http.StatusOK, status{Status: "ok"})
	}
}
