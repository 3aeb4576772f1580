package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

// Store keeps conversations and their messages durably (bot/store).
type Store interface {
	Create(ctx context.Context, channel, externalID string) (string, error)
	State(ctx context.Context, id string) (State, error)
	// AppendInbound persists an inbound message before it is answered;
	// duplicate is true when channelMessageID was seen before.
	AppendInbound(ctx context.Context, id string, msg Message, channelMessageID string) (msgID int64, duplicate bool, err error)
	SaveReply(ctx context.Context, id string, inboundID int64, a Answer, st State) error
	// SaveReplyQueued is SaveReply that also queues out (the answer
	// rendered for the channel) in the outbox, in the same transaction.
	SaveReplyQueued(ctx context.Context, id string, inboundID int64, a Answer, st State, out Outgoing) error
	// Answered reports whether the inbound message inboundID has a reply.
	Answered(ctx context.Context, id string, inboundID int64) (bool, error)
}

// Service is the Conversations implementation: persist, answer, persist.
// Messages of one conversation are answered one at a time, in order.
type Service struct {
	engine  *Engine
	store   Store
	locks   [256]sync.Mutex
	observe func(msg Message, a Answer, took time.Duration)
	queue   Queue
}

// NewService wires an engine to a store.
func NewService(e *Engine, s Store) *Service { return &Service{engine: e, store: s} }

// Observe sets a function told about every answer (for metrics); it must be
// quick and must not keep msg's text.
func (s *Service) Observe(fn func(msg Message, a Answer, took time.Duration)) { s.observe = fn }

// SetQueue connects the ward queues: handoff answers then queue the
// conversation and the bot stays silent while it waits or a person owns it.
func (s *Service) SetQueue(q Queue) { s.queue = q }

// Start opens a conversation.
func (s *Service) Start(ctx context.Context, channel string) (string, error) {
	id, err := s.store.Create(ctx, channel, "")
	if err != nil {
		return "", fmt.Errorf("start conversation: %w", err)
	}
	return id, nil
}

// Handle persists msg, answers it from the conversation's state and
// persists the answer with the new state. It returns ErrNotFound for an
// unknown conversation.
func (s *Service) Handle(ctx context.Context, msg Message) (Answer, error) {
	a, _, err := s.HandleOnce(ctx, msg, "")
	return a, err
}

// HandleOnce is Handle for channels that deliver a message id: a message
// seen before is not answered again (duplicate=true, empty Answer).
func (s *Service) HandleOnce(ctx context.Context, msg Message, channelMessageID string) (Answer, bool, error) {
	mu := &s.locks[stripe(msg.ConversationID)]
	mu.Lock()
	defer mu.Unlock()
	st, err := s.store.State(ctx, msg.ConversationID)
	if err != nil {
		return Answer{}, false, fmt.Errorf("load state: %w", err)
	}
	if msg.At.IsZero() {
		msg.At = s.engine.now()
	}
	inID, dup, err := s.store.AppendInbound(ctx, msg.ConversationID, msg, channelMessageID)
	if err != nil {
		return Answer{}, false, fmt.Errorf("persist inbound: %w", err)
	}
	if dup {
		return Answer{}, true, nil
	}
	a, err := s.reply(ctx, &st, msg, inID, nil)
	if err != nil {
		return Answer{}, false, err
	}
	if err := s.store.SaveReply(ctx, msg.ConversationID, inID, a, st); err != nil {
		return Answer{}, false, fmt.Errorf("persist reply: %w", err)
	}
	return a, false, nil
}

