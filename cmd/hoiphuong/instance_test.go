package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/instance"
)

// TestSecondGatewayOnOneDataDirRefused: a second serve on the DATA_DIR of
// a running one stops at start with a clear error (it would answer the
// same inbox and send the same outbox); ask and eval still may read it.
func TestSecondGatewayOnOneDataDirRefused(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	startGateway(t, e)
	stderr := &lockedBuffer{}
	_, err := openApp(t.Context(), &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr}, appOptions{exclusive: true})
	if !errors.Is(err, instance.ErrRunning) || !strings.Contains(err.Error(), "DATA_DIR") {
		t.Fatalf("second serve = %v, want ErrRunning naming DATA_DIR", err)
	}
	a, err := openApp(t.Context(), &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr}, appOptions{quiet: true, scratch: true})
	if err != nil {
		t.Fatalf("ask/eval beside a running gateway: %v", err)
	}
	a.close()
}
