package main

import (
	"io"
	"testing"

	"github.com/hoiphuong/hoiphuong/cmd/internal/bench"
)

// Publishing the full KB and rolling it back while citizens keep asking:
// no answer fails or comes back empty, the published fee is answered, and
// after the rollback the earlier answer again.
func TestPublishUnderLoad(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	// Every client opens a conversation per question, all on 127.0.0.1: the
	// per-address limits are off, as in `bench`.
	e["CHAT_OPEN_LIMIT"], e["CHAT_MESSAGE_LIMIT"] = "off", "off"
	a, err := openApp(t.Context(), &env{getenv: e.getenv, stdout: io.Discard, stderr: io.Discard}, appOptions{quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	r, err := bench.Publish(t.Context(), a.benchGateway(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("publish %.2fs, rollback %.2fs, %d answers during the swaps", r.PublishS, r.RollbackS, r.Answers)
	if r.Failed != 0 || r.Answers == 0 {
		t.Errorf("%d of %d answers failed or were empty during publish and rollback", r.Failed, r.Answers)
	}
	if !r.FeeSeen || !r.FeeRestored {
		t.Errorf("new fee answered %v, old fee back after the rollback %v", r.FeeSeen, r.FeeRestored)
	}
	if v := a.engine.KB().Version; v <= 1 {
		t.Errorf("engine on version %d after publish and rollback, want a newer one", v)
	}
}
