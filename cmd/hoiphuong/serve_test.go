package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// TestServeChatAPI boots the whole gateway (SQLite, Meilisearch, engine,
// routes) on a loopback port and talks to it over HTTP as the web page and
// the mobile apps do.
func TestServeChatAPI(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))

	for _, path := range []string{"/healthz", "/readyz"} {
		if status, body := g.get(t, path); status != http.StatusOK || !strings.Contains(string(body), `"status":"ok"`) {
			t.Errorf("GET %s = %d %s, want 200 ok", path, status, body)
		}
	}

	resp, err := g.http.Post(g.url+"/api/v1/conversations", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(resp.Header.Get("Location"), "/api/v1/conversations/") {
		t.Fatalf("POST /api/v1/conversations without a body = %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id := g.startConversation(t)
	msgs := "/api/v1/conversations/" + id + "/messages"

	// The happy path: a matter, then the old ward; the answer as JSON.
	if a := g.say(t, id, "tôi muốn làm giấy khai sinh"); a.Kind != "clarify" || a.Asks != "place" {
		t.Errorf("matter alone: kind=%s asks=%q, want clarify/place", a.Kind, a.Asks)
	}
	status, body := g.post(t, msgs, "application/json; charset=utf-8", `{"text": "phường 5 quận 3"}`)
	if status != http.StatusOK {
		t.Fatalf("happy path = %d %s", status, body)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"kind", "text", "unit", "candidates", "procedure", "office", "citations", "quick_replies", "kb_version", "as_of"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("answer JSON has no %q: %s", k, body)
		}
	}
	a := decodeAnswer(t, body)
	if a.Kind != "answer" || unitCode(a) != "27154" || procedureID(a) != "khai-sinh" ||
		a.Office == nil || a.Office.Unit != "UBND Phường Bàn Cờ" || len(a.Citations) < 2 || a.Degraded {
		t.Errorf("happy path answer: %s", body)
	}
	stored := countMessages(t, g.dbPath)
	if stored != 4 {
		t.Errorf("%d messages stored after two turns, want 4 (in + out each)", stored)
	}

	// Refused inputs: the JSON error code, and nothing stored.
	refusals := []struct {
		name, path, contentType, body string
		wantStatus                    int
		wantCode                      string
	}{
		{"empty text", msgs, "application/json", `{"text": ""}`, 400, "empty_text"},
		{"blank text", msgs, "application/json", `{"text": " \n\t "}`, 400, "empty_text"},
		{"no text nor pin", msgs, "application/json", `{}`, 400, "empty_text"},
		{"too long", msgs, "application/json", `{"text": "` + strings.Repeat("đ", 2001) + `"}`, 400, "text_too_long"},
		{"bad JSON", msgs, "application/json", `{"text": "phường 5`, 400, "invalid_json"},
		{"two JSON values", msgs, "application/json", `{"text": "a"} {"text": "b"}`, 400, "invalid_json"},
		{"text is a number", msgs, "application/json", `{"text": 5}`, 400, "invalid_json"},
		{"not JSON", msgs, "text/plain", `phường 5 quận 3`, 415, "unsupported_media_type"},
		{"pin off the Earth", msgs, "application/json", `{"lat": 91, "lon": 106.7}`, 400, "invalid_location"},
		{"half a pin", msgs, "application/json", `{"lat": 10.78}`, 400, "invalid_location"},
		{"text and pin", msgs, "application/json", `{"text": "a", "lat": 10.78, "lon": 106.67}`, 400, "text_and_location"},
		{"body too large", msgs, "application/json", `{"text": "` + strings.Repeat("a", 70<<10) + `"}`, 413, jsonapi.CodeBodyTooLarge},
		{"unknown id, no token", "/api/v1/conversations/0123456789abcdef0123456789abcdef/messages", "application/json", `{"text": "phường 5 quận 3"}`, 401, "token_required"},
		{"impossible id", "/api/v1/conversations/%3Cscript%3E/messages", "application/json", `{"text": "phường 5 quận 3"}`, 404, "conversation_not_found"},
	}
	for _, tt := range refusals {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			status, body := g.post(t, tt.path, tt.contentType, tt.body)
			var e jsonapi.Body
			if err := json.Unmarshal(body, &e); err != nil || status != tt.wantStatus || e.Error.Code != tt.wantCode || e.Error.Message == "" {
				t.Errorf("= %d %s, want %d with code %s", status, body, tt.wantStatus, tt.wantCode)
			}
			if n := countMessages(t, g.dbPath); n != stored {
				t.Errorf("a refused request changed the messages table: %d rows, want %d", n, stored)
			}
		})
	}

	// Odd but acceptable text: answered, stored, never echoed as markup.
	noScript := func(t *testing.T, text string) {
		if strings.Contains(strings.ToLower(text), "<script") {
			t.Errorf("answer text carries raw <script>: %q", text)
		}
	}
	odd := []struct {
		name, body string
		before     string // a turn sent first, in the same conversation
		wantKind   string
		check      func(t *testing.T, text string)
	}{
		{name: "emoji only", body: `{"text": "😀🙏🏻👍"}`, wantKind: "fallback"},
		{name: "script tag", body: `{"text": "<script>alert(1)</script> phường 5 quận 3"}`, wantKind: "answer", check: noScript},
		{name: "script tag alone", body: `{"text": "<script>alert(1)</script>"}`, wantKind: "fallback", check: noScript},
		{name: "invalid UTF-8", body: "{\"text\": \"ph\xc6\xb0\xe1\xbb\x9dng 5 qu\xe1\xba\xadn 3 \xff\xfe\"}", wantKind: "answer"},
		// The bot asked for the street of a split ward: whatever comes back
		// is the "street", and it must not come back as markup.
		{name: "script tag as the street", before: "Phường Đa Kao, Quận 1", body: `{"text": "<script>alert(1)</script>"}`,
			wantKind: "clarify", check: noScript},
	}
	for _, tt := range odd {
		t.Run("accepted/"+tt.name, func(t *testing.T) {
			if tt.before != "" {
				g.say(t, id, tt.before)
				stored += 2
			}
			status, body := g.post(t, msgs, "application/json", tt.body)
			if status != http.StatusOK {
				t.Fatalf("= %d %s, want 200", status, body)
			}
			a := decodeAnswer(t, body)
			if string(a.Kind) != tt.wantKind {
				t.Errorf("kind = %s, want %s: %s", a.Kind, tt.wantKind, a.Text)
			}
			if tt.check != nil {
				tt.check(t, a.Text)
			}
			stored += 2
			if n := countMessages(t, g.dbPath); n != stored {
				t.Errorf("messages table: %d rows, want %d", n, stored)
			}
		})
	}

	status, body = g.get(t, "/metrics")
	if status != http.StatusOK || !strings.Contains(string(body), `hoiphuong_http_requests_total{code="201",method="POST",route="/api/v1/conversations"}`) ||
		!strings.Contains(string(body), `hoiphuong_http_requests_total{code="400",method="POST",route="/api/v1/conversations/{id}/messages"}`) {
		t.Errorf("GET /metrics = %d, without the request counters:\n%.2000s", status, body)
	}
	for _, want := range []string{`hoiphuong_answers_total{asks="street",channel="web",kind="clarify"}`, `hoiphuong_engine_seconds_count`,
		`hoiphuong_db_turn_wait_seconds_count{priority="urgent"}`, `hoiphuong_db_turn_hold_seconds_count{priority="background"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	if err := g.stop(); err != nil {
		t.Errorf("serve returned %v after the cancel, want nil", err)
	}
	if _, err := g.http.Get(g.url + "/healthz"); err == nil {
		t.Error("the gateway still answers after serve returned")
	}
}
