// Package zalooatest is a fake Zalo OA Open API and OAuth server for tests:
// an httptest server that records every request (path, method, headers,
// body) and answers like Zalo — /v3.0/oa/message/cs and /v2.0/oa/getoa
// check the access_token header (-216 when it is not the current one) and
// /v4/oa/access_token rotates the single-use refresh token — with scripted
// error codes and an unreachable mode.
package zalooatest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/channeltest"
)

// Credentials of the fake OA.
const (
	AppID        = "1234567890123456789"
	SecretKey    = "oa-secret-key-for-tests"
	AccessToken  = "access-0"
	RefreshToken = "refresh-0"
)

// Request is one recorded call.
type Request struct {
	Path   string
	Method string
	Header http.Header
	Body   []byte
	Form   url.Values // token refreshes
	At     time.Time
}

// JSON decodes a message/cs body.
func (r Request) JSON() (userID, text string) {
	var b struct {
		Recipient struct {
			UserID string `json:"user_id"`
		} `json:"recipient"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	}
	_ = json.Unmarshal(r.Body, &b)
	return b.Recipient.UserID, b.Message.Text
}

// Paths of the fake API.
const (
	SendPath    = "/v3.0/oa/message/cs"
	RefreshPath = "/v4/oa/access_token"
	InfoPath    = "/v2.0/oa/getoa"
)

// Server is the fake OA API and OAuth server.
type Server struct {
	*httptest.Server
	// Recorder logs the calls by path; its Down makes every request fail
	// at the connection level.
	*channeltest.Recorder[Request]
	RefreshDelay atomic.Int64 // nanoseconds each refresh takes

	mu      sync.Mutex
	errors  []int // scripted send error codes, in order
	access  string
	refresh string
	gen     int
}

// New starts a fake server, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{access: AccessToken, refresh: RefreshToken,
		Recorder: channeltest.NewRecorder(func(r Request) string { return r.Path }, "fake zalo oa: %d calls to %s, want %d")}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// FailSend makes the next sends answer these error codes, in order.
func (s *Server) FailSend(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errors = append(s.errors, codes...)
}

// Expire invalidates the current access token (sends get -216 until a
// refresh).
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = "expired-" + s.access
}

// Tokens returns the currently valid pair.
func (s *Server) Tokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access, s.refresh
}

// Delivered returns the accepted sends.
func (s *Server) Delivered() []Request {
	var out []Request
	for _, r := range s.Requests(SendPath) {
		if r.Header.Get("X-Fake-Result") == "0" {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.Unreachable(w) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	req := Request{Path: r.URL.Path, Method: r.Method, Header: r.Header.Clone(), Body: body, At: time.Now()}
	if r.URL.Path == RefreshPath {
		req.Form, _ = url.ParseQuery(string(body))
		time.Sleep(time.Duration(s.RefreshDelay.Load()))
	}
	s.mu.Lock()
	var answer map[string]any
	switch {
	case r.URL.Path == InfoPath && r.Method == http.MethodGet:
		answer = s.info(r.Header.Get("access_token"))
	case r.Method != http.MethodPost:
		answer = map[string]any{"error": -201, "message": "method not allowed"}
	case r.URL.Path == SendPath:
		answer = s.send(r.Header.Get("access_token"))
	case r.URL.Path == RefreshPath:
		answer = s.rotate(r.Header.Get("secret_key"), req.Form)
	default:
		answer = map[string]any{"error": -404, "message": "not found"}
	}
	if code, ok := answer["error"].(int); ok {
		req.Header.Set("X-Fake-Result", fmt.Sprint(code))
	}
	s.Record(req)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func (s *Server) send(token string) map[string]any {
	if token != s.access {
		return map[string]any{"error": -216, "message": "Access token is invalid"}
	}
	if len(s.errors) > 0 {
		code := s.errors[0]
		s.errors = s.errors[1:]
		if code == -216 {
			s.access = "expired-" + s.access
		}
		return map[string]any{"error": code, "message": "scripted failure"}
	}
	s.gen++
	return map[string]any{"error": 0, "message": "Success", "data": map[string]any{"message_id": fmt.Sprintf("msg%d", s.gen)}}
}

// OAName is the fake OA's name in its information.
const OAName = "UBND Phường Sài Gòn (thử nghiệm)"

// info answers the OA information call.
func (s *Server) info(token string) map[string]any {
	if token != s.access {
		return map[string]any{"error": -216, "message": "Access token is invalid"}
	}
	return map[string]any{"error": 0, "message": "Success",
		"data": map[string]any{"oa_id": AppID, "name": OAName, "num_follower": 3}}
}

// rotate is the OAuth refresh: the refresh token works once.
func (s *Server) rotate(secret string, f url.Values) map[string]any {
	if secret != SecretKey || f.Get("app_id") != AppID || f.Get("grant_type") != "refresh_token" {
		return map[string]any{"error": -14002, "error_name": "invalid_request"}
	}
	if f.Get("refresh_token") != s.refresh {
		return map[string]any{"error": -14014, "error_name": "invalid_refresh_token"}
	}
	s.gen++
	s.access = fmt.Sprintf("access-%d", s.gen)
	s.refresh = fmt.Sprintf("refresh-%d", s.gen)
	return map[string]any{"access_token": s.access, "refresh_token": s.refresh, "expires_in": "90000"}
}
