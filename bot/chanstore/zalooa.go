package chanstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// ZaloOA is the Zalo OA adapter's state: each follower's last message and
// the replies sent since, and the OA's token pair.
type ZaloOA struct {
	db *sql.DB
}

// NewZaloOA applies the "zalooa" migrations on db and returns the store.
func NewZaloOA(ctx context.Context, db *sql.DB) (*ZaloOA, error) {
	if db == nil {
		return nil, errors.New("chanstore: nil database")
	}
	if err := migrate(ctx, db, "zalooa"); err != nil {
		return nil, err
	}
	return &ZaloOA{db: db}, nil
}

// Follower is what the OA knows of a follower.
type Follower struct {
	LastInbound time.Time // the follower's latest message
	Replies     int       // replies sent since that message
}

// TouchFollower records a message of the follower sent at at. A message
// newer than the last one known restarts the count of replies; an older
// one (a late or replayed event) changes nothing.
func (s *ZaloOA) TouchFollower(ctx context.Context, userID string, at time.Time) error {
	// The column references are qualified and no two-argument MAX is used:
	// the statement runs as is on SQLite and Postgres.
	_, err := s.db.ExecContext(ctx, `INSERT INTO zalooa_users (user_id, last_inbound_at) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			replies_since = CASE WHEN excluded.last_inbound_at > zalooa_users.last_inbound_at
				THEN 0 ELSE zalooa_users.replies_since END,
			last_inbound_at = CASE WHEN excluded.last_inbound_at > zalooa_users.last_inbound_at
				THEN excluded.last_inbound_at ELSE zalooa_users.last_inbound_at END`,
		userID, sqldb.FormatInstant(at))
	if err != nil {
		return fmt.Errorf("chanstore: touch follower: %w", err)
	}
	return nil
}

// Follower returns what is known of the follower; ok is false when they
// never wrote.
func (s *ZaloOA) Follower(ctx context.Context, userID string) (f Follower, ok bool, err error) {
	var last string
	err = s.db.QueryRowContext(ctx, `SELECT last_inbound_at, replies_since FROM zalooa_users WHERE user_id = ?`,
		userID).Scan(&last, &f.Replies)
	if errors.Is(err, sql.ErrNoRows) {
		return Follower{}, false, nil
	}
	if err != nil {
		return Follower{}, false, fmt.Errorf("chanstore: follower: %w", err)
	}
	if f.LastInbound, err = sqldb.ParseInstant(last); err != nil {
		return Follower{}, false, fmt.Errorf("chanstore: follower: %w", err)
	}
	return f, true, nil
}

// CountReply counts one reply sent to the follower.
func (s *ZaloOA) CountReply(ctx context.Context, userID string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE zalooa_users SET replies_since = replies_since + 1 WHERE user_id = ?`,
		userID); err != nil {
		return fmt.Errorf("chanstore: count reply: %w", err)
	}
	return nil
}
