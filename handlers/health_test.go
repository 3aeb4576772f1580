package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers"
)

func TestHealth(t *testing.T) {
	notReady := func(context.Context) error {
		return handlers.ComponentError{Name: "meilisearch", Err: errors.New("index units not built at http://127.0.0.1:7700")}
	}
	internal := func(context.Context) error { return errors.New("dial tcp 10.0.0.5:5432: connection refused") }
	ready := func(context.Context) error { return nil }
	tests := []struct {
		name       string
		ready      func(context.Context) error
		path       string
		wantStatus int
		wantBody   map[string]string
	}{
		{name: "healthz", ready: notReady, path: "/healthz", wantStatus: 200, wantBody: map[string]string{"status": "ok"}},
		{name: "readyz ready", ready: ready, path: "/readyz", wantStatus: 200, wantBody: map[string]string{"status": "ok"}},
		{name: "readyz no check", path: "/readyz", wantStatus: 200, wantBody: map[string]string{"status": "ok"}},
		// Only the component's name is public: no addresses, no internal messages.
		{name: "readyz not ready", ready: notReady, path: "/readyz", wantStatus: 503,
			wantBody: map[string]string{"status": "unavailable", "reason": "meilisearch"}},
		{name: "readyz not ready, unnamed", ready: internal, path: "/readyz", wantStatus: 503,
			wantBody: map[string]string{"status": "unavailable", "reason": "see the gateway's log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) { d.Ready = tt.ready })
			status, _, body := srv.do(t, http.MethodGet, tt.path, "", nil)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			var got map[string]string
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if len(got) != len(tt.wantBody) {
				t.Errorf("body = %v, want %v", got, tt.wantBody)
			}
			for k, v := range tt.wantBody {
				if got[k] != v {
					t.Errorf("body[%s] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	id := srv.startConversation(t)
	srv.do(t, http.MethodPost, "/api/v1/conversations/"+id+"/messages", jsonType, strings.NewReader(`{"text":"ben nghe"}`))
	srv.do(t, http.MethodPost, "/api/v1/conversations/"+id+"/messages", jsonType, strings.NewReader(`{"text":""}`))
	srv.do(t, http.MethodGet, "/no/such/secret-path", "", nil)

	status, header, body := srv.do(t, http.MethodGet, "/metrics", "", nil)
	if status != http.StatusOK {
		t.Fatalf("status = %d", status)
	}
	if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q", ct)
	}
	text := string(body)
	for _, want := range []string{
		`hoiphuong_http_requests_total{code="201",method="POST",route="/api/v1/conversations"} 1`,
		`hoiphuong_http_requests_total{code="200",method="POST",route="/api/v1/conversations/{id}/messages"} 1`,
		`hoiphuong_http_requests_total{code="400",method="POST",route="/api/v1/conversations/{id}/messages"} 1`,
		`hoiphuong_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`hoiphuong_http_request_duration_seconds_bucket{route="/api/v1/conversations/{id}/messages",le="0.005"}`,
		`hoiphuong_http_request_duration_seconds_count{route="/api/v1/conversations/{id}/messages"} 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, raw := range []string{id, "secret-path"} {
		if strings.Contains(text, raw) {
			t.Errorf("raw path part %q used as a label", raw)
		}
	}
}

func TestNewRequiresChats(t *testing.T) {
	if _, err := handlers.New(handlers.Deps{}); err == nil {
		t.Fatal("New without Chats: no error")
	}
}
