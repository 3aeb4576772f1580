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

	"github.com/hoiphuong/hoiphuong/bot/channeltest"
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
type Failure = channeltest.Failure

// Server is the fake Bot API.
type Server struct {
	*httptest.Server
	// Recorder logs the calls by API method; its Down makes every request
	// fail at the connection level.
	*channeltest.Recorder[Request]
	// Failures scripts error answers by API method.
	channeltest.Failures
	// SendDelay slows every sendMessage down (nanoseconds), after it is
	// recorded.
	SendDelay atomic.Int64
	// KeepFields, when set, are the only form fields recorded (set before
	// the first request): hoiphuong bench records tens of thousands of
	// answers, whose texts would otherwise stay in the heap it measures.
	KeepFields []string

	mu      sync.Mutex
	updates []json.RawMessage // getUpdates queue, in update_id order
	nextID  int
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
	s := &Server{nextID: 1,
		Recorder: channeltest.NewRecorder(func(r Request) string { return r.API }, "fake telegram: %d %s calls, want %d")}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// QueueUpdate adds an update (JSON) for getUpdates.
func (s *Server) QueueUpdate(update string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, json.RawMessage(update))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.Unreachable(w) {
		return
	}
	_ = r.ParseForm()
	api, known := channeltest.BotMethod(w, r, Token)
	if !known {
		return
	}
	s.Record(Request{Path: r.URL.Path, Method: r.Method, API: api, Form: s.kept(r.PostForm), At: time.Now()})
	if fail := s.Next(api); fail != nil {
		channeltest.BotFail(w, fail)
		return
	}
	switch api {
	case "getMe":
		channeltest.BotOK(w, map[string]any{"id": 123456, "is_bot": true, "first_name": "Hỏi Phường", "username": "hoiphuong_bot"})
	case "sendMessage":
		if d := time.Duration(s.SendDelay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return // the client is gone (a killed gateway)
			}
		}
		s.mu.Lock()
		s.nextID++
		id := s.nextID
		s.mu.Unlock()
		var chat int64
		fmt.Sscan(r.PostForm.Get("chat_id"), &chat)
		channeltest.BotOK(w, map[string]any{"message_id": id, "date": time.Now().Unix(),
			"chat": map[string]any{"id": chat, "type": "private"}, "text": r.PostForm.Get("text")})
	case "answerCallbackQuery", "setWebhook", "deleteWebhook":
		channeltest.BotOK(w, true)
	case "getUpdates":
		channeltest.BotOK(w, s.pending(r.PostForm.Get("offset")))
	default:
		channeltest.BotReply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
	}
}

// kept is form with only the KeepFields (all when there are none).
func (s *Server) kept(form url.Values) url.Values {
	if len(s.KeepFields) == 0 {
		return form
	}
	out := make(url.Values, len(s.KeepFields))
	for _, k := range s.KeepFields {
		for _, v := range form[k] { // cloned: a value shares the whole body's memory
			out[k] = append(out[k], strings.Clone(v))
		}
	}
	return out
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
