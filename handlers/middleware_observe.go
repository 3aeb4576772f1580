package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// unmatchedRoute labels requests no route matched, so raw paths never become
// label values.
const unmatchedRoute = "unmatched"

// routePattern is the chi route pattern of r ("/api/v1/conversations/{id}/messages").
func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			return p
		}
	}
	return unmatchedRoute
}

func statusOf(ww middleware.WrapResponseWriter) int {
	if s := ww.Status(); s != 0 {
		return s
	}
	return http.StatusOK // nothing written: net/http sends 200
}

// httpMetrics are the HTTP request counters and latency histogram.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	rejected *prometheus.CounterVec // webhook requests with a bad signature
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hoiphuong_http_requests_total",
		Help: "HTTP requests by chi route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "hoiphuong_http_request_duration_seconds",
		Help:    "HTTP request duration by chi route pattern.",
		Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	}, []string{"route"})
	rejected := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hoiphuong_channel_rejected_total",
		Help: "Webhook requests refused for a missing or wrong signature, by channel.",
	}, []string{"channel"})
	var err error
	if requests, err = register(reg, requests); err != nil {
		return nil, err
	}
	if duration, err = register(reg, duration); err != nil {
		return nil, err
	}
	if rejected, err = register(reg, rejected); err != nil {
		return nil, err
	}
	return &httpMetrics{requests: requests, duration: duration, rejected: rejected}, nil
}

// register registers c, or reuses the identical collector already registered
// (New called twice with one registry, as tests do).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	if err == nil {
		return c, nil
	}
	var dup prometheus.AlreadyRegisteredError
	if errors.As(err, &dup) {
		if existing, ok := dup.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, fmt.Errorf("register http metrics: %w", err)
}

// observe records each request in the HTTP metrics and writes one access
// log line: method, route pattern, status, size, duration and request id —
// never the body, the query string or other citizen text. Health and metrics
// scrapes log at debug level.
func observe(logger *slog.Logger, m *httpMetrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			elapsed := time.Since(start)
			route, status := routePattern(r), statusOf(ww)
			if status == http.StatusNotFound && strings.HasSuffix(route, "*") {
				route = unmatchedRoute // fell through a mount's catch-all
			}
			m.requests.WithLabelValues(route, methodLabel(r.Method), strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(route).Observe(elapsed.Seconds())

			level := slog.LevelInfo
			if route == "/healthz" || route == "/readyz" || route == "/metrics" {
				level = slog.LevelDebug
			}
			logger.Log(r.Context(), level, "http request",
				"method", r.Method, "route", route, "status", status,
				"bytes", ww.BytesWritten(), "duration_ms", elapsed.Milliseconds(),
				"request_id", jsonapi.RequestID(r.Context()))
		})
	}
}

// methodLabel keeps the method label's values bounded.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}
