package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// A process that dies with sends in flight leaves at most Concurrency rows
// in doubt (the platform got them, the database does not say so). The next
// start counts them and, by policy, sends them again (at-least-once) or
// holds them for staff; everything else is delivered once, in order.
func TestRestartWithSendsInFlight(t *testing.T) {
	tests := []struct {
		policy     outbox.InDoubtPolicy
		wantAgain  int    // deliveries of each in-doubt message after the restart
		wantStatus string // of the in-doubt rows
		wantHeld   int
	}{
		{outbox.PolicyResend, 1, outbox.StatusSent, 0},
		{outbox.PolicyHold, 0, outbox.StatusInDoubt, 2},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			const concurrency, chats = 2, 3
			path := openDB(t)
			o1 := newOutbox(t, path, outbox.Config{Concurrency: concurrency, SendTimeout: time.Minute})
			p1 := newPlatform(t, true) // receives, never answers: the process dies meanwhile
			o1.Register("tg", p1.sender(), fast)
			var all []string
			for c := range chats {
				a, b := fmt.Sprintf("c%d-a", c), fmt.Sprintf("c%d-b", c)
				enqueue(t, o1, fmt.Sprint(c), fmt.Sprint("in:", c), a, b)
				all = append(all, fmt.Sprint(c, "/", a), fmt.Sprint(c, "/", b))
			}
			ctx, crash := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { o1.Run(ctx); close(done) }()
			t.Cleanup(func() { p1.unhang(); crash(); <-done })
			waitFor(t, "sends in flight", func() bool { return len(p1.received()) == concurrency })
			time.Sleep(100 * time.Millisecond) // a send past the bound would show now
			crash()                            // o1 starts nothing more, and its sends never end
			inDoubt := p1.received()
			rows, err := o1.Rows(t.Context(), "tg")
			if err != nil {
				t.Fatal(err)
			}
			if n := countStatus(rows, outbox.StatusSending); len(inDoubt) != concurrency || n != concurrency {
				t.Fatalf("%d sends reached the platform and %d rows are in flight, want %d (the concurrency)",
					len(inDoubt), n, concurrency)
			}

			o2 := newOutbox(t, path, outbox.Config{InDoubt: tt.policy})
			p2 := newPlatform(t, false)
			o2.Register("tg", p2.sender(), fast)
			start(t, o2)
			want := len(all) - concurrency + concurrency*tt.wantAgain
			waitFor(t, "the deliveries after the restart", func() bool { return len(p2.received()) >= want })
			time.Sleep(100 * time.Millisecond) // anything more shows now
			got := p2.received()
			if len(got) != want {
				t.Errorf("delivered %v after the restart, want %d messages", got, want)
			}
			for _, m := range all {
				wantN := 1
				if slices.Contains(inDoubt, m) {
					wantN = tt.wantAgain
				}
				if n := count(got, m); n != wantN {
					t.Errorf("%s delivered %d times after the restart, want %d", m, n, wantN)
				}
			}
			for c := range chats { // each chat's order holds
				a, b := slices.Index(got, fmt.Sprintf("%d/c%d-a", c, c)), slices.Index(got, fmt.Sprintf("%d/c%d-b", c, c))
				if a >= 0 && b >= 0 && a > b {
					t.Errorf("chat %d: delivered %v, want a before b", c, got)
				}
			}
			if c := o2.Counts()["tg"]; c.InDoubt != concurrency || c.Sent != int64(want) {
				t.Errorf("counts = %+v, want %d in doubt and %d sent", c, concurrency, want)
			}
			rows, err = o2.Rows(t.Context(), "tg")
			if err != nil {
				t.Fatal(err)
			}
			if n := countStatus(rows, tt.wantStatus); tt.wantStatus != outbox.StatusSent && n != concurrency ||
				countStatus(rows, outbox.StatusSent) != len(all)-concurrency*(1-tt.wantAgain) {
				t.Errorf("rows %+v, want the in-doubt ones %s and the rest sent", rows, tt.wantStatus)
			}
			if d, err := o2.Depths(t.Context()); err != nil || d["tg"].Held != tt.wantHeld || d["tg"].Pending != 0 {
				t.Errorf("depths = %+v, %v; want %d held, none pending", d, err, tt.wantHeld)
			}
		})
	}
}

