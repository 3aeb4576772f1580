package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// requestIDHeader carries the request id in and out.
const requestIDHeader = "X-Request-Id"

// requestID keeps a well-formed incoming X-Request-Id (from a proxy) or
// makes a new one, puts it in the context and echoes it in the response.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !wellFormedID(id) {
			id = newID()
		}
		w.Header().Set(requestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(jsonapi.WithRequestID(r.Context(), id)))
	})
}

func wellFormedID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}

// limitBody refuses bodies over limit: at once when Content-Length says so,
// otherwise when a handler reads past it (*http.MaxBytesError).
func limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > limit {
				jsonapi.WriteError(w, http.StatusRequestEntityTooLarge, jsonapi.CodeBodyTooLarge, jsonapi.MessageBodyTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// capBody bounds what a handler may read of a body (*http.MaxBytesError
// past limit) and leaves the answer to it: pages that show their own
// message.
func capBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// timeout bounds the request context; handlers pass it to the engine, which
// gives up when it expires (the chat API then answers 504).
func timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}
