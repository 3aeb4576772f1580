package handlers

import (
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// recoverPanic turns a panic anywhere below it into a logged JSON 500, so
// no input can take the gateway down. http.ErrAbortHandler is re-raised: it
// is net/http's own way to abort a response.
func recoverPanic(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler { //nolint:errorlint // compared as net/http does
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic serving request",
					"panic", v, "route", routePattern(r), "method", r.Method,
					"request_id", jsonapi.RequestID(r.Context()), "stack", string(debug.Stack()))
				jsonapi.WriteError(w, http.StatusInternalServerError, jsonapi.CodeInternal, jsonapi.MessageInternal)
			}()
			next.ServeHTTP(w, r)
		})
	}
}
