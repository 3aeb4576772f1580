package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Pending is a channel's inbound message that was persisted (the webhook
// acknowledged) but has no answer yet.
type Pending struct {
	ID               int64
	Channel          string
	ExternalID       string // the channel's chat id
	ChannelMessageID string
	Message          bot.Message
}

// unanswered selects channel deliveries (they carry a channel message id)
// without an outbound reply.
const unanswered = `m.direction = 'in' AND m.channel_message_id IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to = m.id)`

// PendingInbound returns the conversation's unanswered channel messages,
// oldest first.
func (s *Store) PendingInbound(ctx context.Context, conversationID string) ([]Pending, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("pending inbound of %s: %w", conversationID, err)
	}
	defer leave()
	rows, err := s.q.QueryContext(ctx, `SELECT m.id, m.text, m.lat, m.lon, m.channel_message_id,
		m.created_at, c.channel, c.external_id
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE m.conversation_id = ? AND `+unanswered+` ORDER BY m.id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("pending inbound of %s: %w", conversationID, err)
	}
	defer rows.Close()
	var out []Pending
	for rows.Next() {
		var p Pending
		var lat, lon sql.NullFloat64
		var ext sql.NullString
		var created string
		if err := rows.Scan(&p.ID, &p.Message.Text, &lat, &lon, &p.ChannelMessageID,
			&created, &p.Channel, &ext); err != nil {
			return nil, fmt.Errorf("pending inbound of %s: %w", conversationID, err)
		}
		if lat.Valid && lon.Valid {
			p.Message.Location = &bot.Location{Lat: lat.Float64, Lon: lon.Float64}
		}
		if p.Message.At, err = sqldb.ParseInstant(created); err != nil {
			return nil, fmt.Errorf("pending inbound of %s: %w", conversationID, err)
		}
		p.ExternalID = ext.String
		p.Message.ConversationID, p.Message.Channel = conversationID, p.Channel
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending inbound of %s: %w", conversationID, err)
	}
	return out, nil
}

// PendingConversations returns the channel's conversations that have an
// unanswered message received at or after since (recovery after a restart),
// in the order of their oldest such message. It reads the messages in
// ranges of recoverRange ids, each range in its own turn: after a restart
// with a large backlog (of this channel or others) the webhooks' accepts
// are not held up behind one long scan.
func (s *Store) PendingConversations(ctx context.Context, channel string, since time.Time) ([]string, error) {
	first, last, err := s.messageIDs(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
	}
	var out []string
	seen := map[string]bool{}
	for lo := first; lo <= last; lo += recoverRange {
		err := s.pendingRange(ctx, channel, sqldb.FormatInstant(since), lo, lo+recoverRange, func(conv string) {
			if !seen[conv] {
				seen[conv] = true
				out = append(out, conv)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
		}
	}
	return out, nil
}

// recoverRange is how many message ids one turn of PendingConversations
// reads.
const recoverRange = 250

// messageIDs returns the ids of the first message created at or after
// since and of the last message (first > last: none).
func (s *Store) messageIDs(ctx context.Context, since time.Time) (first, last int64, err error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer leave()
	var lo, hi sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM messages WHERE created_at >= ?), (SELECT MAX(id) FROM messages)`,
		sqldb.FormatInstant(since)).Scan(&lo, &hi)
	if err != nil || !lo.Valid {
		return 1, 0, err
	}
	return lo.Int64, hi.Int64, nil
}

// pendingRange hands fn the conversation of each unanswered message with
// an id in [lo, hi) received at or after since, in id order. The window is
// checked here, not in SQL: a condition on created_at would let SQLite
// read by that index instead of the id range (every message of the window
// for each range). Instants are fixed-width UTC text: text order is time
// order.
func (s *Store) pendingRange(ctx context.Context, channel, since string, lo, hi int64, fn func(conv string)) error {
	leave, err := s.turn(ctx)
	if err != nil {
		return err
	}
	defer leave()
	// CROSS JOIN keeps SQLite reading the id range first (it would
	// otherwise walk every conversation of the channel); Postgres reads
	// it as the inner join it is.
	rows, err := s.db.QueryContext(ctx, `SELECT m.conversation_id, m.created_at
		FROM messages m CROSS JOIN conversations c
		WHERE c.id = m.conversation_id AND m.id >= ? AND m.id < ? AND c.channel = ? AND `+unanswered+`
		ORDER BY m.id`, lo, hi, channel)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var conv, at string
		if err := rows.Scan(&conv, &at); err != nil {
			return err
		}
		if at >= since {
			fn(conv)
		}
	}
	return rows.Err()
}

// Answered reports whether the inbound message inboundID has a reply.
func (s *Store) Answered(ctx context.Context, id string, inboundID int64) (bool, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return false, fmt.Errorf("answered %d: %w", inboundID, err)
	}
	defer leave()
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND reply_to = ?`,
		id, inboundID).Scan(&n); err != nil {
		return false, fmt.Errorf("answered %d: %w", inboundID, err)
	}
	return n > 0, nil
}
