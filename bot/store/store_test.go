package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/pgtest"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot"
)

var _ bot.Store = (*Store)(nil)

func TestMain(m *testing.M) { pgtest.Main(m) }

// newStore is a store on the tests' database: SQLite, or Postgres under
// make test-pg.
func newStore(t testing.TB) *Store {
	t.Helper()
	return storeOn(t, sqldbtest.Open(t))
}

// newSQLiteStore is a store on SQLite whatever the tests run on (tests of
// SQLite's query plans).
func newSQLiteStore(t testing.TB) *Store {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "hoiphuong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return storeOn(t, db)
}

func storeOn(t testing.TB, db *sql.DB) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, db); err != nil { // migrations apply once
		t.Fatal(err)
	}
	return s
}

func TestCreateAndState(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	tests := []struct {
		channel, external string
		wantErr           error
	}{
		{"web", "", nil},
		{"web", "", nil}, // no external id: always a new conversation
		{"telegram", "1001", nil},
		{"telegram", "1001", ErrExternalIDTaken},
		{"zalo-oa", "1001", nil}, // same chat id, another channel
	}
	ids := map[string]bool{}
	for _, tt := range tests {
		id, err := s.Create(ctx, tt.channel, tt.external)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Create(%s, %q) error = %v, want %v", tt.channel, tt.external, err, tt.wantErr)
		}
		if err != nil {
			continue
		}
		if len(id) != 32 || ids[id] {
			t.Errorf("Create(%s, %q) = %q: want a new 32-hex-digit id", tt.channel, tt.external, id)
		}
		ids[id] = true
		st, err := s.State(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st, bot.State{Mode: bot.ModeBot}) {
			t.Errorf("new state = %+v", st)
		}
		if ok, err := s.Exists(ctx, id); !ok || err != nil {
			t.Errorf("Exists(%s) = %v, %v", id, ok, err)
		}
	}
	if _, err := s.Create(ctx, "", ""); err == nil {
		t.Error("Create with no channel succeeded")
	}
}

func TestStateRoundTrip(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	id, err := s.Create(ctx, "web", "")
	if err != nil {
		t.Fatal(err)
	}
	want := bot.State{
		Mode:        bot.ModeBot, // SaveReply never writes the mode (see TestOpenHandoffQueuesOnceAndSetsMode)
		Unit:        &bot.UnitRef{Code: "26734", Name: "Phường Sài Gòn"},
		Candidates:  []bot.UnitRef{{Code: "26734", Name: "Phường Sài Gòn"}, {Code: "26737", Name: "Phường Tân Định"}},
		OldPlace:    "Phường Đa Kao, Quận 1",
		PendingName: "phường 1",
		Street:      "12 Nguyễn Huệ",
		ProcedureID: "khai-sinh",
		Asks:        bot.AskStreet,
		Misses:      2,
		Turns:       7,
	}
	if err := s.SaveReply(ctx, id, 0, bot.Answer{Kind: bot.KindClarify, Text: "Bạn ở đường nào?"}, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.State(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("state = %+v\nwant %+v", got, want)
	}
}

func TestGetOrCreateByExternal(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	id, created, err := s.GetOrCreateByExternal(ctx, "telegram", "42")
	if err != nil || !created {
		t.Fatalf("first call: %q, %v, %v", id, created, err)
	}
	again, created, err := s.GetOrCreateByExternal(ctx, "telegram", "42")
	if err != nil || created || again != id {
		t.Errorf("second call: %q, %v, %v; want %q, false", again, created, err, id)
	}
	other, created, err := s.GetOrCreateByExternal(ctx, "zalo-bot", "42")
	if err != nil || !created || other == id {
		t.Errorf("other channel: %q, %v, %v", other, created, err)
	}
	if _, _, err := s.GetOrCreateByExternal(ctx, "telegram", ""); err == nil {
		t.Error("empty external id succeeded")
	}

	// Many webhooks for one new chat at once: one conversation.
	const n = 20
	var wg sync.WaitGroup
	var creations atomic.Int32
	got := make([]string, n)
	for i := range n {
		wg.Go(func() {
			id, created, err := s.GetOrCreateByExternal(ctx, "telegram", "race")
			if err != nil {
				t.Error(err)
			}
			if created {
				creations.Add(1)
			}
			got[i] = id
		})
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("concurrent calls gave %q and %q", got[0], got[i])
		}
	}
	if creations.Load() != 1 {
		t.Errorf("%d calls created the conversation, want 1", creations.Load())
	}
}

