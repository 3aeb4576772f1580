// Package llmtest is a scripted OpenAI-compatible server for tests: each
// test says what the "model" replies to each request and checks what the
// gateway sent. No real model is ever involved.
package llmtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Request is one request the server received.
type Request struct {
	Path   string
	Header http.Header
	Body   string                          // raw JSON
	Chat   *openai.ChatCompletionRequest   // /chat/completions
	Embed  *openai.EmbeddingRequestStrings // /embeddings
}

// User is the text of the chat request's user messages.
func (r Request) User() string {
	if r.Chat == nil {
		return ""
	}
	var b strings.Builder
	for _, m := range r.Chat.Messages {
		if m.Role == openai.ChatMessageRoleUser {
			b.WriteString(m.Content)
		}
	}
	return b.String()
}

// Candidates are the procedure ids offered in an Understand request, in
// order (the "- id: name" lines of the user message).
func (r Request) Candidates() []string {
	var ids []string
	for _, l := range strings.Split(r.User(), "\n") {
		if id, _, ok := strings.Cut(strings.TrimPrefix(l, "- "), ": "); ok && strings.HasPrefix(l, "- ") {
			ids = append(ids, id)
		}
	}
	return ids
}

// Message is the citizen's text in an Understand request (between the
// <tin_nhan> tags), as sent (masked).
func (r Request) Message() string {
	u := r.User()
	_, after, _ := strings.Cut(u, "<tin_nhan>\n")
	msg, _, _ := strings.Cut(after, "\n</tin_nhan>")
	return msg
}

// Reply is what the scripted model answers.
type Reply struct {
	Status     int           // HTTP status; 0 = 200
	Content    string        // the assistant message content
	ToolArgs   string        // when set, a tool call with these arguments instead of content
	Delay      time.Duration // wait before answering (cut short when the client gives up)
	Embeddings [][]float32   // for /embeddings; default: a 3-dim vector per input
}

// Server is a scripted OpenAI-compatible endpoint; URL + "/v1" is the
// base URL to configure.
type Server struct {
	*httptest.Server
	script func(Request) Reply
	mu     sync.Mutex
	reqs   []Request
}

// New starts a server that answers every request with script(req).
func New(t testing.TB, script func(Request) Reply) *Server {
	s := &Server{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Fail is a server that fails the test on any request (nothing may be called).
func Fail(t testing.TB) *Server {
	return New(t, func(r Request) Reply {
		t.Errorf("the language model was called: %s %s", r.Path, r.Body)
		return Reply{Status: http.StatusInternalServerError}
	})
}

// BaseURL is the OpenAI base URL of the server.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count is the number of requests received so far.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body)}
	switch {
	case strings.HasSuffix(r.URL.Path, "/chat/completions"):
		req.Chat = &openai.ChatCompletionRequest{}
		_ = json.Unmarshal(body, req.Chat)
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		req.Embed = &openai.EmbeddingRequestStrings{}
		_ = json.Unmarshal(body, req.Embed)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	rep := s.script(req)
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Status != 0 && rep.Status != http.StatusOK {
		w.WriteHeader(rep.Status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": http.StatusText(rep.Status), "type": "scripted", "code": rep.Status,
		}})
		return
	}
	if req.Embed != nil {
		_ = json.NewEncoder(w).Encode(embeddings(req.Embed, rep))
		return
	}
	msg := map[string]any{"role": "assistant", "content": rep.Content}
	if rep.ToolArgs != "" {
		msg["content"] = ""
		msg["tool_calls"] = []map[string]any{{"id": "call_1", "type": "function",
			"function": map[string]any{"name": "reading", "arguments": rep.ToolArgs}}}
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "model": "scripted",
		"choices": []map[string]any{{"index": 0, "message": msg, "finish_reason": "stop"}},
		"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	})
}

func embeddings(req *openai.EmbeddingRequestStrings, rep Reply) map[string]any {
	var data []map[string]any
	for i := range req.Input {
		v := []float32{float32(i), 0.5, 1}
		if i < len(rep.Embeddings) {
			v = rep.Embeddings[i]
		}
		data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": v})
	}
	return map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": 7 * len(req.Input), "total_tokens": 7 * len(req.Input)}}
}

// JSON marshals v (a reading) for a Reply's Content.
func JSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
