package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// An answer and its rendering for the channel are stored together or not
// at all: a queue that fails leaves no reply (the message is answered
// again), and a reply saved queues its messages once per key.
func TestSaveReplyQueuedIsOneTransaction(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	if _, err := outbox.New(ctx, s.db, outbox.Config{}); err != nil { // the outbox table
		t.Fatal(err)
	}
	id, _, err := s.GetOrCreateByExternal(ctx, "telegram", "42")
	if err != nil {
		t.Fatal(err)
	}
	inID, _, err := s.AppendInbound(ctx, id, bot.Message{Text: "phường 5 quận 3"}, "u1")
	if err != nil {
		t.Fatal(err)
	}
	ans := bot.Answer{Kind: bot.KindAnswer, Text: "Phường Bàn Cờ"}
	st := bot.State{Mode: bot.ModeBot, Turns: 7}
	msgs := []outbox.OutMessage{{Text: "Phường Bàn Cờ (1/2)"}, {Text: "(2/2)"}}
	count := func(query string) int {
		t.Helper()
		var n int
		if err := s.db.QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	bad := bot.Outgoing{Channel: "telegram", Key: "in:1", Msgs: msgs} // no chat id: the queue fails
	if err := s.SaveReplyQueued(ctx, id, inID, ans, st, bad); err == nil {
		t.Fatal("a reply whose queueing failed was saved")
	}
	if n := count(`SELECT COUNT(*) FROM messages WHERE direction = 'out'`); n != 0 {
		t.Errorf("%d replies stored without their delivery", n)
	}
	if done, err := s.Answered(ctx, id, inID); err != nil || done {
		t.Errorf("answered = %v (%v): the message would not be answered again", done, err)
	}
	if got, _ := s.State(ctx, id); got.Turns == 7 {
		t.Error("the state was saved without its reply")
	}

	good := bot.Outgoing{Channel: "telegram", ChatID: "42", Key: "in:1", Msgs: msgs}
	if err := s.SaveReplyQueued(ctx, id, inID, ans, st, good); err != nil {
		t.Fatal(err)
	}
	// A second reply to the same message (another worker or gateway) is
	// refused whole: no second reply, nothing more queued.
	if err := s.SaveReplyQueued(ctx, id, inID, ans, bot.State{Mode: bot.ModeBot, Turns: 8}, good); !errors.Is(err, bot.ErrAnswered) {
		t.Errorf("second reply: %v, want bot.ErrAnswered", err)
	}
	if n := count(`SELECT COUNT(*) FROM messages WHERE direction = 'out'`); n != 1 {
		t.Errorf("%d replies stored, want 1", n)
	}
	if n := count(`SELECT COUNT(*) FROM outbox WHERE update_key = 'in:1' AND status = 'pending'`); n != 2 {
		t.Errorf("%d chunks queued, want 2", n)
	}
	if got, _ := s.State(ctx, id); got.Turns != 7 {
		t.Errorf("state turns = %d, want 7", got.Turns)
	}
}

// Replies saved at once share one transaction; one that fails (a second
// answer to a message) fails alone: the others are saved with their
// deliveries, and it gets its own error.
func TestSaveRepliesTogether(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	if _, err := outbox.New(ctx, s.db, outbox.Config{}); err != nil { // the outbox table
		t.Fatal(err)
	}
	var batch []reply
	for i, chat := range []string{"1", "2", "3", "2"} { // the last answers chat 2's message again
		id, _, err := s.GetOrCreateByExternal(ctx, "telegram", chat)
		if err != nil {
			t.Fatal(err)
		}
		inID, _, err := s.AppendInbound(ctx, id, bot.Message{Text: "phường 5 quận 3"}, "u"+chat)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, reply{id: id, inboundID: inID, answer: bot.Answer{Kind: bot.KindAnswer, Text: "Phường Bàn Cờ"},
			state: bot.State{Mode: bot.ModeBot, Turns: i + 1},
			out:   &bot.Outgoing{Channel: "telegram", ChatID: chat, Key: fmt.Sprint("in:", inID), Msgs: []outbox.OutMessage{{Text: "Phường Bàn Cờ"}}}})
	}
	errs := s.saveReplies(ctx, batch)
	for i, err := range errs {
		if want := i == 3; errors.Is(err, bot.ErrAnswered) != want || (err != nil) != want {
			t.Errorf("reply %d: %v, want ErrAnswered %v", i, err, want)
		}
	}
	var replies, queued int
	if err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM messages WHERE direction = 'out'),
		(SELECT COUNT(*) FROM outbox)`).Scan(&replies, &queued); err != nil {
		t.Fatal(err)
	}
	if replies != 3 || queued != 3 {
		t.Errorf("%d replies and %d deliveries stored, want 3 and 3", replies, queued)
	}
	if st, _ := s.State(ctx, batch[1].id); st.Turns != 2 {
		t.Errorf("chat 2's state has %d turns, want 2 (its first reply's)", st.Turns)
	}
}