func TestUnknownConversation(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	const id = "00000000000000000000000000000000"
	tests := []struct {
		name string
		call func() error
	}{
		{"State", func() error { _, err := s.State(ctx, id); return err }},
		{"AppendInbound", func() error {
			_, _, err := s.AppendInbound(ctx, id, bot.Message{Text: "xin chào"}, "m1")
			return err
		}},
		{"SaveReply", func() error { return s.SaveReply(ctx, id, 0, bot.Answer{Kind: bot.KindAnswer}, bot.State{}) }},
		{"Messages", func() error { _, err := s.Messages(ctx, id, 10); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, bot.ErrNotFound) {
				t.Errorf("error = %v, want bot.ErrNotFound", err)
			}
		})
	}
	if ok, err := s.Exists(ctx, id); ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
}

func TestAppendInboundIdempotent(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	a, _ := s.Create(ctx, "telegram", "1")
	b, _ := s.Create(ctx, "telegram", "2")
	msg := bot.Message{Text: "phường 5 quận 3", At: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	tests := []struct {
		name     string
		conv     string
		cmid     string
		wantDup  bool
		wantRows int // inbound rows of conversation a afterwards
	}{
		{"first", a, "m1", false, 1},
		{"redelivered", a, "m1", true, 1},
		{"next message", a, "m2", false, 2},
		{"same id, other chat", b, "m1", false, 2},
		{"no channel id", a, "", false, 3},
		{"no channel id again", a, "", false, 4},
	}
	ids := map[string]int64{}
	for _, tt := range tests {
		id, dup, err := s.AppendInbound(ctx, tt.conv, msg, tt.cmid)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if dup != tt.wantDup {
			t.Errorf("%s: duplicate = %v, want %v", tt.name, dup, tt.wantDup)
		}
		key := tt.conv + "/" + tt.cmid
		if prev, ok := ids[key]; ok && tt.cmid != "" && prev != id {
			t.Errorf("%s: duplicate got id %d, stored as %d", tt.name, id, prev)
		}
		ids[key] = id
		got, err := s.Messages(ctx, a, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tt.wantRows {
			t.Errorf("%s: %d messages in a, want %d", tt.name, len(got), tt.wantRows)
		}
	}
}

func TestSaveReplyAndHistory(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	id, _ := s.Create(ctx, "web", "")
	pin := &bot.Location{Lat: 10.770637, Lon: 106.630132}
	inID, _, err := s.AppendInbound(ctx, id, bot.Message{Location: pin, At: time.Now()}, "")
	if err != nil {
		t.Fatal(err)
	}
	ans := bot.Answer{
		Kind: bot.KindAnswer, Text: "Vị trí bạn gửi thuộc Phường Minh Phụng.",
		Unit:      &bot.UnitRef{Code: "27028", Name: "Phường Minh Phụng"},
		Citations: []bot.Citation{{Title: "Nghị quyết 1685/NQ-UBTVQH15", AsOf: "2026-02-26"}},
		Replies:   []bot.QuickReply{{Label: "Gặp cán bộ", Payload: "gặp cán bộ"}},
		KBVersion: 1, AsOf: "2026-02-26",
	}
	if err := s.SaveReply(ctx, id, inID, ans, bot.State{Mode: bot.ModeBot, Unit: ans.Unit, Turns: 1}); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Messages(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	in, out := msgs[0], msgs[1]
	if in.Direction != DirectionIn || !reflect.DeepEqual(in.Location, pin) || in.Answer != nil {
		t.Errorf("inbound = %+v", in)
	}
	if out.Direction != DirectionOut || out.Kind != bot.KindAnswer || out.ReplyTo != inID ||
		out.Text != ans.Text || !reflect.DeepEqual(*out.Answer, ans) || out.Location != nil {
		t.Errorf("outbound = %+v", out)
	}

	other, _ := s.Create(ctx, "web", "")
	if err := s.SaveReply(ctx, other, inID, ans, bot.State{}); err == nil {
		t.Error("a reply to another conversation's message was saved")
	}
	if err := s.SaveReply(ctx, id, out.ID, ans, bot.State{}); err == nil {
		t.Error("a reply to an outbound message was saved")
	}

	for i := range 5 {
		if _, _, err := s.AppendInbound(ctx, id, bot.Message{Text: fmt.Sprint(i)}, ""); err != nil {
			t.Fatal(err)
		}
	}
	last, err := s.Messages(ctx, id, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 2 || last[0].Text != "3" || last[1].Text != "4" {
		t.Errorf("Messages(limit 2) = %+v, want the last two, oldest first", last)
	}
}

func TestConcurrentConversations(t *testing.T) {
	ctx := t.Context()
	s := newStore(t)
	const n = 50
	ids := make([]string, n)
	for i := range ids {
		var err error
		if ids[i], err = s.Create(ctx, "telegram", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			for j := range 4 {
				inID, _, err := s.AppendInbound(ctx, id, bot.Message{Text: "xin chào"}, fmt.Sprint(i, "-", j))
				if err != nil {
					t.Errorf("append to %d: %v", i, err)
					return
				}
				st := bot.State{Mode: bot.ModeBot, Turns: j + 1}
				if err := s.SaveReply(ctx, id, inID, bot.Answer{Kind: bot.KindAnswer, Text: "Xin chào!"}, st); err != nil {
					t.Errorf("reply to %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		msgs, err := s.Messages(ctx, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.State(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 8 || st.Turns != 4 {
			t.Errorf("%s: %d messages, %d turns; want 8, 4", id, len(msgs), st.Turns)
		}
	}
}

func BenchmarkAppendAndReply(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	ans := bot.Answer{Kind: bot.KindAnswer, Text: "Phường Đa Kao, Quận 1 nay thuộc Phường Tân Định.",
		Unit: &bot.UnitRef{Code: "26737", Name: "Phường Tân Định"}, KBVersion: 1, AsOf: "2026-02-26"}
	b.Run("one conversation", func(b *testing.B) {
		id, err := s.Create(ctx, "web", "")
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			i++
			appendAndReply(b, s, id, fmt.Sprint(i), ans)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
	b.Run("parallel conversations", func(b *testing.B) {
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			id, err := s.Create(ctx, "web", "")
			if err != nil {
				b.Error(err)
				return
			}
			for pb.Next() {
				appendAndReply(b, s, id, fmt.Sprint(next.Add(1)), ans)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
}

func appendAndReply(b *testing.B, s *Store, id, cmid string, ans bot.Answer) {
	ctx := context.Background()
	inID, _, err := s.AppendInbound(ctx, id, bot.Message{Text: "phường đa kao quận 1"}, cmid)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SaveReply(ctx, id, inID, ans, bot.State{Mode: bot.ModeBot, Unit: ans.Unit}); err != nil {
		b.Fatal(err)
	}
}

// TestNewIDOrder: ids sort by the instant they were made at (so new
// conversations append to the indexes their id begins), are 32 hex digits,
// and differ when made at the same instant.
func TestNewIDOrder(t *testing.T) {
	base := time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)
	prev := ""
	for _, d := range []time.Duration{0, time.Millisecond, time.Second, time.Hour, 24 * 365 * time.Hour} {
		id := newID(base.Add(d))
		if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("newID = %q, want 32 lowercase hex digits", id)
		}
		if id <= prev {
			t.Errorf("newID(+%v) = %s, not after %s", d, id, prev)
		}
		if twin := newID(base.Add(d)); twin == id {
			t.Errorf("two ids made at +%v are both %s", d, id)
		}
		prev = id
	}
}
