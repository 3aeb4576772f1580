// Package store owns the durable memory of the bot engine: conversations
// (channel, chat id, mode and dialogue state), their inbound and outbound
// messages (idempotent on the channel's message id) and the handoff
// requests that put a conversation in a ward's queue. It shares the
// gateway's one database (opened by knowledge/sqldb.Open) and keeps its own
// migrations under the namespace "bot".
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/bot/groupcommit"
	"github.com/hoiphuong/hoiphuong/bot/stmtcache"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrExternalIDTaken is returned by Create when the channel already has a
// conversation with that external id.
var ErrExternalIDTaken = errors.New("conversation already exists for this external id")

// Store implements bot.Store on SQL.
type Store struct {
	db *sql.DB
	q  *stmtcache.Cache // hot statements, prepared once
	// Now is the clock for created_at and updated_at; tests may replace it.
	Now func() time.Time
	// Gate orders this store's turns on the connection with the other bot
	// stores sharing it (bot/outbox): AcceptInbound is urgent, everything
	// else background. Nil: no ordering.
	Gate *dbgate.Gate
	// replies saves concurrent replies in one transaction.
	replies *groupcommit.Group[reply, error]
}

// New applies the bot's migrations to db and returns a Store on it.
func New(ctx context.Context, db *sql.DB) (*Store, error) {
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations", "bot"); err != nil {
		return nil, fmt.Errorf("bot store: %w", err)
	}
	q := stmtcache.New(db)
	// The statements of SaveReply's and AcceptInbound's transactions (the
	// others are prepared on first use).
	if err := q.Warm(ctx, saveStateSQL, messageOwnerSQL, insertReplySQL,
		findConversationSQL, insertConversationSQL, insertInboundSQL, findInboundSQL); err != nil {
		return nil, fmt.Errorf("bot store: %w", err)
	}
	s := &Store{db: db, q: q, Now: time.Now}
	s.replies = groupcommit.New(maxReplies, s.saveReplies)
	return s, nil
}

// newID returns a conversation id made at: 16 bytes, hex-encoded — the
// instant's Unix milliseconds in the first six, big-endian, and ten random
// ones (80 bits: not guessable, though no credential rests on it).
//
// Ids made later sort after (within a clock's step back), so a new
// conversation's entries in the indexes that begin with its id (the
// conversations' key, the messages' unique key) land on the last pages
// instead of random ones: entirely random ids made those two indexes half
// the pages a checkpoint copies (BenchmarkUpdateWrites).
func newID(at time.Time) string {
	var b [16]byte
	ms := uint64(at.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (8 * (5 - i)))
	}
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// inTx runs fn in one transaction (sqldb.InTx on this store's
// db) in a background turn.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.Gate.Do(ctx, dbgate.Background, func() error {
		return sqldb.InTx(ctx, s.db, nil, fn)
	})
}

// turn waits for a background turn for statements outside inTx; call the
// returned function when they are done (rows closed).
func (s *Store) turn(ctx context.Context) (leave func(), err error) {
	return s.Gate.Enter(ctx, dbgate.Background)
}
