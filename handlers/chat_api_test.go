package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers"
)

const jsonType = "application/json"

// onlyReader hides the length of a body so it is sent chunked.
type onlyReader struct{ io.Reader }

func TestCreateConversation(t *testing.T) {
	conv := newFakeConversations()
	srv := startServer(t, conv)

	status, header, body := srv.do(t, http.MethodPost, "/api/v1/conversations", "", nil)
	if status != http.StatusCreated {
		t.Fatalf("status = %d, want 201; body %s", status, body)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["id"] != "conv-1" || got["token"] != "tok-conv-1" {
		t.Errorf("body = %s, want the id conv-1 and its token", body)
	}
	cookie := header.Get("Set-Cookie")
	for _, want := range []string{"hp_chat=conv-1.tok-conv-1", "HttpOnly", "SameSite=Strict", "Path=/api/v1/conversations"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("Set-Cookie %q lacks %q", cookie, want)
		}
	}
	if loc := header.Get("Location"); loc != "/api/v1/conversations/conv-1" {
		t.Errorf("Location = %q", loc)
	}
	if ch := conv.startedChannels(); !reflect.DeepEqual(ch, []string{"web"}) {
		t.Errorf("Start channels = %v, want [web]", ch)
	}
}

func TestMessageRefusals(t *testing.T) {
	longText := strings.Repeat("ạ", 2001) // 2001 runes, 6003 bytes
	huge := `{"text":"` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		name        string
		id          string // "" → a fresh conversation
		contentType string
		body        io.Reader
		wantStatus  int
		wantCode    string
		wantInMsg   string
		wantCalls   int // Handle calls: 0 for every refusal checked before the engine
	}{
		{name: "empty text", body: strings.NewReader(`{"text":""}`), wantStatus: 400, wantCode: "empty_text"},
		{name: "whitespace text", body: strings.NewReader(`{"text":"  \n\t\u3000 "}`), wantStatus: 400, wantCode: "empty_text"},
		{name: "no fields", body: strings.NewReader(`{}`), wantStatus: 400, wantCode: "empty_text"},
		{name: "null text", body: strings.NewReader(`{"text":null}`), wantStatus: 400, wantCode: "empty_text"},
		{name: "text too long", body: strings.NewReader(`{"text":"` + longText + `"}`), wantStatus: 400, wantCode: "text_too_long", wantInMsg: "tối đa 2000 ký tự"},
		{name: "malformed json", body: strings.NewReader(`{"text":`), wantStatus: 400, wantCode: "invalid_json"},
		{name: "not an object", body: strings.NewReader(`"phuong 1"`), wantStatus: 400, wantCode: "invalid_json"},
		{name: "wrong field type", body: strings.NewReader(`{"text":5}`), wantStatus: 400, wantCode: "invalid_json"},
		{name: "two values", body: strings.NewReader(`{"text":"a"} {"text":"b"}`), wantStatus: 400, wantCode: "invalid_json"},
		{name: "NaN literal", body: strings.NewReader(`{"lat":NaN,"lon":106.7}`), wantStatus: 400, wantCode: "invalid_json"},
		{name: "empty body", body: strings.NewReader(``), wantStatus: 400, wantCode: "invalid_json"},
		{name: "text/plain", contentType: "text/plain", body: strings.NewReader(`{"text":"phuong 1"}`), wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "no content type", contentType: "-", body: strings.NewReader(`{"text":"phuong 1"}`), wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: strings.NewReader(`text=phuong+1`), wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "latin1 charset", contentType: "application/json; charset=iso-8859-1", body: strings.NewReader(`{"text":"phuong 1"}`), wantStatus: 415, wantCode: "unsupported_media_type"},
		{name: "lat too big", body: strings.NewReader(`{"lat":90.5,"lon":106.7}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "lat too small", body: strings.NewReader(`{"lat":-91,"lon":106.7}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "lon too big", body: strings.NewReader(`{"lat":10.7,"lon":180.01}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "lon too small", body: strings.NewReader(`{"lat":10.7,"lon":-200}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "lat only", body: strings.NewReader(`{"lat":10.7}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "lon only", body: strings.NewReader(`{"lon":106.7}`), wantStatus: 400, wantCode: "invalid_location"},
		{name: "text and pin", body: strings.NewReader(`{"text":"phuong 1","lat":10.7,"lon":106.7}`), wantStatus: 400, wantCode: "text_and_location"},
		{name: "body too large", body: strings.NewReader(huge), wantStatus: 413, wantCode: "body_too_large"},
		{name: "body too large chunked", body: onlyReader{strings.NewReader(huge)}, wantStatus: 413, wantCode: "body_too_large"},
		{name: "malformed conversation id", id: strings.Repeat("x", 200), body: strings.NewReader(`{"text":"phuong 1"}`), wantStatus: 404, wantCode: "conversation_not_found"},
		{name: "unknown conversation", id: "conv-999", body: strings.NewReader(`{"text":"phuong 1"}`), wantStatus: 401, wantCode: "token_required"},
		{name: "bad client message id", body: strings.NewReader(`{"text":"phuong 1","client_message_id":"a b"}`), wantStatus: 400, wantCode: "invalid_client_message_id"},
		{name: "client message id too long", body: strings.NewReader(`{"text":"phuong 1","client_message_id":"` + strings.Repeat("k", 65) + `"}`), wantStatus: 400, wantCode: "invalid_client_message_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := newFakeConversations()
			srv := startServer(t, conv)
			id := tt.id
			if id == "" {
				id = srv.startConversation(t)
			}
			ct := tt.contentType
			switch ct {
			case "":
				ct = jsonType
			case "-":
				ct = ""
			}
			status, _, body := srv.do(t, http.MethodPost, "/api/v1/conversations/"+id+"/messages", ct, tt.body)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", status, tt.wantStatus, body)
			}
			msg := assertError(t, body, tt.wantCode)
			if tt.wantInMsg != "" && !strings.Contains(msg, tt.wantInMsg) {
				t.Errorf("message %q does not contain %q", msg, tt.wantInMsg)
			}
			if got := conv.handleCalls(); got != tt.wantCalls {
				t.Errorf("Handle called %d times, want %d", got, tt.wantCalls)
			}
			if got := conv.storedMessages(); len(got) != 0 {
				t.Errorf("refused request stored %d messages", len(got))
			}
		})
	}
}

func TestMessageAccepted(t *testing.T) {
	maxText := strings.Repeat("ư", 2000)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		want        bot.Message // Text and Location the engine must receive
	}{
		{name: "text without diacritics", body: []byte(`{"text":"phuong ben nghe quan 1 gio la phuong nao"}`),
			want: bot.Message{Text: "phuong ben nghe quan 1 gio la phuong nao"}},
		{name: "charset utf-8", contentType: "application/json; charset=UTF-8", body: []byte(`{"text":"Phường Bến Nghé"}`),
			want: bot.Message{Text: "Phường Bến Nghé"}},
		{name: "surrounding space trimmed", body: []byte(`{"text":"  lam can cuoc o dau \n"}`),
			want: bot.Message{Text: "lam can cuoc o dau"}},
		{name: "exactly the limit", body: []byte(`{"text":"` + maxText + `"}`), want: bot.Message{Text: maxText}},
		{name: "emoji only", body: []byte(`{"text":"🙏🙏🙏"}`), want: bot.Message{Text: "🙏🙏🙏"}},
		{name: "html passes through", body: []byte(`{"text":"<script>alert(1)</script>"}`),
			want: bot.Message{Text: "<script>alert(1)</script>"}},
		{name: "invalid utf-8 replaced", body: []byte("{\"text\":\"ph\xffuong \xc3\x28 1\"}"),
			want: bot.Message{Text: "ph\uFFFDuong \uFFFD( 1"}},
		{name: "pin", body: []byte(`{"lat":10.7769,"lon":106.7009}`),
			want: bot.Message{Location: &bot.Location{Lat: 10.7769, Lon: 106.7009}}},
		{name: "pin with blank text", body: []byte(`{"text":" ","lat":-90,"lon":180}`),
			want: bot.Message{Location: &bot.Location{Lat: -90, Lon: 180}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conv := newFakeConversations()
			srv := startServer(t, conv)
			id := srv.startConversation(t)
			ct := tt.contentType
			if ct == "" {
				ct = jsonType
			}
			status, header, body := srv.do(t, http.MethodPost, "/api/v1/conversations/"+id+"/messages", ct, bytes.NewReader(tt.body))
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", status, body)
			}
			if got := header.Get("Content-Type"); got != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			stored := conv.storedMessages()
			if len(stored) != 1 {
				t.Fatalf("stored %d messages, want 1", len(stored))
			}
			got := stored[0]
			if got.ConversationID != id || got.Channel != "web" || got.At.IsZero() {
				t.Errorf("message envelope = %+v", got)
			}
			if got.Text != tt.want.Text || !reflect.DeepEqual(got.Location, tt.want.Location) {
				t.Errorf("engine got text %q location %v, want %q %v", got.Text, got.Location, tt.want.Text, tt.want.Location)
			}
			if !utf8.ValidString(got.Text) {
				t.Errorf("engine got invalid UTF-8 %q", got.Text)
			}
			assertAnswerJSON(t, body, cannedAnswer(got))
		})
	}
}

// assertAnswerJSON checks the body is the Answer exactly as it marshals:
// same keys (nulls included) and same values.
func assertAnswerJSON(t *testing.T, body []byte, want bot.Answer) {
	t.Helper()
	wantJSON, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var gotMap, wantMap map[string]any
	if err := json.Unmarshal(body, &gotMap); err != nil {
		t.Fatalf("answer body: %v: %s", err, body)
	}
	if err := json.Unmarshal(wantJSON, &wantMap); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotMap, wantMap) {
		t.Errorf("answer JSON =\n%s\nwant\n%s", body, wantJSON)
	}
}

func TestPanicInHandleIsRecovered(t *testing.T) {
	conv := newFakeConversations()
	srv := startServer(t, conv)
	id := srv.startConversation(t)
	path := "/api/v1/conversations/" + id + "/messages"

	status, _, body := srv.do(t, http.MethodPost, path, jsonType, strings.NewReader(`{"text":"`+panicText+`"}`))
	if status != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500; body %s", status, body)
	}
	assertError(t, body, "internal_error")
	if strings.Contains(string(body), "exploded") {
		t.Errorf("panic value leaked to the citizen: %s", body)
	}

	// The server keeps serving.
	status, _, body = srv.do(t, http.MethodPost, path, jsonType, strings.NewReader(`{"text":"ben nghe"}`))
	if status != http.StatusOK {
		t.Fatalf("after panic: status = %d; body %s", status, body)
	}
	logs := srv.logs.String()
	if !strings.Contains(logs, "panic serving request") || !strings.Contains(logs, "fake engine exploded") {
		t.Errorf("panic not logged:\n%s", logs)
	}
	if strings.Contains(logs, panicText) || strings.Contains(logs, "ben nghe") {
		t.Errorf("citizen text in the log:\n%s", logs)
	}
}

func TestEngineErrors(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		wantStatus int
		wantCode   string
	}{
		{"engine error", failText, http.StatusInternalServerError, "internal_error"},
		{"engine too slow", slowText, http.StatusGatewayTimeout, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, newFakeConversations(), func(d *handlers.Deps) { d.RequestTimeout = 100 * time.Millisecond })
			id := srv.startConversation(t)
			status, _, body := srv.do(t, http.MethodPost, "/api/v1/conversations/"+id+"/messages", jsonType,
				strings.NewReader(`{"text":"`+tt.text+`"}`))
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", status, tt.wantStatus, body)
			}
			assertError(t, body, tt.wantCode)
			if strings.Contains(string(body), "fake engine") {
				t.Errorf("internal error text reached the citizen: %s", body)
			}
			if !strings.Contains(srv.logs.String(), "fake engine") {
				t.Errorf("engine error not logged:\n%s", srv.logs.String())
			}
		})
	}
}

func TestHeadOnGetRoutes(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	for _, path := range []string{"/", "/healthz"} {
		if status, _, _ := srv.do(t, http.MethodHead, path, "", nil); status != http.StatusOK {
			t.Errorf("HEAD %s = %d", path, status)
		}
	}
}
