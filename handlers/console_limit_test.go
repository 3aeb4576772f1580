package handlers_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers"
)

// The consoles answer a body over MaxConsoleBodyBytes with their own
// Vietnamese pages (an editor's too-large CSV on the import page): the
// gateway bounds what they read but does not answer JSON for them.
func TestConsoleBodyLimitLeftToItsPages(t *testing.T) {
	console := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if errors.As(err, new(*http.MaxBytesError)) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			fmt.Fprint(w, "<p>Tệp quá lớn</p>")
			return
		}
		fmt.Fprintf(w, "đã đọc %d byte", n)
	})
	s := startServer(t, newFakeConversations(), func(d *handlers.Deps) { d.Console = console })
	for _, tc := range []struct {
		size   int
		status int
		body   string
	}{
		{handlers.MaxConsoleBodyBytes + 1<<20, http.StatusRequestEntityTooLarge, "<p>Tệp quá lớn</p>"},
		{1 << 10, http.StatusOK, "đã đọc 1024 byte"},
	} {
		status, h, body := s.do(t, http.MethodPost, "/console/kb/import", "text/csv", strings.NewReader(strings.Repeat("a", tc.size)))
		if status != tc.status || string(body) != tc.body {
			t.Errorf("%d bytes: %d %s %s", tc.size, status, h.Get("Content-Type"), body)
		}
	}
}
