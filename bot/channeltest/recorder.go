// Package channeltest holds the test support shared by the fake channel
// APIs and the gateway rigs of the channel adapters (Telegram, Zalo OA,
// Zalo Bot): a request Recorder with an unreachable mode, the gateway
// pipeline on a SQLite file, and the webhook routes in front of it.
package channeltest

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Recorder logs the requests a fake server receives and can make the
// server unreachable.
type Recorder[R any] struct {
	// Down makes every request fail at the connection level.
	Down atomic.Bool

	key  func(R) string
	wait string
	mu   sync.Mutex
	reqs []R
}

// NewRecorder returns a recorder that looks requests up by key (an API
// method, a path…). waitFail is the failure message of WaitFor, formatted
// with the number of calls seen, the key and the number wanted.
func NewRecorder[R any](key func(R) string, waitFail string) *Recorder[R] {
	return &Recorder[R]{key: key, wait: waitFail}
}

// Record logs one request.
func (rec *Recorder[R]) Record(r R) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, r)
}

// Requests returns the recorded requests with this key ("" for all).
func (rec *Recorder[R]) Requests(key string) []R {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []R
	for _, r := range rec.reqs {
		if key == "" || rec.key(r) == key {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many requests with this key were recorded, without
// copying them (a poller sharing the CPU with the server).
func (rec *Recorder[R]) Count(key string) int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if key == "" {
		return len(rec.reqs)
	}
	n := 0
	for _, r := range rec.reqs {
		if rec.key(r) == key {
			n++
		}
	}
	return n
}

// WaitFor waits until at least n requests with this key were recorded.
func (rec *Recorder[R]) WaitFor(t testing.TB, key string, n int, within time.Duration) []R {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if rec.Count(key) >= n {
			return rec.Requests(key)
		}
		if time.Now().After(deadline) {
			t.Fatalf(rec.wait, len(rec.Requests(key)), key, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Unreachable reports whether the server is down; if so it has dropped the
// connection (or, when it cannot, answered 502) and the handler must stop.
func (rec *Recorder[R]) Unreachable(w http.ResponseWriter) bool {
	if !rec.Down.Load() {
		return false
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return true
		}
	}
	http.Error(w, "down", http.StatusBadGateway)
	return true
}
