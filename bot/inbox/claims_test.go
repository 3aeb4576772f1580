package inbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
)

// shared makes a rig one of several gateways: conversations are answered
// under a claim of holder, swept for every sweep.
func shared(holder string, ttl, sweep time.Duration) func(*inbox.Config, *sql.DB) {
	return func(cfg *inbox.Config, db *sql.DB) {
		cfg.Claims = &lease.Keeper{DB: db, Holder: holder, TTL: ttl}
		cfg.Sweep = sweep
	}
}

// Two gateways accept one conversation's messages in turn (a load
// balancer spreads a chat's webhooks): each message is answered once, in
// the order received, whichever gateway answers it, and never two of a
// conversation at once (the second would not see the state the first one
// leaves: "which ward" then "what to bring").
func TestClaimsKeepEachConversationInOrder(t *testing.T) {
	path := sqldbtest.Location(t)
	engine := newEngine(t)
	watch := &overlapWatch{active: map[string]int{}}
	slow := func(cfg *inbox.Config, _ *sql.DB) { cfg.Answerer = watchedAnswerer{cfg.Answerer, watch} }
	gws := []*rig{
		newRig(t, path, engine, shared("gw0", 30*time.Second, time.Hour), slow),
		newRig(t, path, engine, shared("gw1", 30*time.Second, time.Hour), slow),
	}
	for _, g := range gws {
		g.run(t)
	}
	const chats, perChat = 8, 5
	texts := []string{"Phường Đa Kao quận 1", "làm khai sinh ở đâu", "cần mang giấy tờ gì", "lệ phí bao nhiêu", "cảm ơn"}
	var wg sync.WaitGroup
	for c := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range perChat {
				gws[(c+k)%2].accept(t, fmt.Sprint(c), fmt.Sprint(c, "-", k), texts[k])
			}
		}()
	}
	wg.Wait()
	gws[0].waitRows(t, chats*perChat)
	for c := range chats {
		msgs, err := gws[0].store.Messages(t.Context(), mustConv(t, gws[0], fmt.Sprint(c)), 100)
		if err != nil {
			t.Fatal(err)
		}
		var in []int64
		var replies []int64
		for _, m := range msgs {
			if m.Direction == "in" {
				in = append(in, m.ID)
			} else {
				replies = append(replies, m.ReplyTo)
			}
		}
		// The replies, in the order they were written, answer the
		// messages in the order they were received.
		if fmt.Sprint(replies) != fmt.Sprint(in) {
			t.Errorf("chat %d: replies answer %v, messages were %v", c, replies, in)
		}
	}
	if watch.overlaps > 0 {
		t.Errorf("a conversation was answered by two gateways at once %d times", watch.overlaps)
	}
}

// overlapWatch counts the answers of one conversation running at once.
type overlapWatch struct {
	mu       sync.Mutex
	active   map[string]int // chat → answers running
	overlaps int
}

// watchedAnswerer takes a while per answer and reports overlaps.
type watchedAnswerer struct {
	inbox.Answerer
	w *overlapWatch
}

func (a watchedAnswerer) HandleStored(ctx context.Context, in bot.Stored) (bot.Answer, bool, error) {
	chat := in.Out.ChatID
	a.w.mu.Lock()
	a.w.active[chat]++
	if a.w.active[chat] > 1 {
		a.w.overlaps++
	}
	a.w.mu.Unlock()
	defer func() {
		a.w.mu.Lock()
		a.w.active[chat]--
		a.w.mu.Unlock()
	}()
	time.Sleep(10 * time.Millisecond)
	return a.Answerer.HandleStored(ctx, in)
}

// A gateway that stops answering while it holds a conversation's claim
// (hung, or killed) delays that conversation by the claim's lifetime: the
// other gateway's sweep finds the message, takes the expired claim and
// answers it, once.
func TestClaimOfHungGatewayTakenOver(t *testing.T) {
	path := sqldbtest.Location(t)
	engine := newEngine(t)
	hang := make(chan struct{})
	hung := newRig(t, path, engine, shared("hung", 300*time.Millisecond, time.Hour), func(cfg *inbox.Config, _ *sql.DB) {
		cfg.Answerer = hangingAnswerer{cfg.Answerer, hang}
	})
	hung.run(t)
	t.Cleanup(func() { close(hang) }) // before the rig's stop, which waits for the answer
	hung.accept(t, "7", "1", "Phường Đa Kao quận 1 làm khai sinh ở đâu")

	healthy := newRig(t, path, engine, shared("healthy", 300*time.Millisecond, 50*time.Millisecond))
	healthy.run(t)
	rows := healthy.waitRows(t, 1)
	if len(rows) != 1 {
		t.Fatalf("%d answers queued, want 1", len(rows))
	}
	msgs, err := healthy.store.Messages(t.Context(), mustConv(t, healthy, "7"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[1].Direction != "out" {
		t.Errorf("conversation after the take-over: %+v", msgs)
	}
}

// hangingAnswerer blocks every answer until hang is closed.
type hangingAnswerer struct {
	inbox.Answerer
	hang chan struct{}
}

func (h hangingAnswerer) HandleStored(ctx context.Context, in bot.Stored) (bot.Answer, bool, error) {
	<-h.hang
	return h.Answerer.HandleStored(ctx, in)
}
