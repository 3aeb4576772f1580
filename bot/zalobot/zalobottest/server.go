// Package zalobottest is a fake Zalo Bot Platform API for tests: an
// httptest server that records every request (path, method, headers, JSON
// body) and answers like the platform — getMe, sendMessage, setWebhook,
// deleteWebhook, getUpdates (one update per call, no offset, 408 when there
// is none) — with scripted failures and an unreachable mode.
package zalobottest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Token is the fake bot's token ({bot_id}:{secret}).
const Token = "8471234567:ZbTestSecret_abc-XYZ"

// Secret is the test webhook secret (8–256 characters).
const Secret = "zalo-bot-webhook-secret"

// Request is one recorded API call.
type Request struct {
	Path   string
	Method string // HTTP method
	API    string // sendMessage, getMe…
	Header http.Header
	Body   []byte
	Params map[string]string
	At     time.Time
}

// Failure is a scripted error answer.
type Failure struct {
	Code       int // HTTP status and error_code
	RetryAfter int // seconds
	Desc       string
}

// Server is the fake Bot API.
type Server struct {
	*httptest.Server
	Down atomic.Bool

	mu       sync.Mutex
	reqs     []Request
	failures map[string][]Failure
	updates  []json.RawMessage
}

// New starts a fake server, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{failures: map[string][]Failure{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Fail makes the next calls of an API method fail, in order.
func (s *Server) Fail(api string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[api] = append(s.failures[api], f...)
}

// QueueUpdate adds an update (JSON) for getUpdates, which hands out one
// per call.
func (s *Server) QueueUpdate(update string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, json.RawMessage(update))
}

// Requests returns the recorded calls of an API method ("" for all).
func (s *Server) Requests(api string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.reqs {
		if api == "" || r.API == api {
			out = append(out, r)
		}
	}
	return out
}

// WaitFor waits until at least n calls of api were recorded.
func (s *Server) WaitFor(t testing.TB, api string, n int, within time.Duration) []Request {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if got := s.Requests(api); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("fake zalo bot: %d %s calls, want %d", len(s.Requests(api)), api, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.Down.Load() {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		http.Error(w, "down", http.StatusBadGateway)
		return
	}
	prefix := "/bot" + Token + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	body, _ := io.ReadAll(r.Body)
	params := map[string]string{}
	_ = json.Unmarshal(body, &params)
	api := strings.TrimPrefix(r.URL.Path, prefix)
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Path: r.URL.Path, Method: r.Method, API: api, Header: r.Header.Clone(),
		Body: body, Params: params, At: time.Now()})
	var fail *Failure
	if q := s.failures[api]; len(q) > 0 {
		fail, s.failures[api] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if fail != nil {
		b := map[string]any{"ok": false, "error_code": fail.Code, "description": fail.Desc}
		if fail.RetryAfter > 0 {
			b["parameters"] = map[string]any{"retry_after": fail.RetryAfter}
		}
		reply(w, fail.Code, b)
		return
	}
	switch api {
	case "getMe":
		ok(w, map[string]any{"id": "8471234567", "account_name": "hoiphuong_bot", "account_type": "BASIC", "can_join_groups": false})
	case "sendMessage":
		ok(w, map[string]any{"message_id": "m" + time.Now().Format("150405.000000"), "date": time.Now().UnixMilli()})
	case "setWebhook", "deleteWebhook":
		ok(w, map[string]any{"url": params["url"]})
	case "getUpdates":
		if u := s.next(); u != nil {
			ok(w, u)
			return
		}
		reply(w, http.StatusRequestTimeout, map[string]any{"ok": false, "error_code": 408, "description": "Request timeout"})
	default:
		reply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
	}
}

// next pops the oldest queued update, waiting a little when there is none.
func (s *Server) next() json.RawMessage {
	for range 10 {
		s.mu.Lock()
		if len(s.updates) > 0 {
			u := s.updates[0]
			s.updates = s.updates[1:]
			s.mu.Unlock()
			return u
		}
		s.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

func ok(w http.ResponseWriter, result any) {
	reply(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
