package webchat_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/channeltest"
	"github.com/hoiphuong/hoiphuong/bot/webchat"
)

func newChannel(t *testing.T, r *channeltest.Rig, wait time.Duration) *webchat.Channel {
	t.Helper()
	web, err := webchat.New(webchat.Config{Store: r.Store, Inbox: r.Inbox, Wait: wait})
	if err != nil {
		t.Fatal(err)
	}
	r.Inbox.Register(web)
	return web
}

// A message accepted while nothing answers (the process stops right after
// persisting it) is answered after the restart, and the client's retry
// with the same message id gets that answer instead of a second one.
func TestPendingMessageAnsweredAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hp.db")
	engine := channeltest.NewEngine(t)
	first := channeltest.NewRig(t, channeltest.RigOptions{Path: path, Engine: engine})
	web := newChannel(t, first, 50*time.Millisecond) // the inbox is not running: nothing answers
	s, err := web.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	msg := bot.Message{ConversationID: s.ID, Channel: webchat.Name, Text: "p.14 go vap gio la phuong nao"}
	r, err := web.Send(t.Context(), s.ID, "k1", msg)
	if err != nil || !r.Pending || r.MessageID == 0 {
		t.Fatalf("first send: %+v, %v; want pending", r, err)
	}
	first.DB.Close() // the crash

	second := channeltest.NewRig(t, channeltest.RigOptions{Path: path, Engine: engine})
	web = newChannel(t, second, 5*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { second.Inbox.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := web.Authorize(t.Context(), s.ID, s.Token); err != nil {
		t.Fatalf("token lost over the restart: %v", err)
	}
	r2, err := web.Send(t.Context(), s.ID, "k1", msg)
	if err != nil || r2.Pending || !r2.Duplicate || r2.MessageID != r.MessageID {
		t.Fatalf("retry: %+v, %v; want the first message's answer", r2, err)
	}
	if r2.Answer.Unit == nil || !strings.Contains(r2.Answer.Text, "Gò Vấp") && !strings.Contains(r2.Answer.Text, "Hạnh Thông") && !strings.Contains(r2.Answer.Text, "An Nhơn") {
		t.Errorf("answer %q (unit %v) does not name the new unit", r2.Answer.Text, r2.Answer.Unit)
	}
	var replies int
	if err := second.DB.QueryRow(`SELECT COUNT(*) FROM messages WHERE direction = 'out' AND conversation_id = ?`, s.ID).Scan(&replies); err != nil || replies != 1 {
		t.Errorf("%d replies stored (%v), want 1", replies, err)
	}
}

func TestAuthorize(t *testing.T) {
	r := channeltest.NewRig(t, channeltest.RigOptions{})
	web := newChannel(t, r, time.Second)
	a, err := web.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, err := web.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tg, _, err := r.Store.GetOrCreateByExternal(t.Context(), "telegram", "42")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, id, token string
		want            error
	}{
		{"own token", a.ID, a.Token, nil},
		{"another conversation's token", a.ID, b.Token, webchat.ErrUnauthorized},
		{"no token", a.ID, "", webchat.ErrUnauthorized},
		{"unknown id", "feedbeef", a.Token, bot.ErrNotFound},
		{"a Telegram conversation", tg, a.Token, bot.ErrNotFound},
	} {
		err := web.Authorize(t.Context(), tc.id, tc.token)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}