// Staff settle a held row: resend sends it once; drop marks it failed;
// a row not held cannot be settled.
func TestSettleHeld(t *testing.T) {
	path := openDB(t)
	o1, db := newOutboxDB(t, path, outbox.Config{})
	enqueue(t, o1, "5", "in:1", "một")
	enqueue(t, o1, "6", "in:2", "hai")
	// A previous process died sending both (what the worker writes before a send).
	if _, err := db.ExecContext(t.Context(), `UPDATE outbox SET status = 'sending', sending_at = next_at`); err != nil {
		t.Fatal(err)
	}
	o := newOutbox(t, path, outbox.Config{InDoubt: outbox.PolicyHold})
	p := newPlatform(t, false)
	o.Register("tg", p.sender(), fast)
	start(t, o)
	var held []outbox.Held
	waitFor(t, "the rows held", func() bool {
		var err error
		held, err = o.HeldRows(t.Context())
		return err == nil && len(held) == 2
	})
	if h := held[0]; h.ChatID != "5" || h.Text != "một" || h.Key != "in:1" || h.Channel != "tg" || h.SendingAt.IsZero() {
		t.Errorf("held[0] = %+v", h)
	}
	if err := o.Settle(t.Context(), held[0].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := o.Settle(t.Context(), held[1].ID, false); err != nil {
		t.Fatal(err)
	}
	if err := o.Settle(t.Context(), held[1].ID, true); !errors.Is(err, outbox.ErrNotHeld) {
		t.Errorf("settling a row twice: %v, want ErrNotHeld", err)
	}
	waitFor(t, "the resent row", func() bool { return len(p.received()) == 1 })
	time.Sleep(50 * time.Millisecond)
	rows, _ := o.Rows(t.Context(), "tg")
	if got := p.received(); len(got) != 1 || got[0] != "5/một" || rows[0].Status != outbox.StatusSent || rows[1].Status != outbox.StatusFailed {
		t.Errorf("delivered %v, rows %+v; want 5/một sent, 6/hai failed", got, rows)
	}
}

// A database made before rows were marked in flight (migration 0001 only)
// upgrades in place: rows keep their status and pending ones are sent.
func TestUpgradeFromFirstSchema(t *testing.T) {
	path := openDB(t)
	db := sqldbtest.OpenAt(t, path)
	first, err := os.ReadFile("migrations/0001_outbox.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := sqldb.Migrate(t.Context(), db, fstest.MapFS{"0001_outbox.sql": {Data: first}}, "outbox"); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z07:00") // recent: not pruned at start
	if _, err := db.ExecContext(t.Context(), `INSERT INTO outbox
		(channel, chat_id, update_key, chunk, body_json, status, attempts, next_at, created_at) VALUES
		('tg', '1', 'in:1', 0, '{"text":"đã gửi"}', 'sent', 0, ?, ?),
		('tg', '1', 'in:2', 0, '{"text":"còn chờ"}', 'pending', 2, ?, ?)`, at, at, at, at); err != nil {
		t.Fatal(err)
	}
	db.Close()

	o, db := newOutboxDB(t, path, outbox.Config{})
	var applied int
	if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM schema_migrations
		WHERE namespace = 'outbox' AND name = '0002_in_flight.sql'`).Scan(&applied); err != nil || applied != 1 {
		t.Fatalf("0002 applied %d times (%v)", applied, err)
	}
	p := newPlatform(t, false)
	o.Register("tg", p.sender(), fast)
	start(t, o)
	waitFor(t, "the pending row sent", func() bool { return len(p.received()) == 1 })
	waitFor(t, "the send recorded", func() bool { // its "sent" mark commits after the send
		rows, err := o.Rows(t.Context(), "tg")
		return err == nil && len(rows) == 2 && rows[1].Status != "sending"
	})
	time.Sleep(50 * time.Millisecond) // nothing more is sent
	rows, err := o.Rows(t.Context(), "tg")
	if got := p.received(); err != nil || len(got) != 1 || got[0] != "1/còn chờ" || len(rows) != 2 ||
		rows[0].Status != outbox.StatusSent || rows[1].Status != outbox.StatusSent || rows[1].Attempts != 2 {
		t.Errorf("delivered %v, rows %+v (%v); want only the pending row sent, both rows kept", got, rows, err)
	}
}

func count(xs []string, x string) (n int) {
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

func countStatus(rows []outbox.Delivered, status string) (n int) {
	for _, r := range rows {
		if r.Status == status {
			n++
		}
	}
	return n
}
