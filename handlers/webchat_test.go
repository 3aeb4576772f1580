package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/handlers"
	"github.com/hoiphuong/hoiphuong/handlers/chat"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
)

// request sends a JSON request with optional headers (key, value pairs).
func request(t *testing.T, c *http.Client, method, url, body string, headers ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", jsonType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

func openSession(t *testing.T, c *http.Client, base string) (id, token string) {
	t.Helper()
	status, _, body := request(t, c, http.MethodPost, base+"/api/v1/conversations", "")
	var s struct{ ID, Token string }
	if err := json.Unmarshal(body, &s); status != http.StatusCreated || err != nil || s.ID == "" || s.Token == "" {
		t.Fatalf("open: status %d, body %s, err %v", status, body, err)
	}
	return s.ID, s.Token
}

// The web chat through the real inbox, store and engine: the token is the
// only key to a conversation (the id is not; a Telegram chat is not
// reachable at all), a retried message is answered once, and the
// conversation's flood limit answers 429 with Retry-After.
func TestWebChatThroughTheInbox(t *testing.T) {
	rig, web := channeltest.NewWebChat(t, channeltest.RigOptions{Flood: flood.Config{Max: 5, Window: time.Minute}})
	srv := startServer(t, web, func(d *handlers.Deps) { d.History = rig.Store })
	citizen := srv.Client()
	id, token := openSession(t, citizen, srv.URL)
	if len(token) < 40 {
		t.Errorf("token %q is short", token)
	}
	msgs := srv.URL + "/api/v1/conversations/" + id + "/messages"
	events := srv.URL + "/api/v1/conversations/" + id + "/events"
	stranger := &http.Client{} // knows the id (a clerk of another ward, a log reader), not the token

	t.Run("the id alone is no credential", func(t *testing.T) {
		for _, tc := range []struct {
			name, method, url, body string
			headers                 []string
			want                    int
		}{
			{"message without a token", http.MethodPost, msgs, `{"text":"phuong 1 quan 3"}`, nil, 401},
			{"message with a wrong token", http.MethodPost, msgs, `{"text":"phuong 1 quan 3"}`, []string{"Authorization", "Bearer " + strings.Repeat("x", 43)}, 404},
			{"events without a token", http.MethodGet, events, "", nil, 401},
			{"events with a wrong token", http.MethodGet, events, "", []string{"Authorization", "Bearer nope"}, 404},
			{"cookie of another conversation", http.MethodGet, events, "", []string{"Cookie", "hp_chat=abc." + token}, 401},
		} {
			status, _, body := request(t, stranger, tc.method, tc.url, tc.body, tc.headers...)
			if status != tc.want {
				t.Errorf("%s: status %d, want %d; %s", tc.name, status, tc.want, body)
			}
		}
		var n int
		if err := rig.DB.QueryRow(`SELECT COUNT(*) FROM messages`).Scan(&n); err != nil || n != 0 {
			t.Errorf("refused requests stored %d messages (%v)", n, err)
		}
	})

	t.Run("after a transfer only the citizen reads the stream", func(t *testing.T) {
		// The new ward's notice and reply are in the store; the old ward's
		// clerk knows the conversation id from the console, not the token.
		notice := bot.Answer{Kind: bot.KindSystem, Text: "Cuộc trò chuyện đã được chuyển sang Phường Bàn Cờ."}
		if _, err := rig.Store.SystemMessage(t.Context(), id, notice); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		read := func(c *http.Client, headers ...string) (int, string) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, events, nil)
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var got strings.Builder
			buf := make([]byte, 4096)
			for { // a refusal ends; the stream is read up to its first event
				n, err := res.Body.Read(buf)
				got.Write(buf[:n])
				if err != nil || strings.Contains(got.String(), "event: message") {
					return res.StatusCode, got.String()
				}
			}
		}
		if status, body := read(citizen); status != 200 || !strings.Contains(body, "Phường Bàn Cờ") {
			t.Errorf("the citizen's stream: %d %q", status, body)
		}
		for _, h := range [][]string{nil, {"Authorization", "Bearer " + strings.Repeat("y", 43)}, {"Last-Event-ID", "0"}} {
			if status, body := read(stranger, h...); status == 200 || strings.Contains(body, "Bàn Cờ") {
				t.Errorf("a clerk with the id and %v read the stream: %d %q", h, status, body)
			}
		}
	})

	t.Run("a Telegram conversation is not served", func(t *testing.T) {
		tg, _, err := rig.Store.GetOrCreateByExternal(t.Context(), "telegram", "4242")
		if err != nil {
			t.Fatal(err)
		}
		status, _, body := request(t, stranger, http.MethodPost, srv.URL+"/api/v1/conversations/"+tg+"/messages",
			`{"text":"chuyển tiền cho tôi"}`, "Authorization", "Bearer "+token)
		if status != http.StatusNotFound {
			t.Errorf("status %d, want 404; %s", status, body)
		}
	})

	t.Run("bearer token and a retried message", func(t *testing.T) {
		body := `{"text":"phuong ben nghe quan 1 gio la phuong nao","client_message_id":"m-1"}`
		s1, h1, b1 := request(t, stranger, http.MethodPost, msgs, body, "Authorization", "Bearer "+token)
		s2, h2, b2 := request(t, stranger, http.MethodPost, msgs, body, "Authorization", "Bearer "+token)
		if s1 != 200 || s2 != 200 || string(b1) != string(b2) || !strings.Contains(string(b1), "Sài Gòn") {
			t.Fatalf("first %d %s\nretry %d %s", s1, b1, s2, b2)
		}
		if h1.Get("Idempotent-Replayed") != "" || h2.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed: first %q, retry %q", h1.Get("Idempotent-Replayed"), h2.Get("Idempotent-Replayed"))
		}
		var in, out int
		if err := rig.DB.QueryRow(`SELECT COUNT(*) FILTER (WHERE direction = 'in'), COUNT(*) FILTER (WHERE direction = 'out')
			FROM messages WHERE conversation_id = ? AND (direction = 'in' OR reply_to IS NOT NULL)`, id).Scan(&in, &out); err != nil || in != 1 || out != 1 {
			t.Errorf("stored %d inbound and %d replies (%v), want 1 and 1", in, out, err)
		}
	})

	t.Run("flood limit", func(t *testing.T) {
		var status int
		var header http.Header
		var body []byte
		for i := range 4 { // 2 sent above (a retry counts) + 3 = the limit of 5; the 6th is over
			status, header, body = request(t, citizen, http.MethodPost, msgs, `{"text":"xin chào"}`)
			if i < 3 && status != 200 {
				t.Fatalf("message %d: status %d %s", i+2, status, body)
			}
		}
		if status != http.StatusTooManyRequests || header.Get("Retry-After") == "" || !strings.Contains(string(body), flood.Notice) {
			t.Errorf("over the flood limit: %d Retry-After=%q %s", status, header.Get("Retry-After"), body)
		}
	})
}

