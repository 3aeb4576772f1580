package inbox_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
)

func TestFloodLimit(t *testing.T) {
	ctx := t.Context()
	db := sqldbtest.Open(t)
	st, err := botstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out, err := outbox.New(ctx, db, outbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	in, err := inbox.New(inbox.Config{Store: st, Answerer: bot.NewService(newEngine(t), st), Outbox: out,
		Now: clock, Flood: flood.Config{Max: 3, Window: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	in.Register(fakeChannel{})
	steps := []struct {
		chat    string
		advance time.Duration
		stored  bool // persisted (to be answered)
	}{
		{"1", 0, true}, {"1", time.Second, true}, {"1", time.Second, true},
		{"1", time.Second, false}, // over the limit: the notice
		{"1", time.Second, false}, // dropped
		{"2", 0, true},            // another sender
		{"1", time.Minute, true},  // next window
	}
	for i, s := range steps {
		mu.Lock()
		now = now.Add(s.advance)
		mu.Unlock()
		if _, err := in.Accept(ctx, inbox.Update{Channel: "fake", ChatID: s.chat, ID: fmt.Sprint(i),
			Message: bot.Message{Text: "phường 1"}}); err != nil {
			t.Fatal(err)
		}
		conv, _, err := st.GetOrCreateByExternal(ctx, "fake", s.chat)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := st.Messages(ctx, conv, 0)
		if err != nil {
			t.Fatal(err)
		}
		last := msgs[len(msgs)-1].ChannelMessageID == fmt.Sprint(i)
		if last != s.stored {
			t.Errorf("step %d: stored = %v, want %v", i, last, s.stored)
		}
	}
	if c := in.Counts()["fake"]; c.FloodDropped != 2 || c.Received != 5 {
		t.Errorf("counts = %+v, want 5 received and 2 flood-dropped", c)
	}
	rows, err := out.Rows(ctx, "fake")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].ChatID != "1" || !strings.Contains(rows[0].Message.Text, "Bạn gửi quá nhanh") {
		t.Errorf("outbox = %+v, want one notice to chat 1", rows)
	}
}
