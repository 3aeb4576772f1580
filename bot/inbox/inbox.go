// Package inbox owns the channel-neutral inbound flow: an update that a
// channel adapter has verified and parsed is persisted (idempotent on the
// channel's update id) before the webhook is acknowledged, then answered
// asynchronously, each conversation's messages in order, and the answer's
// rendering queued in the outbox. Whatever was persisted but not answered
// when the process stopped is answered after the restart.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/bot/groupcommit"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// ErrMalformed is wrapped by a channel's error for a body that is not an
// update of that channel (the webhook answers 400).
var ErrMalformed = errors.New("malformed update")

// ErrStale is wrapped by a channel's error for a signed update dated
// outside the channel's time window: a captured delivery replayed, or a
// clock far off (the webhook answers 400 and logs a warning). Within the
// window a replay is a duplicate: the window must stay shorter than
// Config.KeyRetention.
var ErrStale = errors.New("update outside the time window")

// Update is one inbound update of a channel, verified and parsed.
type Update struct {
	Channel string      // telegram | zalo-oa | zalo-bot
	ChatID  string      // the channel's chat id: one conversation per chat
	ID      string      // the channel's update id, unique per chat: the dedupe key
	Message bot.Message // Text and/or Location, At
}

// Store is the conversation store (bot/store).
type Store interface {
	// AcceptInbound persists a batch of deliveries in one transaction.
	AcceptInbound(ctx context.Context, batch []store.Inbound) []store.Accepted
	PendingInbound(ctx context.Context, conversationID string) ([]store.Pending, error)
	PendingConversations(ctx context.Context, channel string, since time.Time) ([]string, error)
	// PruneDedupeKeys forgets at most limit dedupe keys of messages
	// created before before.
	PruneDedupeKeys(ctx context.Context, before time.Time, limit int) (int64, error)
}

// Answerer answers a persisted message (bot.Service).
type Answerer interface {
	HandleStored(ctx context.Context, in bot.Stored) (bot.Answer, bool, error)
}

// Outbox queues rendered messages (bot/outbox); answers are queued with
// the reply's transaction (bot/store), then the outbox is kicked.
type Outbox interface {
	Enqueue(ctx context.Context, channel, chatID, key string, msgs []outbox.OutMessage) (bool, error)
	Kick()
}

// Channel is what the inbox needs of a channel adapter.
type Channel interface {
	Name() string
	// Canned gives the channel's own answer to a message (a command, a
	// notice about unsupported content); false leaves it to the engine.
	Canned(msg bot.Message) (bot.Answer, bool)
	// Render turns an answer into the channel's messages, in sending order.
	Render(ctx context.Context, a bot.Answer) ([]outbox.OutMessage, error)
}

// Waiter is implemented by a channel whose sender waits for the answer (the
// web chat's request): Answered is called once an inbound message has its
// reply stored, with that reply (fresh), or had one already (fresh=false,
// a zero Answer: read it from the store).
type Waiter interface {
	Answered(conversationID string, inboundID int64, a bot.Answer, fresh bool)
}

// Config holds an Inbox's dependencies; zero values take the defaults.
type Config struct {
	Store    Store
	Answerer Answerer
	Outbox   Outbox
	Logger   *slog.Logger
	Now      func() time.Time
	Workers  int           // conversations answered at once (8)
	Recover  time.Duration // at start, answer what was left unanswered in this window (24 h)
	RetryIn  time.Duration // a conversation whose processing failed is retried after this (5 s)
	// KeyRetention is how long an update's dedupe key is kept (7 days:
	// well past every platform's redelivery window); older keys are
	// pruned hourly while Run runs.
	KeyRetention time.Duration
	// Flood is the per-sender limit (20 messages a minute; Max < 0: off);
	// its clock defaults to Now.
	Flood flood.Config
	// Claims, when several gateways share the database, lets one of them
	// at a time answer a conversation (a lease per conversation, renewed
	// per message; a crashed gateway's conversations are taken over once
	// their lease expires, found by a sweep every Sweep). nil: this is the
	// only gateway.
	Claims lease.Claims
	Sweep  time.Duration // how often a shared inbox looks for unanswered messages of every gateway (15 s)
}

// maxBatch bounds how many accepts share one transaction.
const maxBatch = 256

// Counts are a channel's inbound counters since the process started.
type Counts struct {
	Received   int64 // updates persisted
	Duplicates int64 // updates seen before (not answered again)
	// FloodDropped are messages over the sender's flood limit: not
	// persisted, not answered (the first of a window gets the notice).
	FloodDropped int64
}

