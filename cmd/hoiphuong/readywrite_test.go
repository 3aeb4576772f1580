package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestReadyzFailsWhenWritesFail: when the database cannot take writes (a
// full disk, a damaged or read-only file — here the file is put in
// read-only mode under the running gateway), /readyz says unavailable,
// naming the database and nothing more.
func TestReadyzFailsWhenWritesFail(t *testing.T) {
	t.Parallel()
	g := startGateway(t, remoteEnv(t))
	if status, body := g.get(t, "/readyz"); status != http.StatusOK {
		t.Fatalf("readyz before = %d %s", status, body)
	}
	if _, err := g.app.db.ExecContext(t.Context(), "PRAGMA query_only = ON"); err != nil {
		t.Fatal(err)
	}
	status, body := g.get(t, "/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), `"database"`) || strings.Contains(string(body), "readonly") {
		t.Errorf("readyz with writes failing = %d %s, want 503 naming the database only", status, body)
	}
	if _, err := g.app.db.ExecContext(t.Context(), "PRAGMA query_only = OFF"); err != nil {
		t.Fatal(err)
	}
	if status, body := g.get(t, "/readyz"); status != http.StatusOK {
		t.Errorf("readyz after = %d %s", status, body)
	}
}
