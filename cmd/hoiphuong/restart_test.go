package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestRestartKeepsEverything stops the gateway in the middle of a
// conversation and starts it again on the same DATA_DIR (embedded
// Meilisearch, as deployed): the knowledge base is not seeded again, the
// search index is not rebuilt, and the conversation carries on.
func TestRestartKeepsEverything(t *testing.T) {
	t.Parallel()
	e := embeddedEnv(t)

	first := startGateway(t, e)
	for _, want := range []string{"knowledge base: first start, loading the seed data", "knowledge base: version 1,", "search index: built in"} {
		if !strings.Contains(first.stderr.String(), want) {
			t.Errorf("first start: progress lacks %q:\n%s", want, first.stderr)
		}
	}
	id := first.startConversation(t)
	if a := first.say(t, id, "tôi muốn làm giấy khai sinh"); a.Kind != "clarify" || a.Asks != "place" || procedureID(a) != "khai-sinh" {
		t.Fatalf("before the restart: kind=%s asks=%q procedure=%q, want clarify/place/khai-sinh", a.Kind, a.Asks, procedureID(a))
	}
	if err := first.stop(); err != nil {
		t.Fatalf("serve returned %v after the cancel, want nil", err)
	}

	t0 := time.Now()
	second := startGateway(t, e)
	second.http = first.http // the citizen's client, holding the conversation's token
	t.Logf("second start in %s", time.Since(t0).Round(time.Millisecond))
	progress := second.stderr.String()
	for _, want := range []string{"knowledge base: version 1,", "search index: up to date (version 1)"} {
		if !strings.Contains(progress, want) {
			t.Errorf("second start: progress lacks %q:\n%s", want, progress)
		}
	}
	for _, unwanted := range []string{"first start", "search index: building"} {
		if strings.Contains(progress, unwanted) {
			t.Errorf("second start: progress has %q:\n%s", unwanted, progress)
		}
	}
	versions, err := second.app.kbs.Versions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 1 || second.app.kb.Version != 1 {
		t.Errorf("after a restart: %d KB versions, serving version %d; want the one seed version", len(versions), second.app.kb.Version)
	}

	a := second.say(t, id, "phường 5 quận 3")
	if a.Kind != "answer" || unitCode(a) != "27154" || procedureID(a) != "khai-sinh" {
		t.Errorf("after the restart: kind=%s unit=%q procedure=%q, want answer 27154 khai-sinh: the conversation's state was lost\n%s",
			a.Kind, unitCode(a), procedureID(a), a.Text)
	}
	if n := countMessages(t, second.dbPath); n != 4 {
		t.Errorf("%d messages stored across the restart, want 4", n)
	}
}
