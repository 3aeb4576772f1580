package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/chat"
)

// lockedBuffer collects log output written from server goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is a running gateway with its log.
type testServer struct {
	*httptest.Server
	logs *lockedBuffer
}

// startServer serves the full router over real HTTP with conv as the
// engine. Options adjust Deps.
func startServer(t *testing.T, conv chat.Chats, opts ...func(*handlers.Deps)) *testServer {
	t.Helper()
	logs := &lockedBuffer{}
	deps := handlers.Deps{
		Chats:    conv,
		Registry: prometheus.NewRegistry(),
		Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&deps)
	}
	h, err := handlers.New(deps)
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Client().Jar = jar // a browser: the conversation's token cookie comes back
	return &testServer{Server: srv, logs: logs}
}

// do sends one request and returns the status, headers and body.
func (s *testServer) do(t *testing.T, method, path, contentType string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

// startConversation opens a conversation through the API.
func (s *testServer) startConversation(t *testing.T) string {
	t.Helper()
	status, _, body := s.do(t, http.MethodPost, "/api/v1/conversations", "", nil)
	if status != http.StatusCreated {
		t.Fatalf("create conversation: status %d, body %s", status, body)
	}
	var c struct{ ID string }
	if err := json.Unmarshal(body, &c); err != nil || c.ID == "" {
		t.Fatalf("create conversation: body %s (%v)", body, err)
	}
	return c.ID
}

// assertError checks the one error shape: exactly {"error":{"code","message"}}
// with the wanted code and a non-empty message.
func assertError(t *testing.T, body []byte, wantCode string) string {
	t.Helper()
	var raw map[string]map[string]string
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("error body is not the error shape: %v: %s", err, body)
	}
	e, ok := raw["error"]
	if len(raw) != 1 || !ok || len(e) != 2 {
		t.Fatalf("error body has extra or missing fields: %s", body)
	}
	if e["code"] != wantCode {
		t.Errorf("code = %q, want %q", e["code"], wantCode)
	}
	if strings.TrimSpace(e["message"]) == "" {
		t.Errorf("empty message: %s", body)
	}
	return e["message"]
}
