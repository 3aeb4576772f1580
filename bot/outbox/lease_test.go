package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// Two gateways on one database, each with its own connection pool and
// sender: one of them sends the channel (the holder of its lease), every
// message once and each chat in order; when it stops, the other takes the
// channel at once (the lease is released) and sends what comes next.
func TestOneSenderPerChannel(t *testing.T) {
	path := openDB(t)
	var gws [2]*outbox.Outbox
	var senders [2]*fakeSender
	var stops [2]func()
	for i := range gws {
		gws[i] = newOutbox(t, path, outbox.Config{Holder: fmt.Sprint("gw", i), Concurrency: 16})
		senders[i] = &fakeSender{delay: 100 * time.Microsecond}
		gws[i].Register("tg", senders[i], fast)
	}
	const chats, chunks = 20, 3
	queue := func(round string) {
		for c := range chats {
			var texts []string
			for k := range chunks {
				texts = append(texts, fmt.Sprintf("%s-c%d-%d", round, c, k))
			}
			// Either gateway may queue an answer (the one that accepted it).
			enqueue(t, gws[c%2], fmt.Sprint(c), fmt.Sprint(round, ":", c), texts...)
		}
	}
	queue("a")
	for i := range gws {
		stops[i] = start(t, gws[i])
	}
	total := func() int { return len(senders[0].snapshot()) + len(senders[1].snapshot()) }
	waitFor(t, "the first round sent", func() bool { return total() >= chats*chunks })
	first := 0
	if len(senders[1].snapshot()) > 0 {
		first = 1
	}
	if n := len(senders[1-first].snapshot()); n != 0 {
		t.Errorf("both gateways sent the channel: %d and %d messages", len(senders[first].snapshot()), n)
	}

	stops[first]() // a graceful stop gives the lease up
	queue("b")
	other := senders[1-first]
	waitFor(t, "the second round sent by the other gateway", func() bool { return len(other.snapshot()) >= chats*chunks })
	time.Sleep(50 * time.Millisecond) // a message sent twice would show now

	seen := map[string]int{}
	for _, s := range senders {
		for _, m := range s.snapshot() {
			seen[m]++
		}
	}
	if len(seen) != 2*chats*chunks {
		t.Errorf("%d distinct messages sent, want %d", len(seen), 2*chats*chunks)
	}
	for m, n := range seen {
		if n != 1 {
			t.Errorf("%s sent %d times", m, n)
		}
	}
	for _, s := range senders {
		checkChatOrder(t, s.snapshot())
	}
	if c := gws[1-first].Counts()["tg"]; c.InDoubt != 0 {
		t.Errorf("a graceful hand-over left %d messages in doubt", c.InDoubt)
	}
}

// A gateway that stalls (its clock and renewals stop while a send hangs)
// loses the channel once its lease expires: the other gateway takes it
// over, settles the stalled send as in doubt (counted, sent again under
// PolicyResend) and sends the rest; the stalled one, when it wakes, sends
// nothing more under the lost lease.
func TestTakeOverFromStalledGateway(t *testing.T) {
	path := openDB(t)
	frozen := time.Now()
	hung := &hangingSender{release: make(chan struct{}), started: make(chan struct{}, 1)}
	a := newOutbox(t, path, outbox.Config{Holder: "stalled", LeaseTTL: 300 * time.Millisecond,
		Now: func() time.Time { return frozen }, SendTimeout: time.Minute})
	a.Register("tg", hung, fast)
	enqueue(t, a, "1", "in:1", "first")
	start(t, a)
	<-hung.started // "first" is in flight on a, and a's lease never renews

	b := newOutbox(t, path, outbox.Config{Holder: "healthy", LeaseTTL: 300 * time.Millisecond})
	sb := &fakeSender{}
	b.Register("tg", sb, fast)
	enqueue(t, b, "1", "in:2", "second")
	enqueue(t, b, "2", "in:3", "third")
	start(t, b)
	waitFor(t, "the healthy gateway to take over", func() bool { return len(sb.snapshot()) == 3 })
	if got := sb.snapshot(); !slices.Contains(got, "1/first") {
		t.Errorf("the in-doubt send was not sent again: %q", got)
	}
	checkChatOrder(t, sb.snapshot())
	if c := b.Counts()["tg"]; c.InDoubt != 1 {
		t.Errorf("in doubt %d, want 1 (the stalled gateway's send)", c.InDoubt)
	}

	// The stalled gateway wakes: its send ends, and it sends nothing else.
	enqueue(t, b, "3", "in:4", "fourth")
	close(hung.release)
	waitFor(t, "the fourth message", func() bool { return len(sb.snapshot()) == 4 })
	time.Sleep(100 * time.Millisecond)
	if n := hung.count(); n != 1 {
		t.Errorf("the stalled gateway made %d sends, want only the one that hung", n)
	}
}

// hangingSender blocks every send until release is closed.
type hangingSender struct {
	mu      sync.Mutex
	n       int
	release chan struct{}
	started chan struct{}
}

func (h *hangingSender) Send(ctx context.Context, chatID string, m outbox.OutMessage) (time.Duration, error) {
	h.mu.Lock()
	h.n++
	h.mu.Unlock()
	select {
	case h.started <- struct{}{}:
	default:
	}
	<-h.release
	return 0, nil
}

func (h *hangingSender) count() int { h.mu.Lock(); defer h.mu.Unlock(); return h.n }

// checkChatOrder checks that each chat's messages ("chat/round-cN-k")
// arrived in queue order.
func checkChatOrder(t *testing.T, sent []string) {
	t.Helper()
	last := map[string]string{}
	for _, m := range sent {
		chat, text, _ := strings.Cut(m, "/")
		if prev, ok := last[chat]; ok && text < prev {
			t.Errorf("chat %s: %q after %q", chat, text, prev)
		}
		last[chat] = text
	}
}
