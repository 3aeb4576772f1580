package chanstore_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/hoiphuong/hoiphuong/bot/chanstore"
)

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db := sqldbtest.Open(t)
	return db
}

var t0 = time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)

// The migrations keep the namespaces and file names they had in the
// channel packages, so databases created before chanstore apply nothing
// again; applying them twice is harmless.
func TestMigrationNamespaces(t *testing.T) {
	db := openDB(t)
	for range 2 {
		if _, err := chanstore.NewTelegram(t.Context(), db); err != nil {
			t.Fatal(err)
		}
		if _, err := chanstore.NewZaloOA(t.Context(), db); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.QueryContext(t.Context(), `SELECT namespace || '/' || name FROM schema_migrations ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{"telegram/0001_telegram.sql", "zalooa/0001_zalooa.sql", "zalooa/0002_reply_quota.sql"}
	if !slices.Equal(got, want) {
		t.Errorf("migrations = %q, want %q", got, want)
	}
}

func TestCallbacks(t *testing.T) {
	s, err := chanstore.NewTelegram(t.Context(), openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, c := range []struct{ key, payload string }{
		{"kA", "unit:26734"},
		{"kB", "helpful"},
		{"kA", "unit:other"}, // a known key keeps its first payload
	} {
		if err := s.SaveCallback(ctx, c.key, c.payload, t0); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		key, want string
		ok        bool
	}{
		{"kA", "unit:26734", true},
		{"kB", "helpful", true},
		{"kC", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok, err := s.Callback(ctx, tt.key)
		if err != nil || ok != tt.ok || got != tt.want {
			t.Errorf("Callback(%q) = %q, %v, %v; want %q, %v", tt.key, got, ok, err, tt.want, tt.ok)
		}
	}
}

func TestPollOffsets(t *testing.T) {
	s, err := chanstore.NewTelegram(t.Context(), openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	steps := []struct {
		bot  string
		save int // 0: only read
		want int
	}{
		{bot: "111", want: 0},
		{bot: "111", save: 41, want: 41},
		{bot: "111", save: 57, want: 57},
		{bot: "222", save: 9, want: 9},
		{bot: "111", want: 57}, // the other bot's offset is apart
	}
	for i, st := range steps {
		if st.save != 0 {
			if err := s.SavePollOffset(ctx, st.bot, st.save, t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.PollOffset(ctx, st.bot)
		if err != nil || got != st.want {
			t.Errorf("step %d: PollOffset(%s) = %d, %v; want %d", i, st.bot, got, err, st.want)
		}
	}
}

func TestTouchFollower(t *testing.T) {
	s, err := chanstore.NewZaloOA(t.Context(), openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, ok, err := s.Follower(ctx, "u1"); err != nil || ok {
		t.Fatalf("unknown follower: ok=%v err=%v", ok, err)
	}
	steps := []struct {
		name        string
		touch       time.Time // zero: no message
		replies     int       // replies sent after the touch
		wantLast    time.Time
		wantReplies int
	}{
		{"first message", t0, 3, t0, 3},
		{"newer message resets the count", t0.Add(time.Hour), 2, t0.Add(time.Hour), 2},
		{"older message does not move back", t0.Add(30 * time.Minute), 1, t0.Add(time.Hour), 3},
		{"same instant does not reset", t0.Add(time.Hour), 0, t0.Add(time.Hour), 3},
		{"sub-second order counts", t0.Add(time.Hour + time.Millisecond), 0, t0.Add(time.Hour + time.Millisecond), 0},
		{"replies only", time.Time{}, 2, t0.Add(time.Hour + time.Millisecond), 2},
	}
	for _, st := range steps {
		if !st.touch.IsZero() {
			// Any zone: the store keeps UTC, so text order is time order.
			if err := s.TouchFollower(ctx, "u1", st.touch.In(time.FixedZone("ICT", 7*3600))); err != nil {
				t.Fatal(err)
			}
		}
		for range st.replies {
			if err := s.CountReply(ctx, "u1"); err != nil {
				t.Fatal(err)
			}
		}
		f, ok, err := s.Follower(ctx, "u1")
		if err != nil || !ok || !f.LastInbound.Equal(st.wantLast) || f.Replies != st.wantReplies {
			t.Errorf("%s: Follower = %+v, %v, %v; want last %v, %d replies", st.name, f, ok, err, st.wantLast, st.wantReplies)
		}
	}
	if _, ok, err := s.Follower(ctx, "u2"); err != nil || ok {
		t.Errorf("another follower: ok=%v err=%v", ok, err)
	}
	// Counting a reply to an unknown follower creates nothing.
	if err := s.CountReply(ctx, "u3"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Follower(ctx, "u3"); err != nil || ok {
		t.Errorf("reply to an unknown follower: ok=%v err=%v", ok, err)
	}
}

func TestTokens(t *testing.T) {
	s, err := chanstore.NewZaloOA(t.Context(), openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, ok, err := s.LoadTokens(ctx, "app"); err != nil || ok {
		t.Fatalf("no tokens yet: ok=%v err=%v", ok, err)
	}
	first := chanstore.Tokens{Access: "a1", Refresh: "r1", ExpiresAt: t0.Add(25 * time.Hour)}
	second := chanstore.Tokens{Access: "a2", Refresh: "r2"} // expiry unknown
	other := chanstore.Tokens{Access: "x", Refresh: "y"}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	steps := []struct {
		name    string
		ctx     context.Context
		app     string
		save    chanstore.Tokens
		wantErr bool
		want    chanstore.Tokens // of "app"
	}{
		{"first pair", ctx, "app", first, false, first},
		{"replaced whole, expiry cleared", ctx, "app", second, false, second},
		{"another app is apart", ctx, "other", other, false, second},
		{"a failed save changes nothing", cancelled, "app", first, true, second},
	}
	for _, st := range steps {
		err := s.SaveTokens(st.ctx, st.app, st.save, t0)
		if (err != nil) != st.wantErr {
			t.Fatalf("%s: SaveTokens err = %v, want error %v", st.name, err, st.wantErr)
		}
		got, ok, err := s.LoadTokens(ctx, "app")
		if err != nil || !ok || got.Access != st.want.Access || got.Refresh != st.want.Refresh || !got.ExpiresAt.Equal(st.want.ExpiresAt) {
			t.Errorf("%s: LoadTokens = %+v, %v, %v; want %+v", st.name, got, ok, err, st.want)
		}
	}
	if got, ok, err := s.LoadTokens(ctx, "other"); err != nil || !ok || got != other {
		t.Errorf("other app: %+v, %v, %v", got, ok, err)
	}
}