// Inbox is the inbound flow.
type Inbox struct {
	cfg    Config
	queues []*queue
	// commit persists concurrent accepts in one transaction (group
	// commit, at most maxBatch each).
	commit *groupcommit.Group[store.Inbound, store.Accepted]
	flood  *flood.Limiter

	mu       sync.Mutex
	channels map[string]Channel
	counts   map[string]*counters
}

type counters struct{ received, duplicates, flooded atomic.Int64 }

// New returns an Inbox; Run answers what Accept persists.
func New(cfg Config) (*Inbox, error) {
	if cfg.Store == nil || cfg.Answerer == nil || cfg.Outbox == nil {
		return nil, errors.New("inbox: Store, Answerer and Outbox are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Recover <= 0 {
		cfg.Recover = 24 * time.Hour
	}
	if cfg.RetryIn <= 0 {
		cfg.RetryIn = 5 * time.Second
	}
	if cfg.KeyRetention <= 0 {
		cfg.KeyRetention = 7 * 24 * time.Hour
	}
	if cfg.Sweep <= 0 {
		cfg.Sweep = 15 * time.Second
	}
	in := &Inbox{cfg: cfg, channels: map[string]Channel{}, counts: map[string]*counters{}}
	in.commit = groupcommit.New(maxBatch, cfg.Store.AcceptInbound)
	if cfg.Flood.Now == nil {
		cfg.Flood.Now = cfg.Now
	}
	in.flood = flood.New(cfg.Flood)
	for range cfg.Workers {
		in.queues = append(in.queues, newQueue())
	}
	return in, nil
}

// Register adds a channel; its updates are accepted and answered.
func (in *Inbox) Register(ch Channel) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.channels[ch.Name()] = ch
	in.counts[ch.Name()] = &counters{}
}

// Accepted is the outcome of Accept.
type Accepted struct {
	ConversationID string // "" when Flooded
	MessageID      int64  // the stored inbound message (the original one for a duplicate)
	// Duplicate: the update was seen before and is not answered again.
	Duplicate bool
	// Flooded: over the sender's flood limit, neither persisted nor
	// answered; RetryAfter is when the sender's window ends.
	Flooded    bool
	RetryAfter time.Duration
}

// Accept persists the update and schedules its answer; it returns once the
// update is durable, so the webhook may be acknowledged. An update seen
// before is not answered again (Duplicate).
func (in *Inbox) Accept(ctx context.Context, u Update) (Accepted, error) {
	c := in.counters(u.Channel)
	if c == nil {
		return Accepted{}, fmt.Errorf("inbox: channel %q is not registered", u.Channel)
	}
	if u.ID == "" {
		return Accepted{}, fmt.Errorf("inbox: %s update without an id", u.Channel)
	}
	if wait, flooded := in.flooding(ctx, u, c); flooded {
		return Accepted{Flooded: true, RetryAfter: wait}, nil
	}
	msg := u.Message
	msg.Channel = u.Channel
	if msg.At.IsZero() {
		msg.At = in.cfg.Now()
	}
	// One transaction (conversation + message), shared with the accepts of
	// concurrent requests (bot/groupcommit).
	res := in.commit.Do(ctx, store.Inbound{Channel: u.Channel, ExternalID: u.ChatID, ChannelMessageID: u.ID, Message: msg})
	if res.Err != nil {
		return Accepted{}, fmt.Errorf("inbox: %w", res.Err)
	}
	out := Accepted{ConversationID: res.ConversationID, MessageID: res.MessageID, Duplicate: res.Duplicate}
	if res.Duplicate {
		c.duplicates.Add(1)
		in.cfg.Logger.Debug("duplicate update", "channel", u.Channel, "chat_id", u.ChatID, "update_id", u.ID)
		return out, nil
	}
	c.received.Add(1)
	in.schedule(res.ConversationID)
	return out, nil
}

// Counts returns the counters of every registered channel.
func (in *Inbox) Counts() map[string]Counts {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make(map[string]Counts, len(in.counts))
	for name, c := range in.counts {
		out[name] = Counts{Received: c.received.Load(), Duplicates: c.duplicates.Load(), FloodDropped: c.flooded.Load()}
	}
	return out
}

func (in *Inbox) counters(channel string) *counters {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.counts[channel]
}

func (in *Inbox) channel(name string) Channel {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.channels[name]
}

// schedule queues the conversation on its worker: one worker per
// conversation keeps its messages in order.
func (in *Inbox) schedule(conv string) {
	h := fnv.New32a()
	h.Write([]byte(conv))
	in.queues[h.Sum32()%uint32(len(in.queues))].push(conv)
}
