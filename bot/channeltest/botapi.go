package channeltest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// The fake Telegram Bot API and Zalo Bot Platform speak the same envelope:
// /bot<token>/<method>, answered {"ok":true,"result":…} or {"ok":false,
// "error_code":…,"description":…,"parameters":{"retry_after":…}}.

// Failure is a scripted error answer of a Bot API.
type Failure struct {
	Code       int // HTTP status and error_code
	RetryAfter int // seconds (429)
	Desc       string
}

// Failures queues scripted failures per API method.
type Failures struct {
	mu    sync.Mutex
	queue map[string][]Failure
}

// Fail makes the next calls of an API method fail, in order.
func (fs *Failures) Fail(api string, f ...Failure) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.queue == nil {
		fs.queue = map[string][]Failure{}
	}
	fs.queue[api] = append(fs.queue[api], f...)
}

// Next pops the failure scripted for this call of api, if any.
func (fs *Failures) Next(api string) *Failure {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	q := fs.queue[api]
	if len(q) == 0 {
		return nil
	}
	fs.queue[api] = q[1:]
	return &q[0]
}

// BotMethod returns the API method of a /bot<token>/<method> request; for
// another token it answers 401 and returns false.
func BotMethod(w http.ResponseWriter, r *http.Request, token string) (string, bool) {
	prefix := "/bot" + token + "/"
	if !strings.HasPrefix(r.URL.Path, prefix) {
		BotReply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return "", false
	}
	return strings.TrimPrefix(r.URL.Path, prefix), true
}

// BotFail answers the scripted failure.
func BotFail(w http.ResponseWriter, f *Failure) {
	body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Desc}
	if f.RetryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": f.RetryAfter}
	}
	BotReply(w, f.Code, body)
}

// BotOK answers a successful call.
func BotOK(w http.ResponseWriter, result any) {
	BotReply(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// BotReply answers body as JSON with this status.
func BotReply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