// reply decides the answer to msg (inbound id inID) in the conversation's
// mode: silence while a person has it (unless the citizen asks for the bot
// back), the rating flow after a close, a 👍/👎 on the last answer, the
// channel's canned answer or the engine's; a handoff answer queues the
// conversation and names its ticket.
func (s *Service) reply(ctx context.Context, st *State, msg Message, inID int64, canned func(Message) (Answer, bool)) (Answer, error) {
	id := msg.ConversationID
	if s.queue != nil {
		switch st.Mode {
		case ModeQueued, ModeHuman:
			if a, ok, err := s.backToBot(ctx, id, st, msg); ok || err != nil {
				s.queue.Inbound(ctx, id, inID)
				return a, err
			}
			return s.waiting(ctx, id, msg, inID), nil
		case ModeClosed:
			if a, ok := s.rating(ctx, id, st, msg); ok {
				return a, nil
			}
			if err := s.queue.Resume(ctx, id); err != nil {
				return Answer{}, fmt.Errorf("resume bot: %w", err)
			}
			st.Mode, st.Asks = ModeBot, ""
		}
		if a, ok := s.alreadyBack(ctx, id, msg); ok {
			return a, nil
		}
	}
	if msg.Location == nil {
		if score, ok := ReadFeedback(msg.Text); ok {
			return s.feedback(ctx, id, score)
		}
	}
	if canned != nil {
		if a, ok := canned(msg); ok {
			return a, nil
		}
	}
	start := time.Now()
	a := s.engine.Respond(ctx, st, msg)
	if s.observe != nil {
		s.observe(msg, a, time.Since(start))
	}
	if a.Kind != KindHandoff || s.queue == nil {
		return a, nil
	}
	reason := handoffReason(a)
	tk, err := s.queue.Enqueue(ctx, id, *st, inID, reason)
	if err != nil {
		return Answer{}, fmt.Errorf("queue handoff: %w", err)
	}
	a.Text, a.Ticket, a.Replies = ticketText(reasonPrefix[reason], tk), &tk, []QuickReply{replyBackToBot}
	st.Mode = ModeQueued
	return a, nil
}

// Stored is an inbound message a channel persisted with AppendInbound
// before acknowledging its webhook, to be answered now.
type Stored struct {
	Message   Message // ConversationID set
	InboundID int64
	// Canned, when it returns true, gives the channel's own answer (a
	// command, a notice about unsupported content) instead of the engine's;
	// the conversation's state is kept. Nil: always the engine.
	Canned func(Message) (Answer, bool)
	// Render turns the answer into the channel's messages (no side
	// effects); they are queued as Out in the transaction that stores the
	// answer. Nil: nothing to queue (the web chat reads the store).
	Render func(ctx context.Context, a Answer) ([]outbox.OutMessage, error)
	Out    Outgoing // Channel, ChatID and Key of the queued messages
}

// Outgoing is an answer rendered for its channel, queued in the outbox
// under Key (once per key).
type Outgoing struct {
	Channel, ChatID, Key string
	Msgs                 []outbox.OutMessage
}

// HandleStored answers a persisted inbound message unless it has been
// answered already (answered=false then): the answer, the conversation's
// new state and the answer's rendering for the channel are stored in one
// transaction, so a crash leaves either all or nothing (answered again). Messages of a conversation are
// answered one at a time; the caller keeps them in order.
func (s *Service) HandleStored(ctx context.Context, in Stored) (a Answer, answered bool, err error) {
	msg := in.Message
	mu := &s.locks[stripe(msg.ConversationID)]
	mu.Lock()
	defer mu.Unlock()
	done, err := s.store.Answered(ctx, msg.ConversationID, in.InboundID)
	if err != nil || done {
		return Answer{}, false, err
	}
	st, err := s.store.State(ctx, msg.ConversationID)
	if err != nil {
		return Answer{}, false, fmt.Errorf("load state: %w", err)
	}
	a, err = s.reply(ctx, &st, msg, in.InboundID, in.Canned)
	if err != nil {
		return Answer{}, false, err
	}
	out := in.Out
	if in.Render != nil {
		if out.Msgs, err = in.Render(ctx, a); err != nil {
			return Answer{}, false, fmt.Errorf("render reply: %w", err)
		}
	}
	if len(out.Msgs) == 0 {
		err = s.store.SaveReply(ctx, msg.ConversationID, in.InboundID, a, st)
	} else {
		err = s.store.SaveReplyQueued(ctx, msg.ConversationID, in.InboundID, a, st, out)
	}
	if errors.Is(err, ErrAnswered) { // answered elsewhere meanwhile: that reply stands
		return Answer{}, false, nil
	}
	if err != nil {
		return Answer{}, false, fmt.Errorf("persist reply: %w", err)
	}
	return a, true, nil
}

// Engine returns the engine behind the service.
func (s *Service) Engine() *Engine { return s.engine }

func stripe(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % 256)
}
