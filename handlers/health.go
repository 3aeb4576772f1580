package handlers

import (
	"context"
	"net/http"
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

// readyz handles GET /readyz: 200 when ready returns nil, else 503 with the
// reason; when degraded returns an error it is still 200, with status
// "degraded" and the reason (e.g. a channel whose platform is unreachable:
// its webhook still accepts).
func readyz(ready, degraded func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if ready != nil {
			if err := ready(ctx); err != nil {
				_ = jsonapi.WriteJSON(w, http.StatusServiceUnavailable, status{Status: "unavailable", Reason: err.Error()})
				return
			}
		}
		if degraded != nil {
			if err := degraded(ctx); err != nil {
				_ = jsonapi.WriteJSON(w, http.StatusOK, status{Status: "degraded", Reason: err.Error()})
				return
			}
		}
		_ = jsonapi.WriteJSON(w, http.StatusOK, status{Status: "ok"})
	}
}
