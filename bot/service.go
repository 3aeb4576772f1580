package bot

import (
	"context"
	"errors"
)

// ErrNotFound is returned for an unknown conversation.
var ErrNotFound = errors.New("conversation not found")

// Conversations is the one entry point every surface (web chat API,
// channels, terminal chat, eval) uses: it persists the inbound message,
// runs the engine on the conversation's state and persists the answer.
type Conversations interface {
	// Start opens a new conversation on a channel and returns its id.
	Start(ctx context.Context, channel string) (string, error)
	// Handle answers one message of an existing conversation.
	Handle(ctx context.Context, msg Message) (Answer, error)
}
