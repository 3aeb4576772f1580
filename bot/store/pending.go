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
// unanswered message received at or after since (recovery after a restart).
func (s *Store) PendingConversations(ctx context.Context, channel string, since time.Time) ([]string, error) {
	leave, err := s.turn(ctx)
	if err != nil {
		return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
	}
	defer leave()
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT m.conversation_id
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.channel = ? AND m.created_at >= ? AND `+unanswered, channel, sqldb.FormatInstant(since))
	if err != nil {
		return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending conversations on %s: %w", channel, err)
	}
	return out, nil
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
