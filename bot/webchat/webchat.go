// Package webchat is the web chat as a channel like the others: a citizen's
// message goes through the durable inbox (flood limit, idempotency on the
// client's message id, answered after a restart) and the request that sent
// it waits for the stored answer. A web conversation is reached with a
// secret token given when it is opened, never with its id alone.
package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// Name is the channel's name (conversations.channel).
const Name = "web"

// ErrUnauthorized is returned by Authorize for a missing or wrong token.
var ErrUnauthorized = errors.New("webchat: wrong or missing conversation token")

// Store is what the channel needs of the conversation store (bot/store).
type Store interface {
	CreateWithToken(ctx context.Context, channel string) (id, token string, err error)
	// CheckToken: bot.ErrNotFound for an unknown id or another channel's.
	CheckToken(ctx context.Context, channel, id, token string) (bool, error)
	ReplyTo(ctx context.Context, id string, inboundID int64) (bot.Answer, bool, error)
}

// Acceptor persists an update (bot/inbox).
type Acceptor interface {
	Accept(ctx context.Context, u inbox.Update) (inbox.Accepted, error)
}

// Config holds the channel's dependencies.
type Config struct {
	Store Store
	Inbox Acceptor
	// Wait bounds how long Send waits for the answer (15 s); after it the
	// reply is Pending and the client sends the same message id again.
	Wait time.Duration
}

// Channel is the web chat channel.
type Channel struct {
	cfg Config

	mu      sync.Mutex
	waiters map[int64][]chan answered
}

// answered is what a waiting request is told: the fresh answer, or (ok
// false) that the answer is in the store.
type answered struct {
	a  bot.Answer
	ok bool
}

// New returns the channel; register it with the inbox (inbox.Register).
func New(cfg Config) (*Channel, error) {
	if cfg.Store == nil || cfg.Inbox == nil {
		return nil, errors.New("webchat: Store and Inbox are required")
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 15 * time.Second
	}
	return &Channel{cfg: cfg, waiters: map[int64][]chan answered{}}, nil
}

// Name is the channel's name.
func (c *Channel) Name() string { return Name }

// Canned: the web chat has no commands of its own.
func (c *Channel) Canned(bot.Message) (bot.Answer, bool) { return bot.Answer{}, false }

// Render queues nothing: the citizen's page reads answers from the store
// (the request's response, or the event stream for staff replies).
func (c *Channel) Render(context.Context, bot.Answer) ([]outbox.OutMessage, error) { return nil, nil }

// Answered hands the answer to inboundID to the requests waiting for it
// (fresh=false: it was answered before, they read the store).
func (c *Channel) Answered(_ string, inboundID int64, a bot.Answer, fresh bool) {
	c.mu.Lock()
	ws := c.waiters[inboundID]
	delete(c.waiters, inboundID)
	c.mu.Unlock()
	for _, w := range ws {
		w <- answered{a: a, ok: fresh} // buffered: never blocks
	}
}

// Session is an opened web conversation: the token is its credential and
// is known only to the citizen's client.
type Session struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

// Open starts a web conversation.
func (c *Channel) Open(ctx context.Context) (Session, error) {
	id, token, err := c.cfg.Store.CreateWithToken(ctx, Name)
	if err != nil {
		return Session{}, fmt.Errorf("open web conversation: %w", err)
	}
	return Session{ID: id, Token: token}, nil
}

// Authorize checks the token of web conversation id: bot.ErrNotFound when
// there is no such web conversation, ErrUnauthorized for a wrong token.
func (c *Channel) Authorize(ctx context.Context, id, token string) error {
	if token == "" {
		return ErrUnauthorized
	}
	ok, err := c.cfg.Store.CheckToken(ctx, Name, id, token)
	switch {
	case err != nil:
		return fmt.Errorf("authorize: %w", err)
	case !ok:
		return ErrUnauthorized
	}
	return nil
}

// FloodError is returned by Send for a message over the conversation's
// flood limit: it was not persisted; send again after RetryAfter.
type FloodError struct{ RetryAfter time.Duration }

func (e *FloodError) Error() string {
	return fmt.Sprintf("webchat: flood limit, retry after %s", e.RetryAfter)
}

// Reply is the outcome of Send.
type Reply struct {
	MessageID int64      // the stored inbound message
	Answer    bot.Answer // the stored answer (zero while Pending)
	// Pending: the message is stored but its answer was not ready in time;
	// sending the same message id again returns it.
	Pending bool
	// Duplicate: the message id was sent before; Answer is the answer
	// given then.
	Duplicate bool
}

// Send persists msg on the authorized web conversation id, idempotent on
// key (the client's message id; "" makes one up, so the message cannot be
// recognised when sent again), and waits for its answer.
func (c *Channel) Send(ctx context.Context, id, key string, msg bot.Message) (Reply, error) {
	if key == "" {
		key = "srv-" + randomKey()
	}
	res, err := c.cfg.Inbox.Accept(ctx, inbox.Update{Channel: Name, ChatID: id, ID: key, Message: msg})
	if err != nil {
		return Reply{}, fmt.Errorf("send: %w", err)
	}
	if res.Flooded {
		return Reply{}, &FloodError{RetryAfter: res.RetryAfter}
	}
	if res.ConversationID != id { // the inbox found the chat by another conversation: impossible for an authorized id
		return Reply{}, fmt.Errorf("send: message stored on conversation %s, not %s", res.ConversationID, id)
	}
	r := Reply{MessageID: res.MessageID, Duplicate: res.Duplicate}
	r.Answer, r.Pending, err = c.await(ctx, id, res.MessageID)
	return r, err
}

// await returns the answer to inboundID, waiting for it at most the
// configured time (pending=true then).
func (c *Channel) await(ctx context.Context, id string, inboundID int64) (a bot.Answer, pending bool, err error) {
	w := make(chan answered, 1)
	c.mu.Lock()
	c.waiters[inboundID] = append(c.waiters[inboundID], w)
	c.mu.Unlock()
	defer c.forget(inboundID, w)
	// Checked after registering: an answer stored before it is found
	// here, one stored after it comes through w.
	a, ok, err := c.cfg.Store.ReplyTo(ctx, id, inboundID)
	if err != nil || ok {
		return a, false, err
	}
	timer := time.NewTimer(c.cfg.Wait)
	defer timer.Stop()
	select {
	case r := <-w:
		if r.ok {
			return r.a, false, nil
		}
	case <-timer.C:
	case <-ctx.Done():
		return bot.Answer{}, true, nil
	}
	a, ok, err = c.cfg.Store.ReplyTo(ctx, id, inboundID)
	return a, !ok, err
}

func (c *Channel) forget(inboundID int64, w chan answered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ws := c.waiters[inboundID]
	for i, x := range ws {
		if x == w {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(c.waiters, inboundID)
	} else {
		c.waiters[inboundID] = ws
	}
}

func randomKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
