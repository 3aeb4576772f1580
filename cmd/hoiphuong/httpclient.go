package main

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient is the client for Meilisearch: keep-alive connections
// enough for the engine's concurrency, and short dial timeouts so that a
// restarting Meilisearch degrades answers instead of stalling them.
func newHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 500 * time.Millisecond, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        256,
			MaxIdleConnsPerHost: 256,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}
