package handlers

import (
	"net/http"
	"time"
)

// NewServer returns an http.Server for h with the connection timeouts the
// gateway runs with, so a slow or idle client cannot hold a connection
// forever. Request contexts are bounded separately by Deps.RequestTimeout.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      DefaultRequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}
}