// Anonymous clients are limited per address: opening conversations and
// sending messages answer 429 with a Vietnamese message and Retry-After.
func TestChatAPIRateLimits(t *testing.T) {
	srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) {
		d.ChatLimits = chat.Limits{
			Open:    ratelimit.Rule{Burst: 2, Every: time.Hour},
			Message: ratelimit.Rule{Burst: 3, Every: time.Hour},
		}
	})
	c := srv.Client()
	id, _ := openSession(t, c, srv.URL)
	openSession(t, c, srv.URL)
	status, header, body := request(t, c, http.MethodPost, srv.URL+"/api/v1/conversations", "")
	if status != http.StatusTooManyRequests || header.Get("Retry-After") != "3600" || !strings.Contains(string(body), "thử lại sau 3600 giây") {
		t.Errorf("3rd conversation: %d Retry-After=%q %s", status, header.Get("Retry-After"), body)
	}
	// The first conversation's cookie was replaced by the second's: use the jar anew.
	jar, _ := cookiejar.New(nil)
	c.Jar = jar
	for i := range 4 {
		status, header, body = request(t, c, http.MethodPost, srv.URL+"/api/v1/conversations/"+id+"/messages",
			`{"text":"ben nghe"}`, "Authorization", "Bearer tok-"+id)
		if i < 3 && status != 200 {
			t.Fatalf("message %d: %d %s", i+1, status, body)
		}
	}
	if status != http.StatusTooManyRequests || header.Get("Retry-After") == "" {
		t.Errorf("4th message: %d Retry-After=%q %s", status, header.Get("Retry-After"), body)
	}
}
