package outbox_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// A send that ends while the worker is admitting rows it read before that
// end must not be sent again: the worker's read showed the row still
// pending (it was in flight), and with a per-chat interval shorter than the
// send, admission alone let it through a second time. Many chats, short
// sends and a high concurrency make the window likely: before the fix this
// found ~2 duplicates a run (the cause of TestRestartMidQueueDeliversEachOnce
// failing now and then under load).
func TestRowSettledDuringDispatchNotSentAgain(t *testing.T) {
	const chats, chunks = 100, 3
	o := newOutbox(t, openDB(t), outbox.Config{Concurrency: 64})
	s := &fakeSender{delay: 200 * time.Microsecond}
	o.Register("tg", s, outbox.Limits{ChatInterval: time.Microsecond, PerSecond: 1e6})
	for c := range chats {
		var texts []string
		for k := range chunks {
			texts = append(texts, fmt.Sprintf("c%d-%d", c, k))
		}
		enqueue(t, o, fmt.Sprint(c), fmt.Sprint("in:", c), texts...)
	}
	start(t, o)
	deadline := time.Now().Add(20 * time.Second)
	for len(s.snapshot()) < chats*chunks && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // anything sent twice shows up now
	seen := map[string]int{}
	for _, m := range s.snapshot() {
		seen[m]++
	}
	for m, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", m, n)
		}
	}
	if len(seen) != chats*chunks {
		t.Errorf("%d distinct messages sent, want %d", len(seen), chats*chunks)
	}
}

// While every slot is taken, a finishing send starts the next row the
// worker already read instead of reading the due rows again: under a
// backlog that read ran once per send, with a hundred rows' bodies, in the
// connection's turn that webhook accepts wait for. Each row is still sent
// once. (The order the fake records is the order the sends end, which the
// scheduler decides: TestEnqueueIsIdempotentAndOrdered checks a chat's.)
func TestBacklogSentFromOneRead(t *testing.T) {
	const chats = 60
	o := newOutbox(t, openDB(t), outbox.Config{Concurrency: 2})
	s := &fakeSender{delay: time.Millisecond}
	o.Register("tg", s, outbox.Limits{ChatInterval: time.Microsecond, PerSecond: 1e6})
	for c := range chats {
		enqueue(t, o, fmt.Sprint(c), fmt.Sprint("in:", c), fmt.Sprintf("c%02d", c))
	}
	start(t, o)
	deadline := time.Now().Add(20 * time.Second)
	for len(s.snapshot()) < chats && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // anything sent twice shows up now
	sent := s.snapshot()
	if len(sent) != chats {
		t.Fatalf("%d messages sent, want %d: %v", len(sent), chats, sent)
	}
	seen := map[string]bool{}
	for _, m := range sent {
		if seen[m] {
			t.Errorf("%s sent twice", m)
		}
		seen[m] = true
	}
	// one read of the sixty, then an empty one as each of the last sends ends
	if n := o.DueReads(); n > chats/4 {
		t.Errorf("the due rows were read %d times for %d rows sent two at a time, want a few", n, chats)
	}
}
