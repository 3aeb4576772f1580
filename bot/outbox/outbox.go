// Package outbox owns the durable outbound queue of the channels: every
// message to Telegram or Zalo is written to SQLite first (one row per chunk,
// unique on channel + update key + chunk, so an inbound update can never be
// answered twice), then sent by a worker that keeps each chat's order,
// honours per-chat and per-bot rate limits and the platform's retry_after,
// retries with exponential backoff and jitter, gives up after a number of
// attempts, and resumes whatever is pending after a restart.
//
// Delivery is at-least-once. A row is marked in flight before its send and
// the platform is called once per attempt: an outcome that cannot be
// recorded is retried as a write, never as a send. Only a crash during a
// send leaves a row in doubt (the platform may have it); those are at most
// Concurrency, counted, and resent or held for staff (InDoubtPolicy). Its
// tables live
// in the gateway's one database under the migrations namespace "outbox".
package outbox

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/bot/groupcommit"
	"github.com/hoiphuong/hoiphuong/bot/stmtcache"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

//go:embed migrations/*.sql
var migrations embed.FS

// OutMessage is one message to send, already rendered for its channel.
type OutMessage struct {
	Text string `json:"text"`
	// Markup is channel-specific (Telegram: the reply_markup JSON).
	Markup json.RawMessage `json:"markup,omitempty"`
}

// Sender sends one message to a chat of its channel. retryAfter > 0 is the
// wait the platform asked for (HTTP 429). An error wrapping ErrPermanent is
// not retried (bad request, bot blocked by the user).
type Sender interface {
	Send(ctx context.Context, chatID string, m OutMessage) (retryAfter time.Duration, err error)
}

// ErrPermanent marks a delivery error that retrying cannot fix.
var ErrPermanent = errors.New("permanent delivery error")

// Limits are a channel's send rate limits.
type Limits struct {
	ChatInterval time.Duration // least time between two sends to one chat (0: 1 s)
	PerSecond    float64       // sends per second over all chats (0: 30)
}

// Config tunes an Outbox; zero values take the defaults.
type Config struct {
	Now          func() time.Time // clock (time.Now)
	Logger       *slog.Logger
	MaxAttempts  int            // failed attempts before a message is marked failed (8); 429s do not count
	MaxAge       time.Duration  // a message still pending this long after it was queued fails (24 h)
	MinBackoff   time.Duration  // first retry delay (1 s), doubled per attempt, ±jitter
	MaxBackoff   time.Duration  // longest retry delay (5 min)
	PollInterval time.Duration  // longest idle wait before looking for due rows again (1 s)
	Concurrency  int            // sends in flight over all channels and chats (8): at most this many left in doubt by a crash
	SendTimeout  time.Duration  // bound of one send (15 s)
	Retention    time.Duration  // sent and failed rows are deleted after this (7 days)
	Jitter       func() float64 // [0,1) for backoff jitter (math/rand/v2)
	InDoubt      InDoubtPolicy  // rows a previous process left in flight (PolicyResend)
	// Holder names this process among the gateways sharing the database
	// (lease.NewHolder); one gateway at a time sends a channel's rows, the
	// holder of its lease. Default "local": the only gateway on a SQLite
	// file, which takes its leases back at once after a restart.
	Holder   string
	LeaseTTL time.Duration // how long a send lease lasts unrenewed (15 s): a crashed gateway's channels wait this long
	// Gate orders the outbox's turns on the connection it shares with the
	// bot store (bot/store), whose webhook accepts go first; nil: none.
	Gate *dbgate.Gate
}

func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.MaxAge, 24*time.Hour)
	def(&c.MinBackoff, time.Second)
	def(&c.MaxBackoff, 5*time.Minute)
	def(&c.PollInterval, time.Second)
	def(&c.SendTimeout, 15*time.Second)
	def(&c.Retention, 7*24*time.Hour)
	def(&c.LeaseTTL, 15*time.Second)
	if c.Holder == "" {
		c.Holder = "local"
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 8
	}
	if c.Jitter == nil {
		c.Jitter = rand.Float64
	}
	if c.InDoubt == "" {
		c.InDoubt = PolicyResend
	}
	return c
}

