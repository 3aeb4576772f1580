package channeltest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers/webhook"
)

// WebhookServer serves the /webhooks routes of one receiver, closed when
// the test ends.
func WebhookServer(t testing.TB, name string, rcv webhook.Receiver) *httptest.Server {
	t.Helper()
	hooks, err := webhook.New(webhook.Config{Receivers: map[string]webhook.Receiver{name: rcv}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/", http.StripPrefix("/webhooks", hooks.Routes()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}
