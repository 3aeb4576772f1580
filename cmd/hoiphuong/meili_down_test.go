package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// oldToNew are old-ward questions the engine answers from memory, without
// Meilisearch.
var oldToNew = []struct{ text, unit string }{
	{"phường 5 quận 3", "27154"},
	{"phường 13, quận 4", "27259"},
	{"phuong 12 Q.5", "27343"},
	{"Xã Tân Thới Nhì, huyện Hóc Môn", "27577"},
}

// TestMeilisearchKilledWhileServing runs the default deployment (the
// gateway supervises its own Meilisearch), kills Meilisearch under load and
// checks that citizens keep getting the right ward, are told that search is
// degraded, that nothing is lost, and that the supervisor brings
// Meilisearch back on the same address.
func TestMeilisearchKilledWhileServing(t *testing.T) {
	t.Parallel()
	g := startGateway(t, embeddedEnv(t))
	srv := g.app.meili
	if srv == nil {
		t.Fatal("MEILI_URL is empty but the gateway runs no Meilisearch of its own")
	}
	url, pid := srv.URL(), srv.PID()
	if a := g.say(t, g.startConversation(t), "phường 5 quận 3"); a.Degraded {
		t.Fatalf("degraded before anything was killed: %s", a.Text)
	}
	before := countMessages(t, g.dbPath)

	var sent, degraded atomic.Int32
	// ask sends one old→new question and checks the answer; safe from
	// several goroutines.
	ask := func(id string, i int) {
		q := oldToNew[i%len(oldToNew)]
		a, err := g.trySay(id, q.text)
		if err != nil {
			t.Error(err)
			return
		}
		sent.Add(1)
		if a.Kind != "answer" || unitCode(a) != q.unit {
			t.Errorf("%q with Meilisearch killed: kind=%s unit=%q, want answer %s", q.text, a.Kind, unitCode(a), q.unit)
		}
		if a.Degraded != strings.Contains(a.Text, "Hệ thống tìm kiếm đang được khôi phục") {
			t.Errorf("degraded=%v but the text says otherwise: %q", a.Degraded, a.Text)
		}
		if a.Degraded {
			degraded.Add(1)
		}
	}

	start := time.Now()
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	// At once, 20 messages: 4 citizens asking 5 questions each.
	var wg sync.WaitGroup
	for c := range 4 {
		id := g.startConversation(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				ask(id, c+i)
			}
		}()
	}
	wg.Wait()
	t.Logf("20 answers in %s right after the kill; %d degraded", time.Since(start).Round(time.Millisecond), degraded.Load())

	// The watcher pings once a second, and a restart can beat it. Kill
	// again whenever Meilisearch came back unnoticed (the supervisor's
	// backoff doubles each time) until the watcher has seen it down and
	// /readyz has said so.
	id := g.startConversation(t)
	kills, asked := 1, 0
	var notReady string
	waitFor(t, 10*time.Second, "the watcher and /readyz to notice Meilisearch is down", func() bool {
		if status, body := g.get(t, "/readyz"); status == http.StatusServiceUnavailable {
			notReady = string(body)
		}
		if g.app.searchDown.Load() && notReady != "" {
			return true
		}
		if srv.Restarts() >= kills {
			if err := srv.Kill(); err != nil {
				t.Fatal(err)
			}
			kills++
		}
		if asked++; asked%10 == 0 { // a conversation may send 20 messages a minute (flood limit)
			id = g.startConversation(t)
		}
		ask(id, kills)
		return false
	})
	if !strings.Contains(notReady, `"unavailable"`) || !strings.Contains(notReady, `"meilisearch"`) {
		t.Errorf("/readyz while Meilisearch is down: %s", notReady)
	}
	for i := range 3 {
		a := g.say(t, id, oldToNew[i].text)
		if down := g.app.searchDown.Load(); down && !a.Degraded {
			t.Errorf("Meilisearch is down but the answer does not say degraded: %q", a.Text)
		} else if down {
			degraded.Add(1)
		}
		sent.Add(1)
	}
	if degraded.Load() == 0 {
		t.Error("no answer said degraded while Meilisearch was down")
	}
	t.Logf("%d kill(s) until the watcher noticed; %d of %d answers said degraded", kills, degraded.Load(), sent.Load())

	// Back on the same address, and answers are whole again.
	var probes int
	waitFor(t, 30*time.Second, "Meilisearch to be back and answers no longer degraded", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if srv.Health(ctx) != nil {
			return false
		}
		if probes%10 == 0 { // a conversation may send 20 messages a minute (flood limit)
			id = g.startConversation(t)
		}
		probes++
		a := g.say(t, id, oldToNew[0].text)
		return !a.Degraded && unitCode(a) == oldToNew[0].unit
	})
	t.Logf("Meilisearch back and answers whole %s after the first kill", time.Since(start).Round(time.Millisecond))
	if srv.URL() != url || srv.PID() == pid || srv.Restarts() < kills {
		t.Errorf("after %d kill(s): url %s (was %s), pid %d (was %d), %d restarts", kills, srv.URL(), url, srv.PID(), pid, srv.Restarts())
	}
	if status, body := g.get(t, "/readyz"); status != http.StatusOK {
		t.Errorf("GET /readyz after the restart = %d %s", status, body)
	}

	// Nothing lost: every question and every answer is in SQLite.
	want := before + 2*(int(sent.Load())+probes)
	if got := countMessages(t, g.dbPath); got != want {
		t.Errorf("messages table has %d rows, want %d (%d questions answered while Meilisearch was down, %d probes after)",
			got, want, sent.Load(), probes)
	}
}