// Outbox is the durable outbound queue and its worker.
type Outbox struct {
	db   *sql.DB
	q    *stmtcache.Cache // hot statements, prepared once
	cfg  Config
	wake chan struct{}

	mu       sync.Mutex
	channels map[string]*channel
	// settled are the rows whose send ended (sent, retry scheduled or
	// failed) since the worker last read the due rows: that read may show
	// them still pending, and they must not be dispatched again from it.
	settled map[int64]bool
	// leases are the send leases this process holds, by channel
	// (lease.go): it sends only those channels' rows.
	leases map[string]lease.Lease
	// claimFails counts the marks in flight failed in a row, for backoff.
	claimFails atomic.Int32
	// outcomes records the ends of sends, many per transaction.
	outcomes *groupcommit.Group[outcome, error]
	// heads is the worker's (dispatch's) own: the due rows it read and
	// has not considered yet.
	heads heads
	// dueReads counts the reads of the due rows (tests).
	dueReads atomic.Int64
}

// channel is one registered channel: its sender, limits and counters.
type channel struct {
	sender   Sender
	limits   Limits
	bucket   bucket
	lastSend map[string]time.Time // chat id → when its last send started
	inFlight map[string]int64     // chat id → the row whose send is running
	// notBefore holds a chat's next send back after its row could not be
	// marked in flight (a write error), with backoff.
	notBefore map[string]time.Time
	counts    counters
}

// New applies the outbox's migrations to db and returns an Outbox on it.
func New(ctx context.Context, db *sql.DB, cfg Config) (*Outbox, error) {
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations", "outbox"); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if err := lease.Migrate(ctx, db); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	q := stmtcache.New(db)
	if err := q.Warm(ctx, keyQueuedSQL, insertChunkSQL, claimSQL, markSentSQL, markRetrySQL, markFailedSQL); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	o := &Outbox{db: db, q: q, cfg: cfg.withDefaults(), wake: make(chan struct{}, 1), channels: map[string]*channel{},
		settled: map[int64]bool{}, leases: map[string]lease.Lease{}}
	o.outcomes = groupcommit.New(256, o.writeOutcomes)
	return o, nil
}

// Register makes the worker send the channel's rows through s. Rows of a
// channel that is not registered stay pending.
func (o *Outbox) Register(name string, s Sender, l Limits) {
	if l.ChatInterval <= 0 {
		l.ChatInterval = time.Second
	}
	if l.PerSecond <= 0 {
		l.PerSecond = 30
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.channels[name] = &channel{
		sender: s, limits: l, bucket: newBucket(l.PerSecond, o.cfg.Now()),
		lastSend: map[string]time.Time{}, inFlight: map[string]int64{}, notBefore: map[string]time.Time{},
	}
	o.kick()
}

// Enqueue queues msgs (chunks, in order) for the chat, keyed by what they
// answer. It is idempotent on (channel, key): when the key was queued
// before, nothing is written and added is false.
func (o *Outbox) Enqueue(ctx context.Context, channel, chatID, key string, msgs []OutMessage) (added bool, err error) {
	if channel == "" || chatID == "" || key == "" {
		return false, errors.New("outbox: enqueue needs a channel, a chat id and a key")
	}
	added, err = o.insert(ctx, channel, chatID, key, msgs)
	if err != nil {
		return false, fmt.Errorf("outbox: enqueue %s: %w", key, err)
	}
	if added {
		o.kick()
	}
	return added, nil
}

// Kick wakes the worker: rows were queued by QueueTx.
func (o *Outbox) Kick() { o.kick() }

// kick wakes the worker without blocking.
func (o *Outbox) kick() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}
