package channeltest

import (
	"context"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot/webchat"
)

// NewWebChat returns the real web chat channel on a rig (store, engine,
// inbox) with the inbox running until the end of the test.
func NewWebChat(t testing.TB, o RigOptions) (*Rig, *webchat.Channel) {
	t.Helper()
	r := NewRig(t, o)
	web, err := webchat.New(webchat.Config{Store: r.Store, Inbox: r.Inbox})
	if err != nil {
		t.Fatal(err)
	}
	r.Inbox.Register(web)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Inbox.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return r, web
}
