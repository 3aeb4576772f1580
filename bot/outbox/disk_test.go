package outbox_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// A write that fails (the disk is full) while a row's outcome is recorded
// must not make the worker call the platform again for that row: a send
// the platform accepted is sent once, however long the disk stays full,
// and is recorded as sent once writes work again. The full disk is an
// SQLite trigger that fails the row's update to the given status. The
// failed writes are retried with backoff, not in a loop.
func TestDiskFullNeverResends(t *testing.T) {
	tests := []struct {
		name       string
		failStatus string // the update that fails: to in flight, or to sent
		wantDuring int    // messages the platform gets while the disk is full
	}{
		{"marking sent fails", outbox.StatusSent, 1},
		{"marking in flight fails", "sending", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := &errorCounter{}
			// SQLite whatever the tests run on: a trigger stands in for the full disk.
			o, db := newOutboxDB(t, filepath.Join(t.TempDir(), "hoiphuong.db"), outbox.Config{Logger: slog.New(errs)})
			p := newPlatform(t, false)
			o.Register("tg", p.sender(), fast)
			if _, err := db.ExecContext(t.Context(), `CREATE TRIGGER disk_full BEFORE UPDATE OF status ON outbox
				WHEN NEW.status = '`+tt.failStatus+`' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`); err != nil {
				t.Fatal(err)
			}
			enqueue(t, o, "7", "in:1", "xin chào")
			start(t, o)
			time.Sleep(1500 * time.Millisecond) // 300 polls of the worker
			if got := p.received(); len(got) != tt.wantDuring {
				t.Fatalf("platform got %d messages while the disk was full, want %d", len(got), tt.wantDuring)
			}
			if rows, err := o.Rows(t.Context(), "tg"); err != nil || rows[0].Status == outbox.StatusSent {
				t.Fatalf("rows = %+v, %v; want the row not recorded as sent yet", rows, err)
			}
			// 5 ms doubling over 1.5 s is ~9 tries; a retry per poll would be hundreds.
			if n := errs.n.Load(); n == 0 || n > 20 {
				t.Errorf("%d write errors logged while the disk was full, want a few (backoff)", n)
			}

			if _, err := db.ExecContext(t.Context(), `DROP TRIGGER disk_full`); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the row recorded as sent", func() bool {
				rows, err := o.Rows(t.Context(), "tg")
				return err == nil && rows[0].Status == outbox.StatusSent
			})
			time.Sleep(50 * time.Millisecond) // a second send would show now
			if got := p.received(); len(got) != 1 || got[0] != "7/xin chào" {
				t.Errorf("platform got %v, want the message exactly once", got)
			}
			if c := o.Counts()["tg"]; c.Sent != 1 {
				t.Errorf("counts = %+v, want 1 sent", c)
			}
		})
	}
}

// errorCounter is a slog handler that counts the records at level error.
type errorCounter struct{ n atomic.Int64 }

func (c *errorCounter) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (c *errorCounter) Handle(context.Context, slog.Record) error    { c.n.Add(1); return nil }
func (c *errorCounter) WithAttrs([]slog.Attr) slog.Handler           { return c }
func (c *errorCounter) WithGroup(string) slog.Handler                { return c }
