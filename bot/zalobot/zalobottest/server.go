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
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channeltest"
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
type Failure = channeltest.Failure

// Server is the fake Bot API.
type Server struct {
	*httptest.Server
	// Recorder logs the calls by API method; its Down makes every request
	// fail at the connection level.
	*channeltest.Recorder[Request]
	// Failures scripts error answers by API method.
	channeltest.Failures

	mu      sync.Mutex
	updates []json.RawMessage
}

// New starts a fake server, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{Recorder: channeltest.NewRecorder(func(r Request) string { return r.API }, "fake zalo bot: %d %s calls, want %d")}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// QueueUpdate adds an update (JSON) for getUpdates, which hands out one
// per call.
func (s *Server) QueueUpdate(update string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, json.RawMessage(update))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.Unreachable(w) {
		return
	}
	api, known := channeltest.BotMethod(w, r, Token)
	if !known {
		return
	}
	body, _ := io.ReadAll(r.Body)
	params := map[string]string{}
	_ = json.Unmarshal(body, &params)
	s.Record(Request{Path: r.URL.Path, Method: r.Method, API: api, Header: r.Header.Clone(),
		Body: body, Params: params, At: time.Now()})
	if fail := s.Next(api); fail != nil {
		channeltest.BotFail(w, fail)
		return
	}
	switch api {
	case "getMe":
		channeltest.BotOK(w, map[string]any{"id": "8471234567", "account_name": "hoiphuong_bot", "account_type": "BASIC", "can_join_groups": false})
	case "sendMessage":
		channeltest.BotOK(w, map[string]any{"message_id": "m" + time.Now().Format("150405.000000"), "date": time.Now().UnixMilli()})
	case "setWebhook", "deleteWebhook":
		channeltest.BotOK(w, map[string]any{"url": params["url"]})
	case "getUpdates":
		if u := s.next(); u != nil {
			channeltest.BotOK(w, u)
			return
		}
		channeltest.BotReply(w, http.StatusRequestTimeout, map[string]any{"ok": false, "error_code": 408, "description": "Request timeout"})
	default:
		channeltest.BotReply(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
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
