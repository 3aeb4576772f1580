package main

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
)

// TestSearchHealthFollowsTheLastSearch covers the commands that run no
// health watcher (chat, ask, eval): a failed procedure search degrades the
// answers, and once searches work again they are whole again — a passing
// failure must not leave a whole `chat` session "degraded".
func TestSearchHealthFollowsTheLastSearch(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr lockedBuffer
	a, err := openApp(ctx, &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr}, appOptions{quiet: true})
	if err != nil {
		t.Fatalf("openApp: %v\n%s", err, stderr.String())
	}
	defer a.close()
	// None of its words is a procedure's: the engine asks the index. Each
	// probe is a new conversation (a second miss in a row hands off).
	const offTopic = "thời tiết hôm nay thế nào"
	handle := func(stage string, want []bool) {
		t.Helper()
		id, err := a.service.Start(ctx, "cli")
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.service.Handle(ctx, bot.Message{ConversationID: id, Channel: "cli", Text: offTopic})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(want, got.Degraded) {
			t.Errorf("%s: degraded = %v, want %v\n%s", stage, got.Degraded, want, got.Text)
		}
	}

	handle("index whole", ans(false))

	task, err := a.client.DeleteIndexWithContext(ctx, a.index.UID(search.Procedures))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.client.WaitForTaskWithContext(ctx, task.TaskUID, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	handle("procedures index gone", ans(true))

	if err := a.index.SetVersion(ctx, -1); err != nil {
		t.Fatal(err)
	}
	if err := a.ensureIndex(ctx); err != nil {
		t.Fatal(err)
	}
	// The engine reads the index's health before the turn's own search, so
	// the first answer after the repair may still say degraded; the search
	// it ran worked, so the next one must not.
	handle("index rebuilt, first answer", ans(true, false))
	handle("index rebuilt, second answer", ans(false))
}

// ans lists acceptable values of Answer.Degraded.
func ans(ok ...bool) []bool { return ok }
