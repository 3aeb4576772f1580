package bot

import (
	"context"
	"errors"
)

// ErrNotFound is returned for an unknown conversation.
var ErrNotFound = errors.New("conversation not found")

// ErrAnswered is returned by a store saving a second reply to one inbound
// message (another worker or gateway answered it first): nothing is saved.
var ErrAnswered = errors.New("the message has its reply already")

// Conversations answers messages synchronously, outside the channels'
// durable inbox: the terminal chat, `ask` and the eval runner use it on a
// scratch database. Every channel a citizen uses — the web chat included —
// goes through bot/inbox and Service.HandleStored instead.
type Conversations interface {
	// Start opens a new conversation on a channel and returns its id.
	Start(ctx context.Context, channel string) (string, error)
	// Handle answers one message of an existing conversation.
	Handle(ctx context.Context, msg Message) (Answer, error)
}
