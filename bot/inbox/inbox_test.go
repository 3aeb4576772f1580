package inbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// fakeChannel renders an answer as one message per line of its text.
type fakeChannel struct{}

func (fakeChannel) Name() string { return "fake" }

func (fakeChannel) Canned(msg bot.Message) (bot.Answer, bool) {
	if msg.Text == "/help" {
		return bot.Answer{Kind: bot.KindAnswer, Text: "help"}, true
	}
	return bot.Answer{}, false
}

func (fakeChannel) Render(_ context.Context, a bot.Answer) ([]outbox.OutMessage, error) {
	return []outbox.OutMessage{{Text: a.Text}}, nil
}

type rig struct {
	store *botstore.Store
	out   *outbox.Outbox
	in    *inbox.Inbox
}

func newEngine(t testing.TB) *bot.Engine {
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := geo.New(seed.Geo())
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewEngine(bot.Config{KB: kb, Locator: loc})
}

func newRig(t *testing.T, path string, engine *bot.Engine, opts ...func(*inbox.Config, *sql.DB)) *rig {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.OpenAt(t, path)
	st, err := botstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out, err := outbox.New(ctx, db, outbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := inbox.Config{Store: st, Answerer: bot.NewService(engine, st), Outbox: out, Workers: 4}
	for _, o := range opts {
		o(&cfg, db)
	}
	in, err := inbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	in.Register(fakeChannel{})
	return &rig{store: st, out: out, in: in}
}

func (r *rig) run(t *testing.T) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.in.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

func (r *rig) accept(t *testing.T, chat, id, text string) bool {
	t.Helper()
	dup, err := r.in.Accept(t.Context(), inbox.Update{Channel: "fake", ChatID: chat, ID: id, Message: bot.Message{Text: text}})
	if err != nil {
		t.Fatal(err)
	}
	return dup.Duplicate
}

func (r *rig) waitRows(t *testing.T, n int) []outbox.Delivered {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rows, err := r.out.Rows(t.Context(), "fake")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) >= n {
			time.Sleep(50 * time.Millisecond) // nothing more should come
			rows, _ = r.out.Rows(t.Context(), "fake")
			return rows
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox rows, want %d", len(rows), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDuplicatesAnsweredOnce(t *testing.T) {
	r := newRig(t, sqldbtest.Location(t), newEngine(t))
	r.run(t)
	for i := range 3 {
		if dup := r.accept(t, "42", "1001", "Phường Đa Kao, Quận 1 giờ là phường nào?"); dup != (i > 0) {
			t.Errorf("delivery %d: duplicate = %v", i+1, dup)
		}
	}
	rows := r.waitRows(t, 1)
	if len(rows) != 1 || rows[0].ChatID != "42" || !strings.Contains(rows[0].Message.Text, "Sài Gòn") {
		t.Errorf("outbox = %+v, want one answer naming Phường Sài Gòn", rows)
	}
	if c := r.in.Counts()["fake"]; c != (inbox.Counts{Received: 1, Duplicates: 2}) {
		t.Errorf("counts = %+v", c)
	}
}

func TestConversationOrderAndCanned(t *testing.T) {
	r := newRig(t, sqldbtest.Location(t), newEngine(t))
	texts := []string{"/help", "phường 1", "quận 3", "/help"}
	for i, s := range texts {
		r.accept(t, "7", fmt.Sprint(100+i), s)
	}
	r.run(t)
	rows := r.waitRows(t, len(texts))
	if len(rows) != len(texts) {
		t.Fatalf("%d rows, want %d", len(rows), len(texts))
	}
	for _, row := range rows {
		t.Logf("%s: %.100q", row.Key, row.Message.Text)
	}
	if rows[0].Message.Text != "help" || rows[3].Message.Text != "help" {
		t.Errorf("canned answers not in place: %q … %q", rows[0].Message.Text, rows[3].Message.Text)
	}
	// "phường 1" asks for the district; "quận 3" answers it: order kept.
	if !strings.Contains(strings.ToLower(rows[1].Message.Text), "quận") {
		t.Errorf("second answer should ask for the district: %q", rows[1].Message.Text)
	}
	if strings.Contains(rows[2].Message.Text, "quận nào") {
		t.Errorf("third answer should resolve Phường 1, Quận 3: %q", rows[2].Message.Text)
	}
}

func TestRestartAnswersWhatWasPersisted(t *testing.T) {
	path := sqldbtest.Location(t)
	engine := newEngine(t)
	r1 := newRig(t, path, engine)
	// Persisted and acknowledged, then the process died before answering.
	r1.accept(t, "1", "1", "Đăng ký khai sinh ở đâu?")
	r1.accept(t, "2", "2", "Phường Bến Nghé quận 1")
	// Answered and queued, then died before the answer was saved: the
	// restart answers again, and the outbox drops the repeat.
	r1.accept(t, "3", "3", "Phường Đa Kao quận 1")
	pend, err := r1.store.PendingInbound(t.Context(), mustConv(t, r1, "3"))
	if err != nil || len(pend) != 1 {
		t.Fatalf("pending = %v, %v", pend, err)
	}
	if _, err := r1.out.Enqueue(t.Context(), "fake", "3", fmt.Sprint("in:", pend[0].ID), []outbox.OutMessage{{Text: "first answer"}}); err != nil {
		t.Fatal(err)
	}

	r2 := newRig(t, path, engine)
	r2.run(t)
	rows := r2.waitRows(t, 3)
	if len(rows) != 3 {
		t.Fatalf("%d rows after restart, want 3: %+v", len(rows), rows)
	}
	for _, row := range rows {
		if row.ChatID == "3" && row.Message.Text != "first answer" {
			t.Errorf("chat 3 answered twice: %q", row.Message.Text)
		}
	}
	for _, chat := range []string{"1", "2", "3"} {
		p, err := r2.store.PendingInbound(t.Context(), mustConv(t, r2, chat))
		if err != nil || len(p) != 0 {
			t.Errorf("chat %s still pending: %v, %v", chat, p, err)
		}
	}
}

func mustConv(t *testing.T, r *rig, chat string) string {
	t.Helper()
	id, _, err := r.store.GetOrCreateByExternal(t.Context(), "fake", chat)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestTwoGatewaysAnswerOnce: two inboxes on one database (two gateways
// restarting together, each with its own pool) both find the same
// unanswered messages; each message gets one reply and one queued answer.
func TestTwoGatewaysAnswerOnce(t *testing.T) {
	path := sqldbtest.Location(t)
	engine := newEngine(t)
	r0 := newRig(t, path, engine)
	const chats = 20
	for i := range chats {
		r0.accept(t, fmt.Sprint(i), fmt.Sprint(i), "Phường Đa Kao quận 1 làm khai sinh ở đâu")
	}
	r1, r2 := newRig(t, path, engine), newRig(t, path, engine)
	r1.run(t)
	r2.run(t)
	rows := r1.waitRows(t, chats)
	if len(rows) != chats {
		t.Errorf("%d answers queued for %d messages", len(rows), chats)
	}
	var replies int
	for i := range chats {
		conv := mustConv(t, r1, fmt.Sprint(i))
		msgs, err := r1.store.Messages(t.Context(), conv, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.Direction == "out" {
				replies++
			}
		}
	}
	if replies != chats {
		t.Errorf("%d replies stored for %d messages", replies, chats)
	}
}
