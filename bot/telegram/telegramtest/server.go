// Package telegramtest is a fake Telegram Bot API for tests: an httptest
// server that records every request (path, method, form fields) and answers
// like Telegram — getMe, sendMessage, answerCallbackQuery, setWebhook,
// deleteWebhook, getUpdates — with scripted failures (429 with retry_after,
// errors, the server being unreachable).
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Token is the fake bot's token.
const Token = "123456:TEST-token_abc"

// Request is one recorded API call.
type Request struct {
	Path   string
	Method string // HTTP method
	API    string // Bot API method: sendMessage, getMe…
	Form   url.Values
	At     time.Time
}

// Failure is a scripted error answer.
type Failure struct {
	Code       int // HTTP status and error_code
	RetryAfter int // seconds (429)
	Desc       string
}

// Server is the fake Bot API.
type Server struct {
	*httptest.Server
	// Down makes every request fail at the connection level.
	Down atomic.Bool
	// SendDelay slows every sendMessage down (nanoseconds).
	SendDelay atomic.Int64

	mu       sync.Mutex
	reqs     []Request
	failures map[string][]Failure
	updates  []json.RawMessage // getUpdates queue, in update_id order
	nextID   int
}

// New starts a fake server, closed when the test ends.
func New(t testing.TB) *Server {
	s := Start()
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake server on 127.0.0.1 outside a test (hoiphuong bench,
// channels check); the caller closes it.
func Start() *Server {
	s := &Server{failures: map[string][]Failure{}, nextID: 1}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes the next calls of an API method fail, in order.
func (s *Server) Fail(api string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[api] = append(s.failures[api], f...)
}

// QueueUpdate adds an update (JSON) for getUpdates.
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
			t.Fatalf("fake telegram: %d %s calls, want %d", len(s.Requests(api)), api, n)
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
	_ = r.ParseForm()
	prefix := "/bot" + Token + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	api := strings.TrimPrefix(r.URL.Path, prefix)
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Path: r.URL.Path, Method: r.Method, API: api, Form: r.PostForm, At: time.Now()})
	var fail *Failure
	if q := s.failures[api]; len(q) > 0 {
		fail, s.failures[api] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if fail != nil {
		body := map[string]any{"ok": false, "error_code": fail.Code, "description": fail.Desc}
		if fail.RetryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": fail.RetryAfter}
		}
		reply(w, fail.Code, body)
		return
	}
	switch api {
	case "getMe":
		ok(w, map[string]any{"id": 123456, "is_bot": true, "first_name": "Hỏi Phường", "username": "hoiphuong_bot"})
	case "sendMessage":
		time.Sleep(time.Duration(s.SendDelay.Load()))
		s.mu.Lock()
		s.nextID++
		id := s.nextID
		s.mu.Unlock()
		var chat int64
		fmt.Sscan(r.PostForm.Get("chat_id"), &chat)
		ok(w, map[string]any{"message_id": id, "date": time.Now().Unix(),
			"chat": map[string]any{"id": chat, "type": "private"}, "text": r.PostForm.Get("text")})
	case "answerCallbackQuery", "setWebhook", "deleteWebhook":
		ok(w, true)
	case "getUpdates":
		ok(w, s.pending(r.PostForm.Get("offset")))
	default:
		reply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
	}
}

// pending returns the queued updates at or after offset; it waits a
// little when there are none, like a (short) long poll.
func (s *Server) pending(offset string) []json.RawMessage {
	var from int
	fmt.Sscan(offset, &from)
	for range 10 {
		s.mu.Lock()
		var out []json.RawMessage
		for _, u := range s.updates {
			var head struct {
				UpdateID int `json:"update_id"`
			}
			if json.Unmarshal(u, &head) == nil && head.UpdateID >= from {
				out = append(out, u)
			}
		}
		s.mu.Unlock()
		if len(out) > 0 {
			return out
		}
		time.Sleep(10 * time.Millisecond)
	}
	return []json.RawMessage{}
}

func ok(w http.ResponseWriter, result any) {
	reply(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
